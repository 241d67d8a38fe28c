package dev.qdrantedge.engine.sync;

import java.time.Duration;
import java.util.Objects;

/**
 * How an {@link OutboxPublisher} batches and retries.
 *
 * @param batchSize the most entries delivered in one call of the sink, at least 1
 * @param linger how long a batch that is not full may wait for more entries (measured from the creation of
 *     its first entry); zero delivers at once
 * @param backoff the delay before retrying after a transient failure
 * @param stopTimeout how long {@link OutboxPublisher#stop()} waits for a delivery in progress
 */
public record PublisherOptions(int batchSize, Duration linger, Backoff backoff, Duration stopTimeout) {

    public PublisherOptions {
        if (batchSize < 1) {
            throw new IllegalArgumentException("batchSize must be at least 1, was " + batchSize);
        }
        Objects.requireNonNull(linger, "linger");
        Objects.requireNonNull(backoff, "backoff");
        Objects.requireNonNull(stopTimeout, "stopTimeout");
        if (linger.isNegative()) {
            throw new IllegalArgumentException("linger must not be negative, was " + linger);
        }
        if (stopTimeout.isNegative()) {
            throw new IllegalArgumentException("stopTimeout must not be negative, was " + stopTimeout);
        }
    }

    /** Batches of up to 100 entries, 50 ms linger, {@link Backoff#DEFAULT}, 10 s to stop. */
    public static PublisherOptions defaults() {
        return new PublisherOptions(100, Duration.ofMillis(50), Backoff.DEFAULT, Duration.ofSeconds(10));
    }

    public PublisherOptions withBatchSize(int size) {
        return new PublisherOptions(size, linger, backoff, stopTimeout);
    }

    public PublisherOptions withLinger(Duration newLinger) {
        return new PublisherOptions(batchSize, newLinger, backoff, stopTimeout);
    }

    public PublisherOptions withBackoff(Backoff newBackoff) {
        return new PublisherOptions(batchSize, linger, newBackoff, stopTimeout);
    }

    public PublisherOptions withStopTimeout(Duration timeout) {
        return new PublisherOptions(batchSize, linger, backoff, timeout);
    }
}
