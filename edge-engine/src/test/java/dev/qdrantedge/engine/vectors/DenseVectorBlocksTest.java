package dev.qdrantedge.engine.vectors;

import static dev.qdrantedge.engine.vectors.StorageFixtures.f16;
import static dev.qdrantedge.engine.vectors.StorageFixtures.f32;
import static dev.qdrantedge.engine.vectors.StorageFixtures.u8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Block reads decode consecutive slots exactly as {@link VectorStorage#get} decodes them one by one. */
class DenseVectorBlocksTest {

    @TempDir
    Path storage;

    @Test
    void chunkedBlocksSpanChunksAndKeepDeletedSlotsInPlace() {
        StorageFixtures.writeChunked(storage.resolve("vectors"), 2, 4, 2, f32(1, 2, 3, 4, 5, 6, 7, 8, 9, 10));
        StorageFixtures.writeFlags(storage.resolve("deleted"), 5, 1);
        try (AppendableDenseVectorStorage s = AppendableDenseVectorStorage.open(storage, 2, VectorDatatype.FLOAT32)) {
            float[] out = new float[12];
            s.readBlock(1, 4, out, 2);
            assertThat(out).containsExactly(0, 0, 3, 4, 5, 6, 7, 8, 9, 10, 0, 0);
            assertThat(s.hasVector(1)).isFalse();
            assertThat(s.hasVector(4)).isTrue();
            assertThat(s.hasVector(5)).isFalse();
            assertThat(s.dim()).isEqualTo(2);
            assertThatThrownBy(() -> s.readBlock(3, 3, out, 0)).isInstanceOf(IndexOutOfBoundsException.class);
        }
    }

    @Test
    void halfAndByteElementsAreDecodedInBlocks() {
        Path half = storage.resolve("half");
        StorageFixtures.writeChunked(half.resolve("vectors"), 2, 2, 3, f16(0x3C00, 0xC000, 0x3555, 0x0001, 0x7BFF, 0));
        StorageFixtures.writeFlags(half.resolve("deleted"), 0);
        try (AppendableDenseVectorStorage s = AppendableDenseVectorStorage.open(half, 2, VectorDatatype.FLOAT16)) {
            float[] out = new float[6];
            s.readBlock(0, 3, out, 0);
            for (int i = 0; i < 3; i++) {
                assertThat(new float[] {out[2 * i], out[2 * i + 1]}).containsExactly(s.get(i).values());
            }
            assertThat(out[0]).isEqualTo(1.0f);
            assertThat(out[4]).isEqualTo(65504.0f);
        }
        Path bytes = storage.resolve("bytes");
        StorageFixtures.writeMatrix(bytes, u8(0, 1, 127, 128, 255, 200));
        StorageFixtures.writeDeletedFile(bytes, 2);
        try (SingleFileDenseVectorStorage s = SingleFileDenseVectorStorage.open(bytes, 3, VectorDatatype.UINT8)) {
            float[] out = new float[6];
            s.readBlock(0, 2, out, 0);
            assertThat(out).containsExactly(0, 1, 127, 128, 255, 200);
            assertThat(s.datatype()).isEqualTo(VectorDatatype.UINT8);
        }
    }

    @Test
    void theWriterReadsBlocksOfWhatItWrote() {
        try (AppendableDenseVectorWriter w = AppendableDenseVectorWriter.open(storage, 3, VectorDatatype.FLOAT32)) {
            w.put(0, new float[] {1, 2, 3});
            w.put(2, new float[] {7, 8, 9});
            w.delete(0);
            float[] out = new float[9];
            w.readBlock(0, 3, out, 0);
            assertThat(out).containsExactly(1, 2, 3, 0, 0, 0, 7, 8, 9);
            assertThat(w.hasVector(0)).isFalse();
            assertThat(w.hasVector(2)).isTrue();
            assertThat(w.hasVector(3)).isFalse();
        }
    }
}
