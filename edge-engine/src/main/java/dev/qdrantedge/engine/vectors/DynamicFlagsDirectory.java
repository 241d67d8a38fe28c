package dev.qdrantedge.engine.vectors;

import dev.qdrantedge.engine.EdgeFormatException;
import dev.qdrantedge.engine.io.BinaryFiles;
import java.nio.ByteBuffer;
import java.nio.file.Path;

/**
 * Reads a {@code deleted/} directory of an appendable or multi-vector storage: {@code status.dat} (two
 * 8-byte little-endian words: number of flags, and which flags file is current) and the bit set in
 * {@code flags_a.dat} (or the legacy {@code flags_b.dat} when the status says so). A set flag means the
 * point has no vector in this storage.
 */
final class DynamicFlagsDirectory {

    static final String STATUS_FILE = "status.dat";
    static final String FLAGS_FILE = "flags_a.dat";
    static final String LEGACY_FLAGS_FILE = "flags_b.dat";
    private static final int STATUS_BYTES = 16;

    private DynamicFlagsDirectory() {
    }

    /** Opens the flags; a missing or short file is an error naming it. */
    static FlagBits open(Path directory) {
        Path statusFile = directory.resolve(STATUS_FILE);
        ByteBuffer status = BinaryFiles.readAll(statusFile);
        if (status.remaining() < STATUS_BYTES) {
            throw new EdgeFormatException(statusFile, "truncated: " + status.remaining() + " bytes, expected "
                    + STATUS_BYTES + " (flag count and current file id)");
        }
        long length = status.getLong(0);
        long currentFileId = status.getLong(8);
        if (length < 0) {
            throw new EdgeFormatException(statusFile, "flag count is out of range: " + Long.toUnsignedString(length));
        }
        Path flagsFile;
        if (currentFileId == 0) {
            flagsFile = directory.resolve(FLAGS_FILE);
        } else if (currentFileId == 1) {
            flagsFile = directory.resolve(LEGACY_FLAGS_FILE);
        } else {
            throw new EdgeFormatException(statusFile, "unknown current flags file id " + currentFileId
                    + " (expected 0 for " + FLAGS_FILE + " or 1 for " + LEGACY_FLAGS_FILE + ")");
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
