package dev.qdrantedge.engine.sync;

import java.time.Duration;
import java.util.Optional;

/**
 * A snapshot of an {@link OutboxLog}'s counts, for observability.
 *
 * @param pending entries waiting for delivery
 * @param inFlight entries handed to the sink and not acknowledged yet
 * @param delivered entries acknowledged by the sink and still in the log (reflected or not)
 * @param dead entries refused permanently
 * @param reflected delivered entries the mirror holds; compaction removes them
 * @param oldestPendingAge how long the oldest pending or in-flight entry has waited; empty when none waits
 * @param nextSeq the sequence number the next entry gets
 * @param fileBytes the size of the log file
 * @param deliveredSinceOpen entries marked delivered since the log was opened
 * @param deadSinceOpen entries marked dead since the log was opened
 */
public record OutboxStats(long pending, long inFlight, long delivered, long dead, long reflected,
        Optional<Duration> oldestPendingAge, long nextSeq, long fileBytes, long deliveredSinceOpen,
        long deadSinceOpen) {

    /** Entries still to deliver: pending and in flight. */
    public long backlog() {
        return pending + inFlight;
    }
}
