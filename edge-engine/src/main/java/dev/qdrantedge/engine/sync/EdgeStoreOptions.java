package dev.qdrantedge.engine.sync;

import dev.qdrantedge.engine.shard.WriteOptions;
import dev.qdrantedge.engine.snapshot.SnapshotLimits;
import java.time.Clock;
import java.util.Objects;

/**
 * How an {@link EdgeStore} writes and refreshes.
 *
 * @param writes durability of the local shard (its WAL fsync policy and background flush)
 * @param outbox durability and compaction of the outbox; its fsync policy decides when an update is durable
 * @param snapshotLimits the limits downloaded snapshot archives are checked against
 * @param clock the source of outbox and refresh times
 */
public record EdgeStoreOptions(WriteOptions writes, OutboxOptions outbox, SnapshotLimits snapshotLimits,
        Clock clock) {

    public EdgeStoreOptions {
        Objects.requireNonNull(writes, "writes");
        Objects.requireNonNull(outbox, "outbox");
        Objects.requireNonNull(snapshotLimits, "snapshotLimits");
        Objects.requireNonNull(clock, "clock");
    }

    /** Every write forced to the device, default outbox compaction and snapshot limits, the system clock. */
    public static EdgeStoreOptions defaults() {
        return new EdgeStoreOptions(WriteOptions.defaults(), OutboxOptions.defaults(), SnapshotLimits.defaults(),
                Clock.systemUTC());
    }

    /** These options with the local shard's and the outbox's fsync policy taken from {@code writes}. */
    public EdgeStoreOptions withWrites(WriteOptions newWrites) {
        return new EdgeStoreOptions(newWrites, outbox.withFsync(newWrites.fsync()), snapshotLimits, clock);
    }

    public EdgeStoreOptions withOutbox(OutboxOptions newOutbox) {
        return new EdgeStoreOptions(writes, newOutbox, snapshotLimits, clock);
    }

    public EdgeStoreOptions withSnapshotLimits(SnapshotLimits limits) {
        return new EdgeStoreOptions(writes, outbox, limits, clock);
    }

    public EdgeStoreOptions withClock(Clock newClock) {
        return new EdgeStoreOptions(writes, outbox, snapshotLimits, newClock);
    }
}
