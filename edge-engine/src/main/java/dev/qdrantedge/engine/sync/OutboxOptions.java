package dev.qdrantedge.engine.sync;

import dev.qdrantedge.engine.shard.FsyncPolicy;
import java.util.Objects;

/**
 * How an {@link OutboxLog} makes its records durable and when it compacts itself.
 *
 * @param fsync when the log file is forced to the device: after every record that matters for delivery
 *     ({@link FsyncPolicy#perOperation()}), or every interval in the background
 * @param compactionMinBytes the log is compacted automatically only once its file is at least this large
 * @param compactionGarbageRatio ... and at least this fraction (0 to 1) of it is garbage: records of
 *     entries the mirror reflects or that were purged, and superseded state records
 */
public record OutboxOptions(FsyncPolicy fsync, long compactionMinBytes, double compactionGarbageRatio) {

    public OutboxOptions {
        Objects.requireNonNull(fsync, "fsync");
        if (compactionMinBytes < 0) {
            throw new IllegalArgumentException("compactionMinBytes must not be negative, was " + compactionMinBytes);
        }
        if (!(compactionGarbageRatio >= 0.0 && compactionGarbageRatio <= 1.0)) {
            throw new IllegalArgumentException("compactionGarbageRatio must be between 0 and 1, was "
                    + compactionGarbageRatio);
        }
    }

    /** Forced on every record; compacted from 16 MiB when half of it is garbage. */
    public static OutboxOptions defaults() {
        return new OutboxOptions(FsyncPolicy.perOperation(), 16L << 20, 0.5);
    }

    /** These options with another fsync policy. */
    public OutboxOptions withFsync(FsyncPolicy policy) {
        return new OutboxOptions(policy, compactionMinBytes, compactionGarbageRatio);
    }

    /** These options with other compaction thresholds. */
    public OutboxOptions withCompaction(long minBytes, double garbageRatio) {
        return new OutboxOptions(fsync, minBytes, garbageRatio);
    }
}
