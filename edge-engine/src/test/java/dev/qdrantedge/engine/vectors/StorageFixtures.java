package dev.qdrantedge.engine.vectors;

import dev.qdrantedge.engine.segment.VectorDataConfig;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import tools.jackson.databind.node.JsonNodeFactory;

/** Writes small vector-storage files by hand, in the layouts Qdrant uses, for edge-case tests. */
final class StorageFixtures {

    private StorageFixtures() {
    }

    static byte[] f32(float... values) {
        ByteBuffer b = ByteBuffer.allocate(values.length * 4).order(ByteOrder.LITTLE_ENDIAN);
        for (float v : values) {
            b.putFloat(v);
        }
        return b.array();
    }

    static byte[] f16(int... halfBits) {
        ByteBuffer b = ByteBuffer.allocate(halfBits.length * 2).order(ByteOrder.LITTLE_ENDIAN);
        for (int h : halfBits) {
            b.putShort((short) h);
        }
        return b.array();
    }

    static byte[] u8(int... values) {
        byte[] out = new byte[values.length];
        for (int i = 0; i < values.length; i++) {
            out[i] = (byte) values[i];
        }
        return out;
    }

    /** {@code {offset, count, capacity}} records of a multi-vector offsets store. */
    static byte[] offsets(int... offsetCountCapacity) {
        ByteBuffer b = ByteBuffer.allocate(offsetCountCapacity.length * 4).order(ByteOrder.LITTLE_ENDIAN);
        for (int v : offsetCountCapacity) {
            b.putInt(v);
        }
        return b.array();
    }

    static byte[] concat(byte[]... parts) {
        int n = 0;
        for (byte[] p : parts) {
            n += p.length;
        }
        ByteBuffer b = ByteBuffer.allocate(n);
        for (byte[] p : parts) {
            b.put(p);
        }
        return b.array();
    }

    /**
     * A ChunkedVectors directory: {@code records} (whole records of {@code dim * elementBytes} bytes) stored
     * {@code chunkSize} per chunk, every chunk file at its full size.
     */
    static void writeChunked(Path dir, int dim, int elementBytes, int chunkSize, byte[] records) {
        int recordBytes = dim * elementBytes;
        int count = records.length / recordBytes;
        mkdirs(dir);
        write(dir.resolve("config.json"), ("{\"chunk_size_bytes\":" + (chunkSize * recordBytes)
                + ",\"chunk_size_vectors\":" + chunkSize + ",\"dim\":" + dim + "}").getBytes(StandardCharsets.UTF_8));
        write(dir.resolve("status.dat"), longs(count));
        int chunks = (count + chunkSize - 1) / chunkSize;
        for (int c = 0; c < chunks; c++) {
            byte[] chunk = new byte[chunkSize * recordBytes];
            int from = c * chunkSize * recordBytes;
            System.arraycopy(records, from, chunk, 0, Math.min(chunk.length, records.length - from));
            write(dir.resolve("chunk_" + c + ".mmap"), chunk);
        }
    }

    /** A {@code deleted/} DynamicStoredFlags directory with {@code length} flags, the given ones set. */
    static void writeFlags(Path dir, long length, long... set) {
        mkdirs(dir);
        write(dir.resolve("status.dat"), longs(length, 0));
        write(dir.resolve("flags_a.dat"), bits(Math.max(128, (int) ((length + 7) / 8)), set));
    }

    /** {@code matrix.dat}: the {@code data} header and the given vector bytes. */
    static void writeMatrix(Path dir, byte[] vectors) {
        mkdirs(dir);
        write(dir.resolve("matrix.dat"), concat("data".getBytes(StandardCharsets.US_ASCII), vectors));
    }

    /** {@code deleted.dat} sized for {@code count} vectors, the given ones set. */
    static void writeDeletedFile(Path dir, long count, long... set) {
        mkdirs(dir);
        int dataBytes = (int) (DeletedFile.expectedSize(count) - 8);
        write(dir.resolve("deleted.dat"), concat("drop".getBytes(StandardCharsets.US_ASCII), new byte[4],
                bits(dataBytes, set)));
    }

    static byte[] bits(int bytes, long... set) {
        byte[] out = new byte[bytes];
        for (long i : set) {
            out[(int) (i / 8)] |= (byte) (1 << (i % 8));
        }
        return out;
    }

    static byte[] longs(long... values) {
        ByteBuffer b = ByteBuffer.allocate(values.length * 8).order(ByteOrder.LITTLE_ENDIAN);
        for (long v : values) {
            b.putLong(v);
        }
        return b.array();
    }

    static VectorDataConfig config(int size, VectorStorageType storage, boolean multivector, VectorDatatype datatype) {
        return new VectorDataConfig(size, Distance.DOT, storage, storage.appendable() ? "plain" : "hnsw",
                JsonNodeFactory.instance.objectNode(), multivector, datatype, JsonNodeFactory.instance.nullNode());
    }

    static void write(Path file, byte[] content) {
        try {
            Files.write(file, content);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static void truncate(Path file, long newSize) {
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.WRITE)) {
            channel.truncate(newSize);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void mkdirs(Path dir) {
        try {
            Files.createDirectories(dir);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
