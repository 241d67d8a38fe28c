package dev.qdrantedge.engine.sync;

import java.time.Instant;
import java.util.Optional;

/**
 * What an {@link OutboxPublisher} has done since it was created.
 *
 * @param deliveredEntries entries the sink acknowledged
 * @param deliveredBatches calls of the sink that succeeded
 * @param failedAttempts calls of the sink that failed (transiently, or permanently for a batch then split)
 * @param deadLettered entries dead-lettered after a permanent failure
 * @param lastError the message of the last failure, if any
 * @param lastDeliveryAt when the sink last acknowledged a batch, if ever
 * @param running whether the publisher's thread runs
 */
public record PublisherStats(long deliveredEntries, long deliveredBatches, long failedAttempts, long deadLettered,
        Optional<String> lastError, Optional<Instant> lastDeliveryAt, boolean running) {
}
