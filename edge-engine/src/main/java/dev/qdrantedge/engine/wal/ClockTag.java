package dev.qdrantedge.engine.wal;

/**
 * The clock tag a Qdrant server attaches to each WAL record (replication ordering); Qdrant Edge writes
 * none. Unsigned values are held in signed Java types of the same width.
 *
 * @param peerId the peer that issued the operation (u64)
 * @param clockId the clock of that peer (u32)
 * @param clockTick the tick of that clock (u64)
 * @param token a random token unique to the tag (u64)
 * @param force whether the operation is applied regardless of the clock
 */
public record ClockTag(long peerId, int clockId, long clockTick, long token, boolean force) {
}
