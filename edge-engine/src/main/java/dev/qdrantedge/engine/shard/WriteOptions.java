package dev.qdrantedge.engine.shard;

import java.time.Duration;
import java.util.Objects;

/**
 * How a shard opened for writing makes its writes durable.
 *
 * @param fsync when the WAL is forced to the storage device
 * @param autoFlushInterval how often a background thread flushes the segments and truncates the WAL, which
 *     bounds the WAL's size and the replay work of the next load; {@code null} flushes only on
 *     {@link EdgeShard#flush()} and {@link EdgeShard#close()}, as Qdrant Edge does
 */
public record WriteOptions(FsyncPolicy fsync, Duration autoFlushInterval) {

    public WriteOptions {
        Objects.requireNonNull(fsync, "fsync");
        if (autoFlushInterval != null && (autoFlushInterval.isNegative() || autoFlushInterval.isZero())) {
            throw new IllegalArgumentException("auto-flush interval must be positive, was " + autoFlushInterval);
        }
    }

    /** The WAL forced on every update; segments flushed only when asked. */
    public static WriteOptions defaults() {
        return new WriteOptions(FsyncPolicy.perOperation(), null);
    }

    /** These options with another fsync policy. */
    public WriteOptions withFsync(FsyncPolicy policy) {
        return new WriteOptions(policy, autoFlushInterval);
    }

    /** These options with segments flushed every {@code interval} ({@code null}: never automatically). */
    public WriteOptions withAutoFlush(Duration interval) {
        return new WriteOptions(fsync, interval);
    }
}
