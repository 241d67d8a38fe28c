package dev.qdrantedge.engine.vectors;

import static dev.qdrantedge.engine.vectors.StorageFixtures.concat;
import static dev.qdrantedge.engine.vectors.StorageFixtures.f16;
import static dev.qdrantedge.engine.vectors.StorageFixtures.f32;
import static dev.qdrantedge.engine.vectors.StorageFixtures.u8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.qdrantedge.engine.EdgeFormatException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class AppendableDenseVectorStorageTest {

    @TempDir
    Path storage;

    @Test
    void readsVectorsAcrossChunksAndHonoursDeletedFlags() {
        StorageFixtures.writeChunked(storage.resolve("vectors"), 2, 4, 2,
                f32(1, 2, 3, 4, 5, 6, 7, 8, 9, 10));
        StorageFixtures.writeFlags(storage.resolve("deleted"), 5, 1);

        try (AppendableDenseVectorStorage s = AppendableDenseVectorStorage.open(storage, 2, VectorDatatype.FLOAT32)) {
            assertThat(s.slotCount()).isEqualTo(5);
            assertThat(s.get(0).values()).containsExactly(1, 2);
            assertThat(s.get(1)).as("deleted").isNull();
            assertThat(s.get(2).values()).containsExactly(5, 6);
            assertThat(s.get(3).values()).containsExactly(7, 8);
            assertThat(s.get(4).values()).as("third chunk").containsExactly(9, 10);
            assertThat(s.get(5)).as("beyond the stored count").isNull();
            assertThat(s.get(-1)).isNull();
        }
    }

    @Test
    void flagsShorterThanTheVectorsReadAsNotDeleted() {
        StorageFixtures.writeChunked(storage.resolve("vectors"), 1, 4, 4, f32(1, 2, 3));
        StorageFixtures.writeFlags(storage.resolve("deleted"), 1, 0);

        try (AppendableDenseVectorStorage s = AppendableDenseVectorStorage.open(storage, 1, VectorDatatype.FLOAT32)) {
            assertThat(s.get(0)).isNull();
            assertThat(s.get(2).values()).containsExactly(3);
        }
    }

    @Test
    void readsTheLegacyFlagsFileWhenTheStatusSaysSo() throws IOException {
        StorageFixtures.writeChunked(storage.resolve("vectors"), 1, 4, 4, f32(1, 2, 3));
        Path deleted = storage.resolve("deleted");
        StorageFixtures.writeFlags(deleted, 3);
        StorageFixtures.write(deleted.resolve("status.dat"), StorageFixtures.longs(3, 1));
        StorageFixtures.write(deleted.resolve("flags_b.dat"), StorageFixtures.bits(8, 2));

        try (AppendableDenseVectorStorage s = AppendableDenseVectorStorage.open(storage, 1, VectorDatatype.FLOAT32)) {
            assertThat(s.get(1).values()).containsExactly(2);
            assertThat(s.get(2)).isNull();
        }
        Files.delete(deleted.resolve("flags_b.dat"));
        assertFormatError(deleted.resolve("flags_b.dat"), "missing");
    }

    @Test
    void decodesFloat16IncludingSubnormalsAndInfinities() {
        StorageFixtures.writeChunked(storage.resolve("vectors"), 3, 2, 8,
                f16(0x0001, 0x03FF, 0x7C00, 0xFC00, 0x8000, 0x3C00));
        StorageFixtures.writeFlags(storage.resolve("deleted"), 2);

        try (AppendableDenseVectorStorage s = AppendableDenseVectorStorage.open(storage, 3, VectorDatatype.FLOAT16)) {
            assertThat(s.get(0).values()).containsExactly(0x1p-24f, 1023 * 0x1p-24f, Float.POSITIVE_INFINITY);
            float[] second = s.get(1).values();
            assertThat(second[0]).isEqualTo(Float.NEGATIVE_INFINITY);
            assertThat(Float.floatToRawIntBits(second[1])).isEqualTo(0x8000_0000);
            assertThat(second[2]).isEqualTo(1.0f);
        }
    }

    @Test
    void decodesUint8AsTheUnsignedByteValue() {
        StorageFixtures.writeChunked(storage.resolve("vectors"), 4, 1, 8, concat(u8(0, 1, 127, 128), u8(200, 255, 3, 4)));
        StorageFixtures.writeFlags(storage.resolve("deleted"), 2);

        try (AppendableDenseVectorStorage s = AppendableDenseVectorStorage.open(storage, 4, VectorDatatype.UINT8)) {
            assertThat(s.get(0).values()).containsExactly(0, 1, 127, 128);
            assertThat(s.get(1).values()).containsExactly(200, 255, 3, 4);
        }
    }

    @Test
    void anAbsentChunkFileIsAnErrorNamingIt() throws IOException {
        StorageFixtures.writeChunked(storage.resolve("vectors"), 1, 4, 2, f32(1, 2, 3, 4, 5));
        StorageFixtures.writeFlags(storage.resolve("deleted"), 5);
        Files.delete(storage.resolve("vectors/chunk_2.mmap"));

        assertFormatError(storage.resolve("vectors/chunk_2.mmap"), "chunk file is missing");
    }

    @Test
    void aGapInTheChunkIdsIsAnErrorNamingTheMissingChunk() throws IOException {
        StorageFixtures.writeChunked(storage.resolve("vectors"), 1, 4, 2, f32(1, 2, 3, 4, 5));
        StorageFixtures.writeFlags(storage.resolve("deleted"), 5);
        Files.delete(storage.resolve("vectors/chunk_1.mmap"));

        assertFormatError(storage.resolve("vectors/chunk_1.mmap"), "chunk_2.mmap exists");
    }

    @Test
    void aTruncatedChunkIsAnErrorNamingIt() {
        StorageFixtures.writeChunked(storage.resolve("vectors"), 1, 4, 4, f32(1, 2, 3, 4, 5, 6));
        StorageFixtures.writeFlags(storage.resolve("deleted"), 6);
        StorageFixtures.truncate(storage.resolve("vectors/chunk_0.mmap"), 10);

        assertFormatError(storage.resolve("vectors/chunk_0.mmap"), "truncated");
    }

    @Test
    void aShortStatusFileIsAnErrorNamingIt() {
        StorageFixtures.writeChunked(storage.resolve("vectors"), 1, 4, 4, f32(1));
        StorageFixtures.writeFlags(storage.resolve("deleted"), 1);
        StorageFixtures.truncate(storage.resolve("vectors/status.dat"), 4);

        assertFormatError(storage.resolve("vectors/status.dat"), "truncated");
    }

    @Test
    void aTruncatedFlagsFileIsAnErrorNamingIt() {
        StorageFixtures.writeChunked(storage.resolve("vectors"), 1, 4, 4, f32(1));
        StorageFixtures.writeFlags(storage.resolve("deleted"), 2000);
        StorageFixtures.truncate(storage.resolve("deleted/flags_a.dat"), 100);

        assertFormatError(storage.resolve("deleted/flags_a.dat"), "truncated");
    }

    @Test
    void aMissingDeletedStatusIsAnErrorNamingIt() throws IOException {
        StorageFixtures.writeChunked(storage.resolve("vectors"), 1, 4, 4, f32(1));
        StorageFixtures.writeFlags(storage.resolve("deleted"), 1);
        Files.delete(storage.resolve("deleted/status.dat"));

        assertFormatError(storage.resolve("deleted/status.dat"), "missing");
    }

    @Test
    void aDimensionOtherThanTheSegmentConfigIsAnError() {
        StorageFixtures.writeChunked(storage.resolve("vectors"), 2, 4, 4, f32(1, 2));
        StorageFixtures.writeFlags(storage.resolve("deleted"), 1);

        assertThatThrownBy(() -> AppendableDenseVectorStorage.open(storage, 3, VectorDatatype.FLOAT32))
                .isInstanceOf(EdgeFormatException.class).hasMessageContaining("dim is 2")
                .extracting(e -> ((EdgeFormatException) e).file()).isEqualTo(storage.resolve("vectors/config.json"));
    }

    @Test
    void filesWrittenForAnotherDatatypeAreRefused() {
        StorageFixtures.writeChunked(storage.resolve("vectors"), 2, 4, 4, f32(1, 2));
        StorageFixtures.writeFlags(storage.resolve("deleted"), 1);

        assertThatThrownBy(() -> AppendableDenseVectorStorage.open(storage, 2, VectorDatatype.FLOAT16))
                .isInstanceOf(EdgeFormatException.class).hasMessageContaining("datatype")
                .extracting(e -> ((EdgeFormatException) e).file()).isEqualTo(storage.resolve("vectors/config.json"));
    }

    @Test
    void noVectorsNeedNoChunks() {
        StorageFixtures.writeChunked(storage.resolve("vectors"), 2, 4, 4, new byte[0]);
        StorageFixtures.writeFlags(storage.resolve("deleted"), 0);

        try (AppendableDenseVectorStorage s = AppendableDenseVectorStorage.open(storage, 2, VectorDatatype.FLOAT32)) {
            assertThat(s.slotCount()).isZero();
            assertThat(s.get(0)).isNull();
        }
    }

    @Test
    void readingAfterCloseIsRefused() {
        StorageFixtures.writeChunked(storage.resolve("vectors"), 1, 4, 4, f32(1));
        StorageFixtures.writeFlags(storage.resolve("deleted"), 1);
        AppendableDenseVectorStorage s = AppendableDenseVectorStorage.open(storage, 1, VectorDatatype.FLOAT32);
        s.close();

        assertThatThrownBy(() -> s.get(0)).isInstanceOf(IllegalStateException.class);
    }

    private void assertFormatError(Path file, String message) {
        assertThatThrownBy(() -> AppendableDenseVectorStorage.open(storage, 1, VectorDatatype.FLOAT32))
                .isInstanceOf(EdgeFormatException.class)
                .hasMessageContaining(file.toString())
                .hasMessageContaining(message)
                .extracting(e -> ((EdgeFormatException) e).file()).isEqualTo(file);
    }
}
