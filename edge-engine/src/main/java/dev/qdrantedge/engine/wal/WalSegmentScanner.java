package dev.qdrantedge.engine.wal;

import dev.qdrantedge.engine.EdgeFormatException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Arrays;

/**
 * Reads one segment file the way Qdrant opens it: check the 8-byte header ({@code "wal"}, version 0,
 * CRC seed), then follow entries ({@code u64} length, data, zero padding to 8-byte alignment,
 * {@code u32} CRC-32C of length+data+padding chained from the previous CRC) until one does not fit or
 * fails its CRC. Only entry slots are read, so the unwritten (sparse) rest of a segment costs nothing.
 *
 * <p>Where the valid entries end is classified so that the caller can tell the normal end (zeros, or
 * a torn last write) from damage: an entry failing its CRC while the slot after it holds data, or a
 * length too large for the segment.
 */
final class WalSegmentScanner {

    static final int HEADER_LEN = 8;
    static final int CRC_LEN = 4;
    static final byte VERSION = 0;
    /** Longest entry this reader handles; Qdrant's segments are far smaller (32 MiB by default). */
    static final long MAX_ENTRY = Integer.MAX_VALUE - 64;

    private WalSegmentScanner() {
    }

    /** Zero padding after {@code length} data bytes so that length header + data + padding + CRC is 8-aligned. */
    static long padding(long length) {
        return (4 - length) & 7;
    }

    static ScannedSegment scan(Path file, WalSegmentName name) {
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ)) {
            return scan(file, name, channel);
        } catch (IOException e) {
            throw new EdgeFormatException(file, "cannot read WAL segment: " + e.getMessage(), e);
        }
    }

    private static ScannedSegment scan(Path file, WalSegmentName name, FileChannel channel) throws IOException {
        long size = channel.size();
        if (size < HEADER_LEN) {
            throw new EdgeFormatException(file, "invalid WAL segment: " + size + " bytes, shorter than its "
                    + HEADER_LEN + "-byte header");
        }
        long capacity = size & ~7L;
        ByteBuffer header = read(channel, file, 0, HEADER_LEN);
        if (header.get(0) != 'w' || header.get(1) != 'a' || header.get(2) != 'l') {
            throw new EdgeFormatException(file, "not a WAL segment: header does not start with \"wal\"");
        }
        if (header.get(3) != VERSION) {
            throw new EdgeFormatException(file, "unsupported WAL segment version " + (header.get(3) & 0xFF));
        }
        int seed = header.getInt(4);

        long[] offsets = new long[16];
        int[] lengths = new int[16];
        int count = 0;
        int crc = seed;
        long offset = HEADER_LEN;
        ScannedSegment.End end = ScannedSegment.End.FULL;
        String detail = "segment full";
        while (offset + HEADER_LEN + CRC_LEN < capacity) {
            long length = read(channel, file, offset, HEADER_LEN).getLong(0);
            long room = capacity - offset - HEADER_LEN - CRC_LEN;
            if (length < 0 || length > MAX_ENTRY || length + padding(length) > room) {
                if (length == 0) {
                    end = ScannedSegment.End.ZEROS;
                    detail = "no further entry";
                } else {
                    end = ScannedSegment.End.DAMAGED;
                    detail = "entry length " + Long.toUnsignedString(length) + " does not fit in the "
                            + (capacity - offset) + " bytes left in the segment";
                }
                break;
            }
            int padded = (int) (length + padding(length));
            ByteBuffer slot = read(channel, file, offset, HEADER_LEN + padded + CRC_LEN);
            int stored = slot.getInt(HEADER_LEN + padded);
            int actual = Crc32c.chain(crc, slot.duplicate().limit(HEADER_LEN + padded));
            if (actual != stored) {
                if (isAllZero(slot)) {
                    end = ScannedSegment.End.ZEROS;
                    detail = "no further entry";
                } else {
                    long next = offset + HEADER_LEN + padded + CRC_LEN;
                    boolean dataFollows = next + HEADER_LEN <= capacity
                            && read(channel, file, next, HEADER_LEN).getLong(0) != 0;
                    end = dataFollows ? ScannedSegment.End.DAMAGED : ScannedSegment.End.TORN;
                    detail = String.format("entry of %d bytes fails its CRC (stored %08x, computed %08x)%s",
                            length, stored, actual, dataFollows ? " and further data follows it" : "");
                }
                break;
            }
            if (count == offsets.length) {
                offsets = Arrays.copyOf(offsets, count * 2);
                lengths = Arrays.copyOf(lengths, count * 2);
            }
            offsets[count] = offset;
            lengths[count] = (int) length;
            count++;
            crc = actual;
            offset += HEADER_LEN + padded + CRC_LEN;
        }
        return new ScannedSegment(file, name, seed, capacity, Arrays.copyOf(offsets, count),
                Arrays.copyOf(lengths, count), crc, end, offset, detail);
    }

    private static boolean isAllZero(ByteBuffer buffer) {
        for (int i = 0; i < buffer.limit(); i++) {
            if (buffer.get(i) != 0) {
                return false;
            }
        }
        return true;
    }

    static ByteBuffer read(FileChannel channel, Path file, long position, int length) throws IOException {
        ByteBuffer buffer = ByteBuffer.allocate(length).order(ByteOrder.LITTLE_ENDIAN);
        while (buffer.hasRemaining()) {
            if (channel.read(buffer, position + buffer.position()) < 0) {
                throw new EdgeFormatException(file, "WAL segment ends at " + (position + buffer.position())
                        + " while reading " + length + " bytes at offset " + position);
            }
        }
        return buffer.flip();
    }
}
