package dev.qdrantedge.engine.sync;

import dev.qdrantedge.engine.idtracker.PointId;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * One outbox entry as it stands: its place in the log, its delivery state and what the store recorded with it.
 * The operation itself is read with {@link OutboxLog#operation(long)}.
 *
 * @param seq the entry's sequence number: entries are delivered in this order
 * @param createdAt when the entry was appended
 * @param state the delivery state
 * @param attempts the failed delivery attempts so far (reset by a resubmission)
 * @param nextAttemptAt when the next delivery attempt is due (in the past for an entry that may go at once)
 * @param lastError the message of the last failed attempt, if any
 * @param deliveredAt when the sink acknowledged the entry, if it did
 * @param reflected whether the store's server mirror is known to hold the entry's effect
 * @param localOperation the operation number of the entry's effect in the store's local shard; -1 when it
 *     has none there
 * @param pointIds the points the entry's local effect touched (for an operation by filter, the points the
 *     filter matched when it was applied); empty when none were recorded
 * @param pointIdsRecorded whether {@code pointIds} were recorded with the entry (an edge store records them;
 *     {@link OutboxLog#append(dev.qdrantedge.engine.operation.UpdateOperation)} does not)
 * @param handedOver whether the entry was ever handed to the sink: the receiver may then have applied it
 *     already, even though its delivery was not acknowledged
 */
public record OutboxEntry(long seq, Instant createdAt, OutboxState state, int attempts, Instant nextAttemptAt,
        Optional<String> lastError, Optional<Instant> deliveredAt, boolean reflected, long localOperation,
        List<PointId> pointIds, boolean pointIdsRecorded, boolean handedOver) {

    public OutboxEntry {
        Objects.requireNonNull(createdAt, "createdAt");
        Objects.requireNonNull(state, "state");
        Objects.requireNonNull(nextAttemptAt, "nextAttemptAt");
        Objects.requireNonNull(lastError, "lastError");
        Objects.requireNonNull(deliveredAt, "deliveredAt");
        pointIds = List.copyOf(pointIds);
    }
}
