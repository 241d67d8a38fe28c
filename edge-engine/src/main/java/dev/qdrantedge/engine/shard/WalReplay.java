package dev.qdrantedge.engine.shard;

import dev.qdrantedge.engine.EdgeException;
import dev.qdrantedge.engine.EdgeFormatException;
import dev.qdrantedge.engine.wal.WalReader;
import dev.qdrantedge.engine.wal.WalRecord;
import java.nio.file.Path;

/**
 * Replays the WAL entries a shard's segments may not reflect yet, as Qdrant does on load: every entry from
 * the WAL's first index (the last acknowledged one included) is applied with its index as operation
 * number; entries the segments already hold change nothing, by the version rule of
 * {@link OperationApplier} (which, while replaying, also passes over points a segment holds at exactly the
 * entry's number).
 */
final class WalReplay {

    private WalReplay() {
    }

    /**
     * Applies the WAL in {@code walDir} through {@code applier}.
     *
     * @return the number of entries replayed
     * @throws EdgeFormatException for an entry this engine cannot apply, naming the WAL and the entry
     */
    static long replay(OperationApplier applier, Path walDir) {
        long count = 0;
        try (WalReader wal = WalReader.open(walDir)) {
            if (wal.isEmpty()) {
                return 0;
            }
            applier.replaying(true);
            for (WalRecord record : wal.records(wal.firstIndex())) {
                try {
                    // An entry naming a missing point is applied as far as Qdrant applies it; Qdrant logs the
                    // missing point and goes on, and so does replay.
                    applier.apply(record.operation(), record.index());
                } catch (EdgeException e) {
                    throw new EdgeFormatException(walDir, "entry " + record.index() + " ("
                            + record.operation().variant() + "): " + e.getMessage(), e);
                } catch (IllegalArgumentException | UnsupportedOperationException e) {
                    throw new EdgeFormatException(walDir, "entry " + record.index() + " ("
                            + record.operation().variant() + "): " + e.getMessage()
                            + "; WAL replay does not support it yet. Load the shard once with Qdrant Edge, which"
                            + " applies and flushes it, then load it here", e);
                }
                count++;
            }
        } finally {
            applier.replaying(false);
        }
        return count;
    }
}
