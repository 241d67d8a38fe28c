package dev.qdrantedge.engine.vectors;

import dev.qdrantedge.engine.EdgeFormatException;
import dev.qdrantedge.engine.io.BinaryFiles;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.BitSet;
import java.util.TreeSet;

/**
 * A {@code deleted/} flags directory opened for writing, as dense, multi-dense and sparse vector storages keep it.
 *
 * <p>Behaves like Qdrant's buffered flags: {@link #set} changes the in-memory bits at once (the logical length
 * grows to cover the index), and {@link #flush()} writes the changed bytes of {@code flags_a.dat}, grows
 * the persisted flag count in {@code status.dat} to one past the highest changed index, and forces both
 * files. On open, and whenever the count outgrows it, {@code flags_a.dat} is resized to Qdrant's capacity
 * for the count: {@code max(1 MiB, next power of two of ceil(count / 8))} bytes. A legacy directory whose
 * current file is {@code flags_b.dat} is migrated to {@code flags_a.dat} on open, as Qdrant does.
 */
public final class DynamicStoredFlagsWriter implements AutoCloseable {

    /** Smallest {@code flags_a.dat} Qdrant's release builds keep. */
    static final long MIN_FILE_BYTES = 1024 * 1024;
    private static final int STATUS_BYTES = 16;

    private final Path directory;
    private final FileChannel status;
    private FileChannel flags;
    private long capacityBytes;
    private long persistedLength;
    private long length;
    private final BitSet bits;
    private final TreeSet<Long> pending = new TreeSet<>();

    private DynamicStoredFlagsWriter(Path directory, FileChannel status, FileChannel flags, long capacityBytes,
            long length, BitSet bits) {
        this.directory = directory;
        this.status = status;
        this.flags = flags;
        this.capacityBytes = capacityBytes;
        this.persistedLength = length;
        this.length = length;
        this.bits = bits;
    }

    /** Opens {@code directory}, creating an empty flags directory where there is none. */
    public static DynamicStoredFlagsWriter open(Path directory) {
        try {
            Files.createDirectories(directory);
            Path statusFile = directory.resolve(DynamicStoredFlags.STATUS_FILE);
            if (!Files.exists(statusFile)) {
                Files.write(statusFile, new byte[STATUS_BYTES]);
            }
            ByteBuffer statusBytes = BinaryFiles.readAll(statusFile);
            if (statusBytes.remaining() < STATUS_BYTES) {
                throw new EdgeFormatException(statusFile, "truncated: " + statusBytes.remaining() + " bytes, expected "
                        + STATUS_BYTES + " (flag count and current file id)");
            }
            long length = statusBytes.getLong(0);
            long fileId = statusBytes.getLong(8);
            if (length < 0 || length > 0xFFFF_FFFFL + 1) {
                throw new EdgeFormatException(statusFile, "implausible flag count " + Long.toUnsignedString(length));
            }
            FileChannel status = FileChannel.open(statusFile, StandardOpenOption.READ, StandardOpenOption.WRITE);
            Path flagsFile = directory.resolve(DynamicStoredFlags.FLAGS_FILE);
            if (fileId == 1) {
                Files.copy(directory.resolve(DynamicStoredFlags.LEGACY_FLAGS_FILE), flagsFile,
                        StandardCopyOption.REPLACE_EXISTING);
                ChunkedVectorsWriter.writeFully(status, ByteBuffer.allocate(Long.BYTES), 8);
                status.force(false);
            } else if (fileId != 0) {
                status.close();
                throw new EdgeFormatException(statusFile, "unknown current flags file id "
                        + Long.toUnsignedString(fileId));
            }
            long capacity = fileBytesFor(length);
            resize(flagsFile, capacity);
            FileChannel flags = FileChannel.open(flagsFile, StandardOpenOption.READ, StandardOpenOption.WRITE);
            ByteBuffer data = ByteBuffer.allocate((int) ((length + 7) / 8));
            while (data.hasRemaining() && flags.read(data, data.position()) >= 0) {
                // read until full
            }
            BitSet bits = BitSet.valueOf(data.flip());
            if (bits.length() > length) {
                bits.clear((int) length, bits.length());
            }
            return new DynamicStoredFlagsWriter(directory, status, flags, capacity, length, bits);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot open flags directory " + directory, e);
        }
    }

    /** The size Qdrant gives {@code flags_a.dat} for {@code flagCount} flags. */
    static long fileBytesFor(long flagCount) {
        long bytes = (flagCount + 7) / 8;
        long power = bytes <= 1 ? 1 : Long.highestOneBit(bytes - 1) << 1;
        return Math.max(MIN_FILE_BYTES, power);
    }

    private static void resize(Path file, long bytes) throws IOException {
        try (RandomAccessFile raf = new RandomAccessFile(file.toFile(), "rw")) {
            raf.setLength(bytes);
        }
    }

    /** The logical flag count, including flags set since the last flush. */
    public long length() {
        return length;
    }

    /** Whether flag {@code index} is set; false at or beyond {@link #length()}. */
    public boolean isSet(long index) {
        return index >= 0 && index < length && bits.get(Math.toIntExact(index));
    }

    /** Sets or clears flag {@code index}, growing the length to cover it; returns its previous value. */
    public boolean set(long index, boolean value) {
        if (index < 0 || index > 0xFFFF_FFFEL) {
            throw new IllegalArgumentException("flag index out of range: " + index);
        }
        int i = Math.toIntExact(index);
        boolean previous = isSet(index);
        if (index >= length) {
            length = index + 1;
        }
        bits.set(i, value);
        pending.add(index);
        return previous;
    }

    /** One past the highest set flag, 0 when none is set. */
    public long lastSetPlusOne() {
        return bits.length();
    }

    /** Persists the changed flags, then the flag count, forcing both files; nothing happens without changes. */
    public void flush() {
        if (pending.isEmpty()) {
            return;
        }
        try {
            long required = pending.last() + 1;
            if (required > persistedLength && required > capacityBytes * 8) {
                flags.force(false);
                flags.close();
                Path flagsFile = directory.resolve(DynamicStoredFlags.FLAGS_FILE);
                capacityBytes = fileBytesFor(required);
                resize(flagsFile, capacityBytes);
                flags = FileChannel.open(flagsFile, StandardOpenOption.READ, StandardOpenOption.WRITE);
            }
            long lastByte = -1;
            for (long index : pending) {
                long byteIndex = index >>> 3;
                if (byteIndex == lastByte) {
                    continue;
                }
                lastByte = byteIndex;
                int value = 0;
                for (int bit = 0; bit < 8; bit++) {
                    if (bits.get((int) (byteIndex * 8 + bit))) {
                        value |= 1 << bit;
                    }
                }
                ChunkedVectorsWriter.writeFully(flags, ByteBuffer.wrap(new byte[] {(byte) value}), byteIndex);
            }
            flags.force(false);
            if (required > persistedLength) {
                persistedLength = required;
            }
            ByteBuffer statusBytes = ByteBuffer.allocate(STATUS_BYTES).order(ByteOrder.LITTLE_ENDIAN);
            statusBytes.putLong(0, persistedLength).putLong(8, 0);
            ChunkedVectorsWriter.writeFully(status, statusBytes, 0);
            status.force(false);
            pending.clear();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot flush flags directory " + directory, e);
        }
    }

    @Override
    public void close() {
        try {
            flags.close();
            status.close();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot close flags directory " + directory, e);
        }
    }
}
