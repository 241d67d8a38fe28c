package dev.qdrantedge.spring.boot.autoconfigure;

import dev.qdrantedge.engine.operation.UpdateOperation;
import dev.qdrantedge.engine.sync.DeliveryException;
import dev.qdrantedge.engine.sync.OutboxSink;
import java.util.List;
import java.util.Objects;
import org.springframework.core.retry.RetryException;
import org.springframework.core.retry.RetryPolicy;
import org.springframework.core.retry.RetryTemplate;

/**
 * An {@link OutboxSink} that repeats a delivery failing transiently a few times at once, with Spring's
 * {@link RetryTemplate} (exponential backoff with jitter, {@code qdrant.edge.outbox.retry.*}), before it reports the
 * failure. These quick retries ride out a dropped connection or a leader election within one delivery attempt;
 * the outbox's own {@link dev.qdrantedge.engine.sync.Backoff} (minutes, forever, durable across restarts) takes
 * over when they are exhausted.
 *
 * <p>Only {@link DeliveryException#isTransient() transient} delivery failures are repeated: a permanent one (the
 * server refused an operation) goes back to the publisher at once, which finds and dead-letters the entry. Since
 * the operations the outbox delivers are idempotent when replayed in order, repeating a batch that may have been
 * applied in part is safe. When the retries are exhausted, the last failure is reported, its message saying how
 * many attempts were made.
 */
public final class RetryingOutboxSink implements OutboxSink {

    private final OutboxSink delegate;
    private final RetryTemplate retries;

    /**
     * @param delegate the sink that delivers
     * @param policy when to repeat a failed delivery; {@link EdgeProperties.Outbox.Retry#toRetryPolicy()} repeats
     *     only transient {@link DeliveryException}s
     */
    public RetryingOutboxSink(OutboxSink delegate, RetryPolicy policy) {
        this.delegate = Objects.requireNonNull(delegate, "delegate");
        this.retries = new RetryTemplate(Objects.requireNonNull(policy, "policy"));
    }

    /** The sink that delivers. */
    public OutboxSink delegate() {
        return delegate;
    }

    @Override
    public void deliver(List<UpdateOperation> operations) throws DeliveryException {
        try {
            retries.execute(() -> {
                delegate.deliver(operations);
                return null;
            });
        } catch (RetryException e) {
            Throwable last = e.getCause();
            int attempts = e.getRetryCount() + 1;
            if (last instanceof DeliveryException failure) {
                if (attempts == 1) {
                    throw failure;
                }
                throw new DeliveryException(failure.kind(), failure.getMessage() + " (" + attempts
                        + " attempts)", failure);
            }
            if (last instanceof RuntimeException runtime) {
                throw runtime;
            }
            if (last instanceof Error error) {
                throw error;
            }
            throw DeliveryException.transientFailure("delivery failed: " + last, last);
        }
    }
}
