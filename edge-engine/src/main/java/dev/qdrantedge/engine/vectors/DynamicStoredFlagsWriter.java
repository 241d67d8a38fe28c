package dev.qdrantedge.engine.vectors;

import dev.qdrantedge.engine.EdgeFormatException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.Arrays;

/**
 * Writes a {@code deleted/} directory (Qdrant's {@code DynamicStoredFlags}) that {@link DynamicStoredFlags}
 * and Qdrant read: {@code status.dat} = {@code u64 length, u64 current file id (0)}, {@code flags_a.dat} = the
 * bits, least significant first, sized {@code max(1 MiB, next power of two of ceil(length / 8))} bytes as
 * Qdrant sizes it.
 *
 * <p>Setting any flag (true or false) at or beyond the length extends the length to cover it, as Qdrant's
 * buffered flags do. {@link #flush()} writes the flags file, forces it, then writes and forces
 * {@code status.dat}, so a persisted length never covers unwritten bits. Opening a directory whose status
 * names the legacy {@code flags_b.dat} migrates it to {@code flags_a.dat} first, as Qdrant does. Not
 * thread-safe.
 */
public final class DynamicStoredFlagsWriter implements AutoCloseable {

    /** Smallest size Qdrant gives {@code flags_a.dat}. */
    static final int MINIMAL_FLAGS_BYTES = 1 << 20;

    private final Path directory;
    private byte[] bits;
    private long length;
    private long persistedLength;
    private boolean dirty;

    private DynamicStoredFlagsWriter(Path directory, byte[] bits, long length) {
        this.directory = directory;
        this.bits = bits;
        this.length = length;
        this.persistedLength = length;
    }

    /**
     * Opens the flags in {@code directory}, creating the directory and an empty flag set (zero-length status)
     * when there is none.
     */
    public static DynamicStoredFlagsWriter openOrCreate(Path directory) {
        Path status = directory.resolve(DynamicStoredFlags.STATUS_FILE);
        try {
            Files.createDirectories(directory);
            if (!Files.exists(status)) {
                write(status, new byte[16]);
            }
            ByteBuffer buffer = ByteBuffer.wrap(Files.readAllBytes(status)).order(ByteOrder.LITTLE_ENDIAN);
            if (buffer.remaining() < 16) {
                throw new EdgeFormatException(status, "truncated: " + buffer.remaining() + " bytes, expected 16");
            }
            long length = buffer.getLong(0);
            long fileId = buffer.getLong(8);
            Path flags = directory.resolve(DynamicStoredFlags.FLAGS_FILE);
            if (fileId == 1) {
                Files.copy(directory.resolve(DynamicStoredFlags.LEGACY_FLAGS_FILE), flags,
                        StandardCopyOption.REPLACE_EXISTING);
                force(flags);
                buffer.putLong(8, 0);
                write(status, buffer.array());
            } else if (fileId != 0) {
                throw new EdgeFormatException(status, "unknown current flags file id " + Long.toUnsignedString(fileId));
            }
            if (length < 0 || length > 0xFFFF_FFFFL + 1) {
                throw new EdgeFormatException(status, "implausible flag count " + Long.toUnsignedString(length));
            }
            byte[] bits = new byte[(int) ((length + 7) / 8)];
            if (length > 0) {
                byte[] stored = Files.readAllBytes(flags);
                if (stored.length < bits.length) {
                    throw new EdgeFormatException(flags, "truncated: " + stored.length + " bytes for " + length
                            + " flags");
                }
                System.arraycopy(stored, 0, bits, 0, bits.length);
                int spare = (int) (length & 7);
                if (spare != 0) {
                    bits[bits.length - 1] &= (byte) ((1 << spare) - 1);
                }
            }
            if (!Files.exists(flags)) {
                try (FileChannel channel = FileChannel.open(flags, StandardOpenOption.CREATE_NEW,
                        StandardOpenOption.WRITE)) {
                    channel.write(ByteBuffer.allocate(1), capacityFor(length) - 1);
                    channel.force(true);
                }
            }
            return new DynamicStoredFlagsWriter(directory, bits, length);
        } catch (IOException e) {
            throw new EdgeFormatException(status, "cannot open flags: " + e.getMessage(), e);
        }
    }

    /** Number of flags (one past the highest index ever set). */
    public long length() {
        return length;
    }

    /** Whether flag {@code index} is set; false at or beyond the length. */
    public boolean get(long index) {
        return index >= 0 && index < length && (bits[(int) (index >>> 3)] & (1 << (index & 7))) != 0;
    }

    /** Sets flag {@code index} (an unsigned 32-bit number) and returns its previous value. */
    public boolean set(int index, boolean value) {
        long at = Integer.toUnsignedLong(index);
        boolean previous = get(at);
        if (at >= length) {
            length = at + 1;
            int needed = (int) ((length + 7) / 8);
            if (needed > bits.length) {
                bits = Arrays.copyOf(bits, Math.max(needed, Math.min(Integer.MAX_VALUE - 8, bits.length * 2)));
            }
            dirty = true;
        }
        if (previous != value) {
            int b = (int) (at >>> 3);
            bits[b] = (byte) (value ? bits[b] | 1 << (at & 7) : bits[b] & ~(1 << (at & 7)));
            dirty = true;
        }
        return previous;
    }

    /** One past the highest set flag, 0 when none is set. */
    public long lastSetPlusOne() {
        for (long i = length - 1; i >= 0; i--) {
            if (get(i)) {
                return i + 1;
            }
        }
        return 0;
    }

    /** Number of set flags. */
    public long countSet() {
        long count = 0;
        for (int i = 0; i < (length + 7) / 8; i++) {
            count += Integer.bitCount(bits[i] & 0xFF);
        }
        return count;
    }

    /** Writes {@code flags_a.dat} (grown as Qdrant sizes it, never shrunk), then {@code status.dat}. */
    public void flush() {
        if (!dirty && length == persistedLength) {
            return;
        }
        Path flags = directory.resolve(DynamicStoredFlags.FLAGS_FILE);
        int used = (int) ((length + 7) / 8);
        long capacity = capacityFor(length);
        try (FileChannel channel = FileChannel.open(flags, StandardOpenOption.CREATE, StandardOpenOption.WRITE)) {
            ByteBuffer buffer = ByteBuffer.wrap(bits, 0, used);
            long position = 0;
            while (buffer.hasRemaining()) {
                position += channel.write(buffer, position);
            }
            if (channel.size() < capacity) {
                channel.write(ByteBuffer.allocate(1), capacity - 1);
            }
            channel.force(true);
        } catch (IOException e) {
            throw new EdgeFormatException(flags, "cannot write: " + e.getMessage(), e);
        }
        ByteBuffer status = ByteBuffer.allocate(16).order(ByteOrder.LITTLE_ENDIAN).putLong(0, length).putLong(8, 0);
        write(directory.resolve(DynamicStoredFlags.STATUS_FILE), status.array());
        persistedLength = length;
        dirty = false;
    }

    /** Flushes. */
    @Override
    public void close() {
        flush();
    }

    /** {@code max(1 MiB, next power of two of ceil(length / 8))}, the size Qdrant gives the flags file. */
    static long capacityFor(long length) {
        long used = (length + 7) / 8;
        return Math.max(MINIMAL_FLAGS_BYTES, used <= 1 ? 1 : Long.highestOneBit(used - 1L) << 1);
    }

    private static void write(Path file, byte[] content) {
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.WRITE)) {
            ByteBuffer buffer = ByteBuffer.wrap(content);
            long position = 0;
            while (buffer.hasRemaining()) {
                position += channel.write(buffer, position);
            }
            channel.force(true);
        } catch (IOException e) {
            throw new EdgeFormatException(file, "cannot write: " + e.getMessage(), e);
        }
    }

    private static void force(Path file) throws IOException {
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.WRITE)) {
            channel.force(true);
        }
    }
}
