package dev.qdrantedge.engine.gridstore;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class WritableGridstoreTest {

    /** 4 pages of 8 blocks, regions of 4 blocks: small enough to exercise page growth and region windows. */
    private static final GridstoreConfig SMALL = new GridstoreConfig(1024, 128, 4, GridstoreCompression.NONE);

    @TempDir
    Path dir;

    @Test
    void createWritesQdrantsFilesAndConfig() throws IOException {
        Path store = dir.resolve("payload_storage");
        WritableGridstore.create(store, GridstoreConfig.PAYLOADS).close();
        assertThat(Files.readString(store.resolve("config.json"))).isEqualTo("{\"mode\":\"mutable\","
                + "\"page_size_bytes\":33554432,\"block_size_bytes\":128,\"region_size_blocks\":8192,"
                + "\"compression\":\"LZ4\"}");
        assertThat(Files.size(store.resolve("page_0.dat"))).isEqualTo(33554432);
        assertThat(Files.size(store.resolve("tracker.dat"))).isEqualTo(1 << 20);
        assertThat(Files.size(store.resolve("bitmask.dat"))).isEqualTo(32768);
        assertThat(Files.size(store.resolve("gaps.dat"))).isEqualTo(32 * 6);
        ByteBuffer gaps = ByteBuffer.wrap(Files.readAllBytes(store.resolve("gaps.dat"))).order(ByteOrder.LITTLE_ENDIAN);
        assertThat(gaps.getShort(0)).isEqualTo((short) 8192);
        WritableGridstore.create(dir.resolve("s"), GridstoreConfig.SPARSE_VECTORS).close();
        assertThat(Files.readString(dir.resolve("s/config.json"))).endsWith("\"compression\":\"None\"}");
        try (Gridstore read = Gridstore.open(store)) {
            assertThat(read.pageCount()).isEqualTo(1);
            assertThat(read.pointerCount()).isZero();
            assertThat(read.get(0)).isNull();
        }
    }

    @Test
    void putsDeletesAndOverwritesRoundTripThroughTheReader() {
        Path store = dir.resolve("g");
        Random random = new Random(1);
        Map<Integer, byte[]> expected = new HashMap<>();
        try (WritableGridstore writer = WritableGridstore.create(store, GridstoreConfig.PAYLOADS)) {
            for (int round = 0; round < 5; round++) {
                for (int i = 0; i < 300; i++) {
                    int offset = random.nextInt(200);
                    if (random.nextInt(5) == 0) {
                        writer.delete(offset);
                        expected.remove(offset);
                    } else {
                        byte[] value = new byte[random.nextInt(600)];
                        for (int k = 0; k < value.length; k++) {
                            value[k] = (byte) ('a' + random.nextInt(4));
                        }
                        writer.put(offset, value);
                        expected.put(offset, value);
                    }
                    assertThat(writer.get(offset)).isEqualTo(expected.get(offset));
                }
                writer.flush();
                assertConsistent(writer, store);
            }
        }
        try (Gridstore read = Gridstore.open(store)) {
            for (int i = 0; i < 200; i++) {
                assertThat(read.get(i)).as("offset %d", i).isEqualTo(expected.get(i));
            }
        }
        try (WritableGridstore writer = WritableGridstore.open(store)) {
            writer.put(7, new byte[] {1, 2, 3});
            expected.put(7, new byte[] {1, 2, 3});
            for (int i = 0; i < 200; i++) {
                assertThat(writer.get(i)).isEqualTo(expected.get(i));
            }
        }
        try (Gridstore read = Gridstore.open(store)) {
            assertThat(read.get(7)).containsExactly(1, 2, 3);
        }
    }

    @Test
    void allocatesFirstFitAndReusesBlocksOnlyAfterAFlush() {
        try (WritableGridstore writer = WritableGridstore.create(dir.resolve("g"), SMALL)) {
            writer.put(0, new byte[100]); // block 0
            writer.put(1, new byte[300]); // blocks 1-3
            writer.put(2, new byte[10]); // block 4
            assertThat(writer.pointer(0)).isEqualTo(new ValuePointer(0, 0, 100));
            assertThat(writer.pointer(1)).isEqualTo(new ValuePointer(0, 1, 300));
            assertThat(writer.pointer(2)).isEqualTo(new ValuePointer(0, 4, 10));
            writer.put(1, new byte[50]); // old blocks 1-3 are still in use until the flush
            assertThat(writer.pointer(1)).isEqualTo(new ValuePointer(0, 5, 50));
            writer.flush();
            assertThat(writer.usedBlocks()).isEqualTo(3);
            writer.put(3, new byte[200]); // first fit: blocks 1-2
            assertThat(writer.pointer(3)).isEqualTo(new ValuePointer(0, 1, 200));
            // 4 blocks: nothing fits, so a page is added; Qdrant then looks for a single region with room
            // before joining regions, so the value goes to the new page rather than blocks 6-9.
            writer.put(4, new byte[129 * 3]);
            assertThat(writer.pageCount()).isEqualTo(2);
            assertThat(writer.pointer(4)).isEqualTo(new ValuePointer(1, 0, 387));
            writer.put(5, new byte[1500]); // 12 blocks, more than a page: spans new pages
            assertThat(writer.pointer(5).length()).isEqualTo(1500);
            writer.flush();
            assertConsistent(writer, dir.resolve("g"));
        }
        try (Gridstore read = Gridstore.open(dir.resolve("g"))) {
            assertThat(read.get(5)).hasSize(1500);
            assertThat(read.get(4)).hasSize(387);
        }
    }

    @Test
    void trackerGrowsToTheNextPowerOfTwo() throws IOException {
        Path store = dir.resolve("g");
        try (WritableGridstore writer = WritableGridstore.create(store, SMALL)) {
            writer.put(70_000, new byte[] {9});
        }
        assertThat(Files.size(store.resolve("tracker.dat"))).isEqualTo(2 << 20);
        try (Gridstore read = Gridstore.open(store)) {
            assertThat(read.pointerCount()).isEqualTo(70_001);
            assertThat(read.get(70_000)).containsExactly(9);
        }
    }

    @Test
    void unflushedWritesAreInvisibleToReadersAndLeaveTheLastFlushIntact() {
        Path store = dir.resolve("g");
        WritableGridstore writer = WritableGridstore.create(store, SMALL);
        writer.put(0, "first".getBytes());
        writer.flush();
        writer.put(0, "second".getBytes());
        writer.put(1, "new".getBytes());
        writer.delete(0);
        // A crash now: nothing after the flush is in tracker.dat; the old value's blocks were not reused.
        try (Gridstore read = Gridstore.open(store)) {
            assertThat(read.get(0)).isEqualTo("first".getBytes());
            assertThat(read.get(1)).isNull();
        }
        writer.close();
        try (Gridstore read = Gridstore.open(store)) {
            assertThat(read.get(0)).isNull();
            assertThat(read.get(1)).isEqualTo("new".getBytes());
        }
    }

    @Test
    void openingFoldsATrackerJournalIntoTheTracker() throws IOException {
        Path store = dir.resolve("g");
        try (WritableGridstore writer = WritableGridstore.create(store, SMALL)) {
            writer.put(0, "zero".getBytes());
            writer.put(1, "one".getBytes());
        }
        // A journal entry that clears slot 0, as a newer Qdrant leaves it after its own flush.
        ByteBuffer records = ByteBuffer.allocate(20).order(ByteOrder.LITTLE_ENDIAN).putInt(0, 0);
        java.util.zip.CRC32C crc = new java.util.zip.CRC32C();
        crc.update(records.array());
        ByteBuffer journal = ByteBuffer.allocate(28).order(ByteOrder.LITTLE_ENDIAN).putInt(20)
                .putInt((int) crc.getValue()).put(records.array());
        Files.write(store.resolve("tracker_journal.dat"), journal.array());
        try (WritableGridstore writer = WritableGridstore.open(store)) {
            assertThat(Files.exists(store.resolve("tracker_journal.dat"))).isFalse();
            assertThat(writer.get(0)).isNull();
            writer.put(0, "again".getBytes());
        }
        try (Gridstore read = Gridstore.open(store)) {
            assertThat(read.get(0)).isEqualTo("again".getBytes());
            assertThat(read.get(1)).isEqualTo("one".getBytes());
        }
    }

    @Test
    void openRecomputesStaleGaps() throws IOException {
        Path store = dir.resolve("g");
        try (WritableGridstore writer = WritableGridstore.create(store, SMALL)) {
            writer.put(0, new byte[300]);
        }
        Files.write(store.resolve("gaps.dat"), new byte[(int) Files.size(store.resolve("gaps.dat"))]);
        try (WritableGridstore writer = WritableGridstore.open(store)) {
            writer.put(1, new byte[10]);
            assertThat(writer.pointer(1)).isEqualTo(new ValuePointer(0, 3, 10));
        }
        assertConsistent(null, store);
    }

    /**
     * After a flush: every block of every live value is marked used and nothing else is, and gaps.dat is what
     * Qdrant computes from bitmask.dat.
     */
    static void assertConsistent(WritableGridstore writer, Path store) {
        try (Gridstore read = Gridstore.open(store)) {
            GridstoreConfig config = read.config();
            byte[] bitmask = Files.readAllBytes(store.resolve("bitmask.dat"));
            boolean[] live = new boolean[bitmask.length * 8];
            GridstoreTracker tracker = GridstoreTracker.open(store);
            for (int p = 0; p < read.pointerCount(); p++) {
                ValuePointer pointer = tracker.pointer(p);
                if (pointer == null) {
                    continue;
                }
                long first = pointer.pageId() * config.blocksPerPage() + pointer.blockOffset();
                long blocks = (pointer.length() + config.blockSizeBytes() - 1) / config.blockSizeBytes();
                for (long b = first; b < first + blocks; b++) {
                    assertThat(live[(int) b]).as("block %d used twice", b).isFalse();
                    live[(int) b] = true;
                }
            }
            for (int b = 0; b < live.length; b++) {
                boolean used = (bitmask[b / 8] & (1 << (b % 8))) != 0;
                assertThat(used).as("block %d", b).isEqualTo(live[b]);
            }
            byte[] gaps = Files.readAllBytes(store.resolve("gaps.dat"));
            int regions = live.length / config.regionSizeBlocks();
            assertThat(gaps).hasSize(regions * 6);
            ByteBuffer g = ByteBuffer.wrap(gaps).order(ByteOrder.LITTLE_ENDIAN);
            for (int r = 0; r < regions; r++) {
                int max = 0;
                int run = 0;
                int leading = -1;
                for (int i = 0; i < config.regionSizeBlocks(); i++) {
                    if (live[r * config.regionSizeBlocks() + i]) {
                        if (leading < 0) {
                            leading = run;
                        }
                        run = 0;
                    } else {
                        run++;
                        max = Math.max(max, run);
                    }
                }
                int trailing = leading < 0 ? config.regionSizeBlocks() : run;
                leading = leading < 0 ? config.regionSizeBlocks() : leading;
                assertThat(new int[] {g.getShort(6 * r) & 0xFFFF, g.getShort(6 * r + 2) & 0xFFFF,
                        g.getShort(6 * r + 4) & 0xFFFF}).as("gaps of region %d", r)
                        .containsExactly(max, leading, trailing);
            }
            if (writer != null) {
                assertThat(writer.usedBlocks()).isEqualTo(java.util.stream.IntStream.range(0, live.length)
                        .filter(b -> live[b]).count());
            }
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }
}
