package dev.qdrantedge.engine.snapshot;

import dev.qdrantedge.engine.EdgeException;

/**
 * A snapshot archive was refused, or a snapshot could not be read, applied or written. {@link #kind()} says
 * why; the message names the archive entry or file at fault. When an archive is refused, nothing outside the
 * private staging area has been touched.
 */
public class SnapshotException extends EdgeException {

    private static final long serialVersionUID = 1L;

    /** Why a snapshot was refused or failed. */
    public enum Kind {
        /** An entry name is absolute, contains {@code ..} or otherwise points outside the target. */
        UNSAFE_PATH,
        /** A symbolic or hard link entry (refused whatever it points to, as Qdrant does). */
        LINK,
        /** A device, FIFO or other entry that is neither a file nor a directory. */
        SPECIAL_FILE,
        /** An entry, the entries together, or their number exceed the configured {@link SnapshotLimits}. */
        TOO_LARGE,
        /** The archive ends early: inside an entry, inside a header, or without the end-of-archive marker. */
        TRUNCATED,
        /** The archive is not a readable tar archive (bad header, checksum, duplicate entry, ...). */
        MALFORMED,
        /** The archive does not have the layout of a shard snapshot. */
        LAYOUT,
        /** A segment in the snapshot (or the shard it produces) cannot be loaded. */
        CORRUPT_SEGMENT,
        /** A segment manifest is unreadable or contradicts the files or the other manifests. */
        MANIFEST_MISMATCH,
        /** Reading or writing the file system failed. */
        IO
    }

    private final Kind kind;

    public SnapshotException(Kind kind, String message) {
        super(message);
        this.kind = kind;
    }

    public SnapshotException(Kind kind, String message, Throwable cause) {
        super(message, cause);
        this.kind = kind;
    }

    public Kind kind() {
        return kind;
    }
}
