package dev.qdrantedge.engine.vectors;

import dev.qdrantedge.engine.EdgeFormatException;
import dev.qdrantedge.engine.io.BinaryFiles;
import dev.qdrantedge.engine.io.MappedFile;
import java.nio.ByteBuffer;
import java.nio.file.Path;

/**
 * Reads a {@code deleted/} directory (Qdrant's {@code DynamicStoredFlags}), as used by appendable dense,
 * multi-vector and sparse storages: {@code status.dat} holds two 8-byte little-endian words, the number of
 * flags and which flags file is current; the flags are a bit set in {@code flags_a.dat} (or, for file id 1
 * written by old versions, {@code flags_b.dat}). A set flag means the point has no vector in this storage.
 * The flags file is memory-mapped; it is not needed while the flag count is zero.
 */
public final class DynamicStoredFlags {

    /** The directory's name inside a vector storage. */
    public static final String DIRECTORY = "deleted";
    public static final String STATUS_FILE = "status.dat";
    public static final String FLAGS_FILE = "flags_a.dat";
    public static final String LEGACY_FLAGS_FILE = "flags_b.dat";
    private static final int STATUS_BYTES = 16;
    /** Point offsets are unsigned 32-bit numbers, so no storage has more flags than this. */
    private static final long MAX_LENGTH = 0xFFFF_FFFFL + 1;

    private DynamicStoredFlags() {
    }

    /** Opens the flags in {@code directory}; a missing, short or inconsistent file is an error naming it. */
    public static FlagBits open(Path directory) {
        Path statusFile = directory.resolve(STATUS_FILE);
        ByteBuffer status = BinaryFiles.readAll(statusFile);
        if (status.remaining() < STATUS_BYTES) {
            throw new EdgeFormatException(statusFile, "truncated: " + status.remaining() + " bytes, expected "
                    + STATUS_BYTES + " (flag count and current file id)");
        }
        long length = status.getLong(0);
        long currentFileId = status.getLong(8);
        if (length < 0 || length > MAX_LENGTH) {
            throw new EdgeFormatException(statusFile, "implausible flag count " + Long.toUnsignedString(length));
        }
        Path flagsFile;
        if (currentFileId == 0) {
            flagsFile = directory.resolve(FLAGS_FILE);
        } else if (currentFileId == 1) {
            flagsFile = directory.resolve(LEGACY_FLAGS_FILE);
        } else {
            throw new EdgeFormatException(statusFile, "unknown current flags file id "
                    + Long.toUnsignedString(currentFileId) + " (expected 0 for " + FLAGS_FILE + " or 1 for "
                    + LEGACY_FLAGS_FILE + ")");
        }
        if (length == 0) {
            return FlagBits.NONE;
        }
        MappedFile flags = MappedFile.map(flagsFile);
        long needed = (length + 7) / 8;
        if (flags.size() < needed) {
            throw new EdgeFormatException(flagsFile, "truncated: " + flags.size() + " bytes, but " + statusFile
                    .getFileName() + " counts " + length + " flags, which need " + needed + " bytes");
        }
        return new FlagBits(flags, 0, length);
    }
}
