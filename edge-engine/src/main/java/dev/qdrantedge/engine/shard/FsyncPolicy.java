package dev.qdrantedge.engine.shard;

import java.time.Duration;
import java.util.Objects;

/**
 * When a shard forces its WAL to the storage device. Every acknowledged update is written to the WAL file
 * before {@link EdgeShard#update} returns, so it survives the death of the process (SIGKILL, OOM kill,
 * crash) under every policy; the policy decides what survives the loss of the machine (power cut, kernel
 * panic):
 *
 * <ul>
 *   <li>{@link #perOperation()}: each update is forced before it returns; nothing acknowledged is lost.</li>
 *   <li>{@link #grouped(Duration)}: a background thread forces the WAL every {@code interval}; updates
 *       acknowledged during the last {@code interval} before a machine failure may be lost. Updates are
 *       much cheaper when the device's sync latency is high.</li>
 * </ul>
 *
 * @param interval {@code null} for per-operation syncs, else the grouping interval
 */
public record FsyncPolicy(Duration interval) {

    public FsyncPolicy {
        if (interval != null && (interval.isNegative() || interval.isZero())) {
            throw new IllegalArgumentException("fsync interval must be positive, was " + interval);
        }
    }

    /** Forces the WAL before every update returns (the default). */
    public static FsyncPolicy perOperation() {
        return new FsyncPolicy(null);
    }

    /** Forces the WAL every {@code interval} in the background. */
    public static FsyncPolicy grouped(Duration interval) {
        return new FsyncPolicy(Objects.requireNonNull(interval, "interval"));
    }

    public boolean isPerOperation() {
        return interval == null;
    }
}
