package dev.qdrantedge.engine.vectors;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.qdrantedge.engine.EdgeFormatException;
import dev.qdrantedge.engine.gridstore.GridstoreWriter;
import dev.qdrantedge.engine.segment.SparseVectorDataConfig;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Sparse vector storage on hand-made segments: deleted flags, slot count, storage types, errors. */
class SparseVectorStorageTest {

    private static final SparseVectorDataConfig MMAP = new SparseVectorDataConfig("MutableRam", "mmap", false);

    @TempDir
    Path segment;

    @Test
    void aDeletedFlagHidesTheStoredVector() throws IOException {
        Path dir = segment.resolve("vector_storage-text");
        new GridstoreWriter(dir.resolve("store")).lz4(false)
                .put(0, SparseVectorCodecTest.stored(SparseVectorCodecTest.pack(new long[] {3, 9}), 1f, 2f))
                .put(1, SparseVectorCodecTest.stored(SparseVectorCodecTest.pack(new long[] {4}), 5f)).write();
        deleted(dir, 6, 0b10_0010); // flags 1 and 5

        try (SparseVectorStorage storage = SparseVectorStorage.open(segment, "text", MMAP)) {
            assertThat(storage.slotCount()).as("last deleted flag + 1 beats the tracker header").isEqualTo(6);
            assertThat(storage.get(0)).isEqualTo(new SparseVector(new int[] {3, 9}, new float[] {1f, 2f}));
            assertThat(storage.get(1)).as("deleted").isNull();
            assertThat(storage.get(2)).as("never stored").isNull();
            assertThat(storage.get(6)).as("beyond").isNull();
        }
    }

    @Test
    void aMalformedStoredVectorNamesThePage() throws IOException {
        Path dir = segment.resolve("vector_storage-text");
        new GridstoreWriter(dir.resolve("store")).lz4(false).put(0, new byte[] {1, 2, 3}).write();
        deleted(dir, 0, 0);
        try (SparseVectorStorage storage = SparseVectorStorage.open(segment, "text", MMAP)) {
            assertThatThrownBy(() -> storage.get(0)).isInstanceOf(EdgeFormatException.class)
                    .hasMessageContaining("truncated")
                    .extracting(e -> ((EdgeFormatException) e).file()).isEqualTo(dir.resolve("store/page_0.dat"));
        }
    }

    @Test
    void storageTypes() {
        try (SparseVectorStorage empty = SparseVectorStorage.open(segment, "text",
                new SparseVectorDataConfig("MutableRam", "empty", false))) {
            assertThat(empty.slotCount()).isZero();
            assertThat(empty.get(0)).isNull();
        }
        assertThatThrownBy(() -> SparseVectorStorage.open(segment, "text",
                new SparseVectorDataConfig("MutableRam", "on_disk", false)))
                .isInstanceOf(EdgeFormatException.class).hasMessageContaining("RocksDB")
                .hasMessageContaining("not supported");
        assertThatThrownBy(() -> SparseVectorStorage.open(segment, "text", MMAP))
                .isInstanceOf(EdgeFormatException.class)
                .extracting(e -> ((EdgeFormatException) e).file())
                .isEqualTo(segment.resolve("vector_storage-text/store"));
    }

    @Test
    void missingDeletedFlagsAreNamed() {
        Path dir = segment.resolve("vector_storage-text");
        new GridstoreWriter(dir.resolve("store")).lz4(false).write();
        assertThatThrownBy(() -> SparseVectorStorage.open(segment, "text", MMAP))
                .isInstanceOf(EdgeFormatException.class)
                .extracting(e -> ((EdgeFormatException) e).file()).isEqualTo(dir.resolve("deleted/status.dat"));
    }

    private static void deleted(Path vectorDir, long length, int bits) throws IOException {
        Path dir = Files.createDirectories(vectorDir.resolve("deleted"));
        Files.write(dir.resolve("status.dat"),
                ByteBuffer.allocate(16).order(ByteOrder.LITTLE_ENDIAN).putLong(length).putLong(0).array());
        byte[] flags = new byte[128];
        flags[0] = (byte) bits;
        Files.write(dir.resolve("flags_a.dat"), flags);
    }
}
