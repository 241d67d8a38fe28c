package dev.qdrantedge.engine.vectors;

import static dev.qdrantedge.engine.vectors.StorageFixtures.config;
import static dev.qdrantedge.engine.vectors.StorageFixtures.f32;
import static dev.qdrantedge.engine.vectors.StorageFixtures.offsets;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.qdrantedge.engine.EdgeFormatException;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

class VectorStoragesTest {

    @TempDir
    Path segment;

    @Test
    void namesTheDirectoryAfterTheVector() {
        assertThat(VectorStorages.directoryName("")).isEqualTo("vector_storage");
        assertThat(VectorStorages.directoryName("image")).isEqualTo("vector_storage-image");
    }

    @ParameterizedTest
    @EnumSource(value = VectorStorageType.class, names = {"MMAP", "IN_RAM_MMAP"})
    void singleFileTypesReadMatrixDat(VectorStorageType type) {
        StorageFixtures.writeMatrix(segment.resolve("vector_storage-v"), f32(1, 2));
        StorageFixtures.writeDeletedFile(segment.resolve("vector_storage-v"), 1);

        try (VectorStorage s = VectorStorages.open(segment, "v", config(2, type, false, VectorDatatype.FLOAT32))) {
            assertThat(s).isInstanceOf(SingleFileDenseVectorStorage.class);
            assertThat(s.get(0)).isEqualTo(new DenseVector(new float[] {1, 2}));
        }
    }

    @ParameterizedTest
    @EnumSource(value = VectorStorageType.class, names = {"CHUNKED_MMAP", "IN_RAM_CHUNKED_MMAP"})
    void chunkedTypesReadTheAppendableLayout(VectorStorageType type) {
        StorageFixtures.writeChunked(segment.resolve("vector_storage/vectors"), 2, 4, 4, f32(1, 2));
        StorageFixtures.writeFlags(segment.resolve("vector_storage/deleted"), 1);

        try (VectorStorage s = VectorStorages.open(segment, "", config(2, type, false, VectorDatatype.FLOAT32))) {
            assertThat(s).isInstanceOf(AppendableDenseVectorStorage.class);
            assertThat(s.get(0)).isEqualTo(new DenseVector(new float[] {1, 2}));
        }
    }

    @ParameterizedTest
    @EnumSource(value = VectorStorageType.class, names = {"MMAP", "IN_RAM_MMAP", "CHUNKED_MMAP",
        "IN_RAM_CHUNKED_MMAP"})
    void multivectorsAlwaysUseTheChunkedMultiLayout(VectorStorageType type) {
        Path dir = segment.resolve("vector_storage-m");
        StorageFixtures.writeChunked(dir.resolve("vectors"), 1, 4, 4, f32(1, 2));
        StorageFixtures.writeChunked(dir.resolve("offsets"), 1, 12, 4, offsets(0, 2, 2));
        StorageFixtures.writeFlags(dir.resolve("deleted"), 1);

        try (VectorStorage s = VectorStorages.open(segment, "m", config(1, type, true, VectorDatatype.FLOAT32))) {
            assertThat(s).isInstanceOf(MultiDenseVectorStorage.class);
            assertThat(s.get(0)).isEqualTo(new MultiDenseVector(new float[][] {{1}, {2}}));
        }
    }

    @Test
    void emptyHasNoFilesAndNoVectors() {
        for (boolean multivector : new boolean[] {false, true}) {
            try (VectorStorage s = VectorStorages.open(segment, "new",
                    config(4, VectorStorageType.EMPTY, multivector, VectorDatatype.FLOAT16))) {
                assertThat(s).isInstanceOf(EmptyVectorStorage.class);
                assertThat(s.slotCount()).isZero();
                assertThat(s.get(0)).isNull();
            }
        }
    }

    @Test
    void theLegacyRocksDbTypeIsRefused() {
        assertThatThrownBy(() -> VectorStorages.open(segment, "old",
                config(4, VectorStorageType.MEMORY, false, VectorDatatype.FLOAT32)))
                .isInstanceOf(EdgeFormatException.class).hasMessageContaining("'Memory'")
                .extracting(e -> ((EdgeFormatException) e).file()).isEqualTo(segment.resolve("segment.json"));
    }

    @Test
    void aMissingStorageDirectoryIsAnErrorNamingTheFirstFileNeeded() {
        assertThatThrownBy(() -> VectorStorages.open(segment, "gone",
                config(4, VectorStorageType.IN_RAM_MMAP, false, VectorDatatype.FLOAT32)))
                .isInstanceOf(EdgeFormatException.class)
                .extracting(e -> ((EdgeFormatException) e).file())
                .isEqualTo(segment.resolve("vector_storage-gone/matrix.dat"));
    }
}
