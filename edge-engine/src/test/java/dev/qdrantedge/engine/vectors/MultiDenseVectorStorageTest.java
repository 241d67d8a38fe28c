package dev.qdrantedge.engine.vectors;

import static dev.qdrantedge.engine.vectors.StorageFixtures.f16;
import static dev.qdrantedge.engine.vectors.StorageFixtures.f32;
import static dev.qdrantedge.engine.vectors.StorageFixtures.offsets;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.qdrantedge.engine.EdgeFormatException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class MultiDenseVectorStorageTest {

    @TempDir
    Path storage;

    @Test
    void readsEachPointsInnerVectorsFromItsOffsetsEntry() {
        // inner vectors of dim 2, 3 per chunk: point 0 = rows 0..1, point 1 deleted, point 2 = rows 3..5
        // (moved to the next chunk start, as Qdrant does), point 3 = row 2 (its capacity is larger)
        StorageFixtures.writeChunked(storage.resolve("vectors"), 2, 4, 3, f32(1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12));
        StorageFixtures.writeChunked(storage.resolve("offsets"), 1, 12, 2,
                offsets(0, 2, 2, 0, 0, 0, 3, 3, 3, 2, 1, 4));
        StorageFixtures.writeFlags(storage.resolve("deleted"), 4, 1);

        try (MultiDenseVectorStorage s = MultiDenseVectorStorage.open(storage, 2, VectorDatatype.FLOAT32)) {
            assertThat(s.slotCount()).isEqualTo(4);
            assertThat(s.get(0).vectors()).isDeepEqualTo(new float[][] {{1, 2}, {3, 4}});
            assertThat(s.get(1)).isNull();
            assertThat(s.get(2).vectors()).isDeepEqualTo(new float[][] {{7, 8}, {9, 10}, {11, 12}});
            assertThat(s.get(3).vectors()).isDeepEqualTo(new float[][] {{5, 6}});
            assertThat(s.get(4)).isNull();
        }
    }

    @Test
    void decodesFloat16InnerVectors() {
        StorageFixtures.writeChunked(storage.resolve("vectors"), 1, 2, 8, f16(0x3C00, 0x0001, 0xFC00));
        StorageFixtures.writeChunked(storage.resolve("offsets"), 1, 12, 8, offsets(0, 3, 3));
        StorageFixtures.writeFlags(storage.resolve("deleted"), 1);

        try (MultiDenseVectorStorage s = MultiDenseVectorStorage.open(storage, 1, VectorDatatype.FLOAT16)) {
            assertThat(s.get(0).vectors()).isDeepEqualTo(new float[][] {{1}, {0x1p-24f}, {Float.NEGATIVE_INFINITY}});
        }
    }

    @Test
    void anOffsetsEntryPointingBeyondTheInnerVectorsIsAnErrorNamingTheOffsetsChunk() {
        StorageFixtures.writeChunked(storage.resolve("vectors"), 2, 4, 8, f32(1, 2, 3, 4));
        StorageFixtures.writeChunked(storage.resolve("offsets"), 1, 12, 2, offsets(0, 2, 2, 0, 1, 1, 1, 2, 2));
        StorageFixtures.writeFlags(storage.resolve("deleted"), 3);

        try (MultiDenseVectorStorage s = MultiDenseVectorStorage.open(storage, 2, VectorDatatype.FLOAT32)) {
            assertThat(s.get(1).vectors()).isDeepEqualTo(new float[][] {{1, 2}});
            Path offsetsChunk = storage.resolve("offsets/chunk_1.mmap");
            assertThatThrownBy(() -> s.get(2)).isInstanceOf(EdgeFormatException.class)
                    .hasMessageContaining(offsetsChunk.toString())
                    .hasMessageContaining("point 2")
                    .hasMessageContaining("beyond the 2 stored inner vectors")
                    .extracting(e -> ((EdgeFormatException) e).file()).isEqualTo(offsetsChunk);
        }
    }

    @Test
    void anOffsetsEntryCrossingAChunkBoundaryIsAnError() {
        StorageFixtures.writeChunked(storage.resolve("vectors"), 1, 4, 2, f32(1, 2, 3, 4));
        StorageFixtures.writeChunked(storage.resolve("offsets"), 1, 12, 4, offsets(1, 2, 2));
        StorageFixtures.writeFlags(storage.resolve("deleted"), 1);

        try (MultiDenseVectorStorage s = MultiDenseVectorStorage.open(storage, 1, VectorDatatype.FLOAT32)) {
            assertThatThrownBy(() -> s.get(0)).isInstanceOf(EdgeFormatException.class)
                    .hasMessageContaining("crosses a chunk boundary");
        }
    }

    @Test
    void missingDirectoriesAreErrorsNamingTheFile() throws IOException {
        StorageFixtures.writeChunked(storage.resolve("vectors"), 1, 4, 2, f32(1));
        StorageFixtures.writeFlags(storage.resolve("deleted"), 1);

        assertThatThrownBy(() -> MultiDenseVectorStorage.open(storage, 1, VectorDatatype.FLOAT32))
                .isInstanceOf(EdgeFormatException.class)
                .extracting(e -> ((EdgeFormatException) e).file()).isEqualTo(storage.resolve("offsets/config.json"));

        StorageFixtures.writeChunked(storage.resolve("offsets"), 1, 12, 4, offsets(0, 1, 1));
        Files.delete(storage.resolve("offsets/chunk_0.mmap"));
        assertThatThrownBy(() -> MultiDenseVectorStorage.open(storage, 1, VectorDatatype.FLOAT32))
                .isInstanceOf(EdgeFormatException.class).hasMessageContaining("chunk file is missing")
                .extracting(e -> ((EdgeFormatException) e).file()).isEqualTo(storage.resolve("offsets/chunk_0.mmap"));
    }
}
