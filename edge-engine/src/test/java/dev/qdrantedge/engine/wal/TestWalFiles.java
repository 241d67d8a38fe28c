package dev.qdrantedge.engine.wal;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HexFormat;

/** Writes WAL segment files the way Qdrant does, for tests: header, framed entries, chained CRC-32C. */
final class TestWalFiles {

    private TestWalFiles() {
    }

    /** A segment's bytes and where each entry starts. */
    record Segment(byte[] bytes, long[] offsets) {
        Segment write(Path file) {
            try {
                Files.createDirectories(file.getParent());
                Files.write(file, bytes);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            return this;
        }
    }

    static Segment segment(int seed, int capacity, byte[]... entries) {
        ByteBuffer buffer = ByteBuffer.allocate(capacity).order(ByteOrder.LITTLE_ENDIAN);
        buffer.put("wal".getBytes(StandardCharsets.US_ASCII)).put((byte) 0).putInt(seed);
        long[] offsets = new long[entries.length];
        int crc = seed;
        for (int i = 0; i < entries.length; i++) {
            int start = buffer.position();
            offsets[i] = start;
            int padding = (int) WalSegmentScanner.padding(entries[i].length);
            buffer.putLong(entries[i].length).put(entries[i]).put(new byte[padding]);
            crc = Crc32c.chain(crc, buffer.array(), start, buffer.position() - start);
            buffer.putInt(crc);
        }
        return new Segment(buffer.array(), offsets);
    }

    static byte[] hex(String hex) {
        return HexFormat.of().parseHex(hex.replaceAll("\\s", ""));
    }

    /** A small valid record: {"delete_points":{"ids":[id]}} for an id below 24. */
    static byte[] deletePoint(int id) {
        return hex("a1 6d 64656c6574655f706f696e7473 a1 63 696473 81" + String.format("%02x", id));
    }
}
