package dev.qdrantedge.engine.vectors;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

class DenseVectorWritersTest {

    @TempDir
    Path dir;

    @ParameterizedTest
    @EnumSource(VectorDatatype.class)
    void appendableRoundTripThroughTheReader(VectorDatatype type) throws IOException {
        try (AppendableDenseVectorWriter w = AppendableDenseVectorWriter.open(dir, 3, type)) {
            w.put(0, new float[] {1, 2, 3});
            w.put(2, new float[] {4, 5, 6});
            w.putAbsent(3);
            assertThat(w.delete(0)).isTrue();
            assertThat(w.delete(0)).isFalse();
            w.put(0, new float[] {7, 8, 9});
            assertThat(((DenseVector) w.get(0)).values()).containsExactly(7, 8, 9);
            assertThat(((DenseVector) w.get(1)).values()).containsExactly(0, 0, 0);
            assertThat(w.get(3)).isNull();
            w.flush();
        }
        try (AppendableDenseVectorStorage r = AppendableDenseVectorStorage.open(dir, 3, type)) {
            assertThat(r.slotCount()).isEqualTo(4);
            assertThat(r.get(0).values()).containsExactly(7, 8, 9);
            assertThat(r.get(2).values()).containsExactly(4, 5, 6);
            assertThat(r.get(3)).isNull();
        }
        long chunkBytes = ChunkedVectorsWriter.CHUNK_SIZE_BYTES / (3L * type.bytes()) * 3 * type.bytes();
        assertThat(Files.size(dir.resolve("vectors/chunk_0.mmap"))).isEqualTo(chunkBytes);
        assertThat(Files.readString(dir.resolve("vectors/config.json"))).isEqualTo("{\"chunk_size_bytes\":" + chunkBytes
                + ",\"chunk_size_vectors\":" + chunkBytes / (3L * type.bytes()) + ",\"dim\":3}");
        ByteBuffer status = ByteBuffer.wrap(Files.readAllBytes(dir.resolve("deleted/status.dat")))
                .order(ByteOrder.LITTLE_ENDIAN);
        assertThat(status.getLong(0)).isEqualTo(4);
        assertThat(Files.size(dir.resolve("deleted/flags_a.dat"))).isEqualTo(1 << 20);
    }

    @Test
    void flagsFileGrowsToThePowerOfTwoQdrantUses() throws IOException {
        try (DynamicStoredFlagsWriter f = DynamicStoredFlagsWriter.open(dir)) {
            f.set(8L * (1 << 20) + 5, true);
            f.flush();
        }
        assertThat(Files.size(dir.resolve("flags_a.dat"))).isEqualTo(2L << 20);
        FlagBits bits = DynamicStoredFlags.open(dir);
        assertThat(bits.length()).isEqualTo(8L * (1 << 20) + 6);
        assertThat(bits.isSet(8L * (1 << 20) + 5)).isTrue();
        assertThat(bits.isSet(0)).isFalse();
        try (DynamicStoredFlagsWriter reopened = DynamicStoredFlagsWriter.open(dir)) {
            assertThat(reopened.isSet(8L * (1 << 20) + 5)).isTrue();
        }
    }

    @Test
    void recordsSpillIntoNewChunks() {
        int dim = 3 * 1024 * 1024; // 12 MiB records: two per chunk
        float[] v = new float[dim];
        try (AppendableDenseVectorWriter w = AppendableDenseVectorWriter.open(dir, dim, VectorDatatype.FLOAT32)) {
            for (int i = 0; i < 3; i++) {
                v[0] = i + 1;
                w.put(i, v);
            }
            w.flush();
        }
        assertThat(dir.resolve("vectors/chunk_1.mmap")).exists();
        try (AppendableDenseVectorStorage r = AppendableDenseVectorStorage.open(dir, dim, VectorDatatype.FLOAT32)) {
            assertThat(r.get(2).values()[0]).isEqualTo(3);
        }
    }

    @Test
    void multivectorsRewriteInPlaceOrRelocate() {
        try (MultiDenseVectorWriter w = MultiDenseVectorWriter.open(dir, 2, VectorDatatype.FLOAT16)) {
            w.put(0, new float[][] {{1, 2}, {3, 4}});
            w.put(1, new float[][] {{5, 6}});
            w.put(0, new float[][] {{7, 8}});
            w.put(1, new float[][] {{9, 10}, {11, 12}});
            w.putAbsent(2);
            assertThat(w.get(1).vectors()).hasDimensions(2, 2);
            w.flush();
        }
        try (MultiDenseVectorStorage r = MultiDenseVectorStorage.open(dir, 2, VectorDatatype.FLOAT16)) {
            assertThat(r.slotCount()).isEqualTo(3);
            assertThat(r.get(0).vectors()).isEqualTo(new float[][] {{7, 8}});
            assertThat(r.get(1).vectors()).isEqualTo(new float[][] {{9, 10}, {11, 12}});
            assertThat(r.get(2)).isNull();
        }
    }
}
