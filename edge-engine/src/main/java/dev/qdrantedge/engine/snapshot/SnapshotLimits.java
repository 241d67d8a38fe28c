package dev.qdrantedge.engine.snapshot;

/**
 * Bounds on what an archive may unpack to; an archive that exceeds one is refused before anything outside
 * the staging area is touched. Sizes are the logical sizes of files (a sparse entry counts with its full
 * size, holes included), checked from the entry headers before any byte is written. Nested per-segment
 * archives count toward the totals, and so does their content once unpacked.
 *
 * @param maxEntryBytes largest file an entry may unpack to
 * @param maxTotalBytes largest sum of all files unpacked
 * @param maxEntries largest number of entries (files and directories)
 */
public record SnapshotLimits(long maxEntryBytes, long maxTotalBytes, long maxEntries) {

    /** 64 GiB per file, 1 TiB in total, ten million entries. */
    public static final SnapshotLimits DEFAULT = new SnapshotLimits(64L << 30, 1L << 40, 10_000_000L);

    public SnapshotLimits {
        if (maxEntryBytes < 0 || maxTotalBytes < 0 || maxEntries < 0) {
            throw new IllegalArgumentException("limits must not be negative");
        }
    }

    public static SnapshotLimits defaults() {
        return DEFAULT;
    }

    public SnapshotLimits withMaxEntryBytes(long bytes) {
        return new SnapshotLimits(bytes, maxTotalBytes, maxEntries);
    }

    public SnapshotLimits withMaxTotalBytes(long bytes) {
        return new SnapshotLimits(maxEntryBytes, bytes, maxEntries);
    }

    public SnapshotLimits withMaxEntries(long entries) {
        return new SnapshotLimits(maxEntryBytes, maxTotalBytes, entries);
    }
}
