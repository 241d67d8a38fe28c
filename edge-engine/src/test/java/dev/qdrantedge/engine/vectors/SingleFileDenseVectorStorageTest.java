package dev.qdrantedge.engine.vectors;

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

class SingleFileDenseVectorStorageTest {

    @TempDir
    Path storage;

    @Test
    void readsVectorsAndHonoursDeletedFlags() {
        StorageFixtures.writeMatrix(storage, f32(1, 2, 3, 4, 5, 6, 7, 8, 9));
        StorageFixtures.writeDeletedFile(storage, 3, 1);

        try (SingleFileDenseVectorStorage s = SingleFileDenseVectorStorage.open(storage, 3, VectorDatatype.FLOAT32)) {
            assertThat(s.slotCount()).isEqualTo(3);
            assertThat(s.get(0).values()).containsExactly(1, 2, 3);
            assertThat(s.get(1)).isNull();
            assertThat(s.get(2).values()).containsExactly(7, 8, 9);
            assertThat(s.get(3)).isNull();
        }
    }

    @Test
    void readsManyVectorsWithFlagsBeyondTheFirstWord() {
        int count = 200;
        float[] values = new float[count];
        for (int i = 0; i < count; i++) {
            values[i] = i;
        }
        StorageFixtures.writeMatrix(storage, f32(values));
        StorageFixtures.writeDeletedFile(storage, count, 0, 63, 64, 130, 199);

        try (SingleFileDenseVectorStorage s = SingleFileDenseVectorStorage.open(storage, 1, VectorDatatype.FLOAT32)) {
            for (int i = 0; i < count; i++) {
                boolean deleted = i == 0 || i == 63 || i == 64 || i == 130 || i == 199;
                if (deleted) {
                    assertThat(s.get(i)).as("vector %d", i).isNull();
                } else {
                    assertThat(s.get(i).values()).as("vector %d", i).containsExactly(i);
                }
            }
        }
        assertThat(DeletedFile.expectedSize(200)).isEqualTo(8 + 32);
        assertThat(DeletedFile.expectedSize(0)).isEqualTo(8);
        assertThat(DeletedFile.expectedSize(3000)).isEqualTo(384);
    }

    @Test
    void readsVectorsThatStraddleMappingRegions() {
        StorageFixtures.writeMatrix(storage, f16(0x3C00, 0x4000, 0x4200, 0x4400, 0x4500, 0x4600, 0x4700));
        StorageFixtures.writeDeletedFile(storage, 1);

        // 4-byte header + 14 bytes of one 7-element float16 vector, in 5-byte regions
        try (SingleFileDenseVectorStorage s = SingleFileDenseVectorStorage.open(storage, 7, VectorDatatype.FLOAT16, 5)) {
            assertThat(s.get(0).values()).containsExactly(1, 2, 3, 4, 5, 6, 7);
        }
    }

    @Test
    void decodesUint8() {
        StorageFixtures.writeMatrix(storage, u8(0, 255, 128, 7));
        StorageFixtures.writeDeletedFile(storage, 2);

        try (SingleFileDenseVectorStorage s = SingleFileDenseVectorStorage.open(storage, 2, VectorDatatype.UINT8)) {
            assertThat(s.get(0).values()).containsExactly(0, 255);
            assertThat(s.get(1).values()).containsExactly(128, 7);
        }
    }

    @Test
    void aMatrixCutInsideAVectorIsAnErrorNamingIt() {
        StorageFixtures.writeMatrix(storage, f32(1, 2, 3, 4, 5, 6));
        StorageFixtures.writeDeletedFile(storage, 2);
        StorageFixtures.truncate(storage.resolve("matrix.dat"), 4 + 20);

        assertFormatError(3, storage.resolve("matrix.dat"), "truncated");
    }

    @Test
    void aMatrixThatLostWholeVectorsIsDetectedFromTheDeletedFileSize() {
        float[] values = new float[100];
        StorageFixtures.writeMatrix(storage, f32(values));
        StorageFixtures.writeDeletedFile(storage, 100);
        StorageFixtures.truncate(storage.resolve("matrix.dat"), 4 + 4 * 10);

        assertFormatError(1, storage.resolve("matrix.dat"), "deleted.dat");
    }

    @Test
    void aTruncatedDeletedFileIsAnErrorNamingIt() {
        float[] values = new float[100];
        StorageFixtures.writeMatrix(storage, f32(values));
        StorageFixtures.writeDeletedFile(storage, 100);
        StorageFixtures.truncate(storage.resolve("deleted.dat"), 16);

        assertFormatError(1, storage.resolve("deleted.dat"), "truncated");
    }

    @Test
    void missingFilesAreErrorsNamingThem() throws IOException {
        StorageFixtures.writeMatrix(storage, f32(1));
        assertFormatError(1, storage.resolve("deleted.dat"), "missing");

        StorageFixtures.writeDeletedFile(storage, 1);
        Files.delete(storage.resolve("matrix.dat"));
        assertFormatError(1, storage.resolve("matrix.dat"), "missing");
    }

    @Test
    void wrongHeadersAreRefused() {
        StorageFixtures.writeMatrix(storage, f32(1));
        StorageFixtures.writeDeletedFile(storage, 1);
        StorageFixtures.write(storage.resolve("deleted.dat"), StorageFixtures.concat("DROP".getBytes(), new byte[12]));
        assertFormatError(1, storage.resolve("deleted.dat"), "\"drop\"");

        StorageFixtures.write(storage.resolve("matrix.dat"), StorageFixtures.concat("date".getBytes(), f32(1)));
        assertFormatError(1, storage.resolve("matrix.dat"), "\"data\"");
    }

    @Test
    void anEmptyMatrixHasNoSlots() {
        StorageFixtures.writeMatrix(storage, new byte[0]);
        StorageFixtures.writeDeletedFile(storage, 0);

        try (SingleFileDenseVectorStorage s = SingleFileDenseVectorStorage.open(storage, 4, VectorDatatype.FLOAT32)) {
            assertThat(s.slotCount()).isZero();
            assertThat(s.get(0)).isNull();
        }
    }

    private void assertFormatError(int dim, Path file, String message) {
        assertThatThrownBy(() -> SingleFileDenseVectorStorage.open(storage, dim, VectorDatatype.FLOAT32))
                .isInstanceOf(EdgeFormatException.class)
                .hasMessageContaining(file.toString())
                .hasMessageContaining(message)
                .extracting(e -> ((EdgeFormatException) e).file()).isEqualTo(file);
    }
}
