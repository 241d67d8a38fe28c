package dev.qdrantedge.engine.snapshot;

import dev.qdrantedge.engine.snapshot.SnapshotException.Kind;

/** What unpacking one snapshot (its nested archives included) has used of its {@link SnapshotLimits}. */
final class UnpackBudget {

    private final SnapshotLimits limits;
    private long entries;
    private long bytes;

    UnpackBudget(SnapshotLimits limits) {
        this.limits = limits;
    }

    SnapshotLimits limits() {
        return limits;
    }

    void entry(String name) {
        if (++entries > limits.maxEntries()) {
            throw new SnapshotException(Kind.TOO_LARGE, "entry " + name + ": more than " + limits.maxEntries()
                    + " entries");
        }
    }

    void file(String name, long size) {
        if (size > limits.maxEntryBytes()) {
            throw new SnapshotException(Kind.TOO_LARGE, "entry " + name + " unpacks to " + size
                    + " bytes, more than the limit of " + limits.maxEntryBytes());
        }
        if (size > limits.maxTotalBytes() - bytes) {
            throw new SnapshotException(Kind.TOO_LARGE, "entry " + name + ": the archive unpacks to more than "
                    + limits.maxTotalBytes() + " bytes");
        }
        bytes += size;
    }

    long bytes() {
        return bytes;
    }
}
