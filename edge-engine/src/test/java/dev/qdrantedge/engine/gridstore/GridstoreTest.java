package dev.qdrantedge.engine.gridstore;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.qdrantedge.engine.EdgeFormatException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Random;
import java.util.zip.CRC32C;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The gridstore reader on hand-made stores: layout, compression, the tracker journal and every error. */
class GridstoreTest {

    @TempDir
    Path dir;

    @Test
    void readsLz4ValuesAcrossBlocksAndPages() {
        byte[] large = randomBytes(2500, 1); // incompressible: spans 3 pages of 1 KiB
        new GridstoreWriter(dir).put(0, "{\"a\":1}").put(1, large).put(3, "third").write();

        try (Gridstore store = Gridstore.open(dir)) {
            assertThat(store.pageCount()).isEqualTo(3);
            assertThat(store.pointerCount()).isEqualTo(4);
            assertThat(store.config().compression()).isEqualTo(GridstoreCompression.LZ4);
            assertThat(new String(store.get(0), StandardCharsets.UTF_8)).isEqualTo("{\"a\":1}");
            assertThat(store.get(1)).isEqualTo(large);
            assertThat(store.get(2)).isNull();
            assertThat(new String(store.get(3), StandardCharsets.UTF_8)).isEqualTo("third");
            assertThat(store.get(1_000_000)).as("slot beyond the tracker file").isNull();
        }
    }

    @Test
    void readsUncompressedValues() {
        byte[] value = randomBytes(300, 2);
        new GridstoreWriter(dir).lz4(false).put(5, value).put(6, new byte[0]).write();

        try (Gridstore store = Gridstore.open(dir)) {
            assertThat(store.config().compression()).isEqualTo(GridstoreCompression.NONE);
            assertThat(store.get(5)).isEqualTo(value);
            assertThat(store.get(6)).isEmpty();
            assertThat(store.get(4)).isNull();
        }
    }

    @Test
    void toleratesUnknownConfigKeysAndTheModeKey() {
        for (String mode : new String[] {"", ",\"mode\":\"mutable\"", ",\"mode\":\"dynamic\""}) {
            Path store = dir.resolve("m" + mode.length());
            new GridstoreWriter(store).extraConfig(mode + ",\"future_key\":{\"x\":[1]}").put(0, "v").write();
            try (Gridstore gridstore = Gridstore.open(store)) {
                assertThat(gridstore.get(0)).asString().isEqualTo("v");
            }
        }
    }

    @Test
    void refusesTheAppendOnlyModeAndUnknownCompression() {
        new GridstoreWriter(dir.resolve("a")).extraConfig(",\"mode\":\"append_only\"").write();
        assertThatThrownBy(() -> Gridstore.open(dir.resolve("a"))).isInstanceOf(EdgeFormatException.class)
                .hasMessageContaining("append_only").hasMessageContaining("not supported")
                .extracting(e -> ((EdgeFormatException) e).file()).isEqualTo(dir.resolve("a/config.json"));

        Path b = new GridstoreWriter(dir.resolve("b")).write();
        write(b.resolve("config.json"), "{\"page_size_bytes\":1024,\"block_size_bytes\":128,"
                + "\"region_size_blocks\":8,\"compression\":\"Zstd\"}");
        assertThatThrownBy(() -> Gridstore.open(b)).isInstanceOf(EdgeFormatException.class)
                .hasMessageContaining("Zstd");

        write(b.resolve("config.json"), "{\"page_size_bytes\":1000,\"block_size_bytes\":128,\"region_size_blocks\":8}");
        assertThatThrownBy(() -> Gridstore.open(b)).isInstanceOf(EdgeFormatException.class)
                .hasMessageContaining("multiple");
    }

    @Test
    void missingFilesAreNamed() throws IOException {
        for (String file : new String[] {"config.json", "tracker.dat", "bitmask.dat", "gaps.dat", "page_0.dat"}) {
            Path store = new GridstoreWriter(dir.resolve(file)).put(0, "x").write();
            Files.delete(store.resolve(file));
            assertThatThrownBy(() -> Gridstore.open(store)).as(file).isInstanceOf(EdgeFormatException.class)
                    .hasMessageContaining("missing")
                    .extracting(e -> ((EdgeFormatException) e).file()).isEqualTo(store.resolve(file));
        }
        assertThatThrownBy(() -> Gridstore.open(dir.resolve("absent"))).isInstanceOf(EdgeFormatException.class)
                .hasMessageContaining("absent");
    }

    @Test
    void pageCountFollowsTheBitmask() throws IOException {
        Path store = new GridstoreWriter(dir).put(0, randomBytes(1500, 3)).write(); // 2 pages
        Files.delete(store.resolve("page_1.dat"));
        assertThatThrownBy(() -> Gridstore.open(store)).isInstanceOf(EdgeFormatException.class)
                .hasMessageContaining("missing").hasMessageContaining("2 page(s)")
                .extracting(e -> ((EdgeFormatException) e).file()).isEqualTo(store.resolve("page_1.dat"));

        Files.write(store.resolve("page_1.dat"), new byte[1024]);
        Files.write(store.resolve("page_2.dat"), new byte[1024]);
        assertThatThrownBy(() -> Gridstore.open(store)).isInstanceOf(EdgeFormatException.class)
                .hasMessageContaining("unexpected page")
                .extracting(e -> ((EdgeFormatException) e).file()).isEqualTo(store.resolve("page_2.dat"));
    }

    @Test
    void truncatedFilesAreNamed() throws IOException {
        Path store = new GridstoreWriter(dir.resolve("t")).put(0, "x").write();
        Files.write(store.resolve("tracker.dat"), new byte[3]);
        assertThatThrownBy(() -> Gridstore.open(store)).isInstanceOf(EdgeFormatException.class)
                .hasMessageContaining("truncated")
                .extracting(e -> ((EdgeFormatException) e).file()).isEqualTo(store.resolve("tracker.dat"));

        Path page = new GridstoreWriter(dir.resolve("p")).put(0, "x").write();
        Files.write(page.resolve("page_0.dat"), new byte[100]);
        assertThatThrownBy(() -> Gridstore.open(page)).isInstanceOf(EdgeFormatException.class)
                .hasMessageContaining("truncated")
                .extracting(e -> ((EdgeFormatException) e).file()).isEqualTo(page.resolve("page_0.dat"));
    }

    @Test
    void aPointerBeyondThePagesNamesTheTracker() {
        Path store = new GridstoreWriter(dir).put(0, "x").put(1, "y").write();
        patchSlot(store, 0, 1, 1, 0, 10);        // page 1 does not exist
        patchSlot(store, 1, 1, 0, 7, 200);       // block 7 of 8 plus 200 bytes runs past the only page

        try (Gridstore gridstore = Gridstore.open(store)) {
            assertThatThrownBy(() -> gridstore.get(0)).isInstanceOf(EdgeFormatException.class)
                    .hasMessageContaining("point offset 0").hasMessageContaining("beyond")
                    .extracting(e -> ((EdgeFormatException) e).file()).isEqualTo(store.resolve("tracker.dat"));
            assertThatThrownBy(() -> gridstore.get(1)).isInstanceOf(EdgeFormatException.class)
                    .hasMessageContaining("beyond");
        }
    }

    @Test
    void corruptLz4NamesThePage() throws IOException {
        Path store = new GridstoreWriter(dir).put(0, "{\"a\":\"" + "x".repeat(100) + "\"}").write();
        byte[] page = Files.readAllBytes(store.resolve("page_0.dat"));
        page[4] = (byte) 0xFF; // first token: literal/match lengths that do not fit
        page[5] = (byte) 0xFF;
        page[6] = (byte) 0xFF;
        Files.write(store.resolve("page_0.dat"), page);

        try (Gridstore gridstore = Gridstore.open(store)) {
            assertThatThrownBy(() -> gridstore.get(0)).isInstanceOf(EdgeFormatException.class)
                    .hasMessageContaining("LZ4").hasMessageContaining("point offset 0")
                    .extracting(e -> ((EdgeFormatException) e).file()).isEqualTo(store.resolve("page_0.dat"));
        }
    }

    @Test
    void anImplausibleLz4SizeIsCorrupt() throws IOException {
        Path store = new GridstoreWriter(dir).put(0, "hello").write();
        byte[] page = Files.readAllBytes(store.resolve("page_0.dat"));
        ByteBuffer.wrap(page).order(ByteOrder.LITTLE_ENDIAN).putInt(0, 0x7FFF_FFF0);
        Files.write(store.resolve("page_0.dat"), page);

        try (Gridstore gridstore = Gridstore.open(store)) {
            assertThatThrownBy(() -> gridstore.get(0)).isInstanceOf(EdgeFormatException.class)
                    .hasMessageContaining("corrupt LZ4");
        }
    }

    @Test
    void theTrackerJournalRepairsTornSlots() throws IOException {
        Path store = new GridstoreWriter(dir).lz4(false).put(0, "zero").put(1, "one").put(2, "two").write();
        ByteBuffer tracker = ByteBuffer.wrap(Files.readAllBytes(store.resolve("tracker.dat")))
                .order(ByteOrder.LITTLE_ENDIAN);
        int[] slot1 = slot(tracker, 1);
        int[] slot2 = slot(tracker, 2);
        patchSlot(store, 1, 0, 0, 0, 0);          // torn: slot 1 lost
        patchSlot(store, 2, 1, 0, 0, 4);          // torn: slot 2 points at "zero"
        ByteBuffer journal = ByteBuffer.allocate(200).order(ByteOrder.LITTLE_ENDIAN);
        entry(journal, new int[][] {{1, 1, slot1[1], slot1[2], slot1[3]}, {2, 1, 0, 0, 1}});
        entry(journal, new int[][] {{2, slot2[0], slot2[1], slot2[2], slot2[3]}, {0, 0, 0, 0, 0}, {9, 1, 0, 0, 4}});
        int valid = journal.position();
        entry(journal, new int[][] {{1, 0, 0, 0, 0}});
        journal.putInt(valid + 4, 12345);          // last entry has a bad checksum: ignored
        Files.write(store.resolve("tracker_journal.dat"), java.util.Arrays.copyOf(journal.array(), journal.position()));

        try (Gridstore gridstore = Gridstore.open(store)) {
            assertThat(gridstore.get(0)).as("journaled removal").isNull();
            assertThat(gridstore.get(1)).asString().isEqualTo("one");
            assertThat(gridstore.get(2)).as("later entry wins").asString().isEqualTo("two");
            assertThat(gridstore.get(9)).asString().isEqualTo("zero");
            assertThat(gridstore.pointerCount()).isEqualTo(10);
        }
    }

    private static int[] slot(ByteBuffer tracker, int offset) {
        int at = 4 + 16 * offset;
        return new int[] {tracker.getInt(at), tracker.getInt(at + 4), tracker.getInt(at + 8), tracker.getInt(at + 12)};
    }

    private static void entry(ByteBuffer journal, int[][] records) {
        int start = journal.position();
        journal.putInt(records.length * 20).putInt(0);
        for (int[] r : records) {
            for (int v : r) {
                journal.putInt(v);
            }
        }
        CRC32C crc = new CRC32C();
        crc.update(journal.array(), start + 8, records.length * 20);
        journal.putInt(start + 4, (int) crc.getValue());
    }

    static void patchSlot(Path store, int offset, int tag, int page, int block, int length) {
        try {
            Path file = store.resolve("tracker.dat");
            ByteBuffer tracker = ByteBuffer.wrap(Files.readAllBytes(file)).order(ByteOrder.LITTLE_ENDIAN);
            int at = 4 + 16 * offset;
            tracker.putInt(at, tag).putInt(at + 4, page).putInt(at + 8, block).putInt(at + 12, length);
            Files.write(file, tracker.array());
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    private static void write(Path file, String text) {
        try {
            Files.writeString(file, text);
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    private static byte[] randomBytes(int n, long seed) {
        byte[] bytes = new byte[n];
        new Random(seed).nextBytes(bytes);
        return bytes;
    }
}
