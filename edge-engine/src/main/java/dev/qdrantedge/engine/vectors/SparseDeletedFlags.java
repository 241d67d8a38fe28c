package dev.qdrantedge.engine.vectors;

import dev.qdrantedge.engine.EdgeFormatException;
import dev.qdrantedge.engine.io.BinaryFiles;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.MappedByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * A {@code deleted/} directory of flags (Qdrant's {@code DynamicStoredFlags}): {@code status.dat} holds
 * {@code u64 length} (number of flags) and {@code u64 current file id}; the flags are a bit set in
 * {@code flags_a.dat} (or, for a non-zero file id written by old versions, {@code flags_b.dat}), bit
 * {@code i} being bit {@code i % 8} of byte {@code i / 8}. Flags at or beyond the length read as unset. The
 * flags file is memory-mapped.
 */
public final class SparseDeletedFlags {

    public static final String STATUS_FILE = "status.dat";
    public static final String FLAGS_FILE = "flags_a.dat";
    public static final String LEGACY_FLAGS_FILE = "flags_b.dat";

    private final long length;
    private final ByteBuffer bits;
    private final long lastSetPlusOne;

    private SparseDeletedFlags(long length, ByteBuffer bits) {
        this.length = length;
        this.bits = bits;
        this.lastSetPlusOne = findLastSet(length, bits) + 1;
    }

    /** Reads the flags in {@code directory}. */
    public static SparseDeletedFlags open(Path directory) {
        Path statusFile = directory.resolve(STATUS_FILE);
        ByteBuffer status = BinaryFiles.readAll(statusFile);
        if (status.remaining() < 16) {
            throw new EdgeFormatException(statusFile, "truncated: " + status.remaining()
                    + " bytes, expected 16 (length, file id)");
        }
        long length = status.getLong(0);
        long fileId = status.getLong(8);
        if (length < 0 || length > 0xFFFF_FFFFL + 1) {
            throw new EdgeFormatException(statusFile, "implausible flag count " + Long.toUnsignedString(length));
        }
        Path flagsFile = directory.resolve(fileId == 0 ? FLAGS_FILE : LEGACY_FLAGS_FILE);
        if (length == 0) {
            return new SparseDeletedFlags(0, ByteBuffer.allocate(0));
        }
        ByteBuffer bits = map(flagsFile);
        long needed = (length + 7) / 8;
        if (bits.capacity() < needed) {
            throw new EdgeFormatException(flagsFile, "truncated: " + bits.capacity() + " bytes, but "
                    + statusFile.getFileName() + " counts " + length + " flags (" + needed + " bytes)");
        }
        return new SparseDeletedFlags(length, bits);
    }

    private static ByteBuffer map(Path file) {
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ)) {
            long size = Math.min(channel.size(), Integer.MAX_VALUE);
            MappedByteBuffer mapped = channel.map(FileChannel.MapMode.READ_ONLY, 0, size);
            mapped.order(ByteOrder.LITTLE_ENDIAN);
            return mapped;
        } catch (NoSuchFileException e) {
            throw new EdgeFormatException(file, "file is missing", e);
        } catch (IOException e) {
            throw new EdgeFormatException(file, "cannot map: " + e.getMessage(), e);
        }
    }

    /** The number of flags (status.dat length). */
    public long length() {
        return length;
    }

    /** Whether flag {@code index} (an unsigned 32-bit number) is set. */
    public boolean isSet(int index) {
        long i = Integer.toUnsignedLong(index);
        return i < length && (bits.get((int) (i >>> 3)) & (1 << (i & 7))) != 0;
    }

    /** One past the highest set flag, 0 when none is set. */
    public long lastSetPlusOne() {
        return lastSetPlusOne;
    }

    private static long findLastSet(long length, ByteBuffer bits) {
        for (long byteIndex = (length + 7) / 8 - 1; byteIndex >= 0; byteIndex--) {
            int b = bits.get((int) byteIndex) & 0xFF;
            if (b == 0) {
                continue;
            }
            for (int bit = 7; bit >= 0; bit--) {
                long index = byteIndex * 8 + bit;
                if (index < length && (b & (1 << bit)) != 0) {
                    return index;
                }
            }
        }
        return -1;
    }
}
