package dev.qdrantedge.spring.boot.autoconfigure;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.qdrantedge.engine.idtracker.PointId;
import dev.qdrantedge.engine.operation.DeletePoints;
import dev.qdrantedge.engine.operation.UpdateOperation;
import dev.qdrantedge.engine.sync.DeliveryException;
import dev.qdrantedge.engine.sync.OutboxSink;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class RetryingOutboxSinkTest {

    private static final List<UpdateOperation> BATCH = List.of(new DeletePoints(List.of(PointId.of(1))));

    /** Quick retries without noticeable waits. */
    private static EdgeProperties.Outbox.Retry retry(int maxRetries) {
        EdgeProperties.Outbox.Retry retry = new EdgeProperties.Outbox.Retry();
        retry.setMaxRetries(maxRetries);
        retry.setDelay(Duration.ofMillis(1));
        retry.setMaxDelay(Duration.ofMillis(2));
        retry.setJitter(Duration.ZERO);
        return retry;
    }

    /** A sink failing with the given failures, one per call, then delivering; it records every call. */
    private static final class ScriptedSink implements OutboxSink {
        final List<Exception> failures;
        final List<List<UpdateOperation>> calls = new ArrayList<>();

        ScriptedSink(Exception... failures) {
            this.failures = new ArrayList<>(List.of(failures));
        }

        @Override
        public void deliver(List<UpdateOperation> operations) throws DeliveryException {
            calls.add(operations);
            if (!failures.isEmpty()) {
                Exception next = failures.remove(0);
                if (next instanceof DeliveryException d) {
                    throw d;
                }
                throw (RuntimeException) next;
            }
        }
    }

    @Test
    void transientFailuresAreRetriedUntilADeliverySucceeds() throws Exception {
        ScriptedSink sink = new ScriptedSink(DeliveryException.transientFailure("UNAVAILABLE", null),
                DeliveryException.transientFailure("DEADLINE_EXCEEDED", null));
        new RetryingOutboxSink(sink, retry(2).toRetryPolicy()).deliver(BATCH);
        assertThat(sink.calls).hasSize(3).allSatisfy(call -> assertThat(call).isEqualTo(BATCH));
    }

    @Test
    void whenTheRetriesAreExhaustedTheLastTransientFailureIsReportedWithTheAttempts() {
        ScriptedSink sink = new ScriptedSink(DeliveryException.transientFailure("first", null),
                DeliveryException.transientFailure("second", null), DeliveryException.transientFailure("third", null));
        DeliveryException failure = catchThrowableOfType(DeliveryException.class,
                () -> new RetryingOutboxSink(sink, retry(2).toRetryPolicy()).deliver(BATCH));
        assertThat(sink.calls).hasSize(3);
        assertThat(failure.isTransient()).isTrue();
        assertThat(failure).hasMessage("third (3 attempts)");
    }

    @Test
    void permanentFailuresAndOtherExceptionsAreNotRetried() {
        ScriptedSink refused = new ScriptedSink(DeliveryException.permanentFailure("INVALID_ARGUMENT", null));
        DeliveryException permanent = catchThrowableOfType(DeliveryException.class,
                () -> new RetryingOutboxSink(refused, retry(5).toRetryPolicy()).deliver(BATCH));
        assertThat(refused.calls).hasSize(1);
        assertThat(permanent.isTransient()).isFalse();
        assertThat(permanent).hasMessage("INVALID_ARGUMENT");

        ScriptedSink broken = new ScriptedSink(new IllegalStateException("bug"));
        IllegalStateException bug = catchThrowableOfType(IllegalStateException.class,
                () -> new RetryingOutboxSink(broken, retry(5).toRetryPolicy()).deliver(BATCH));
        assertThat(broken.calls).hasSize(1);
        assertThat(bug).hasMessage("bug");
    }

    @Test
    void zeroRetriesDeliverOnce() {
        ScriptedSink sink = new ScriptedSink(DeliveryException.transientFailure("UNAVAILABLE", null));
        DeliveryException failure = catchThrowableOfType(DeliveryException.class,
                () -> new RetryingOutboxSink(sink, retry(0).toRetryPolicy()).deliver(BATCH));
        assertThat(sink.calls).hasSize(1);
        assertThat(failure).hasMessage("UNAVAILABLE");
    }
}
