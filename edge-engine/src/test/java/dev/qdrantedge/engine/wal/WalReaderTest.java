package dev.qdrantedge.engine.wal;

import static dev.qdrantedge.engine.wal.TestWalFiles.deletePoint;
import static dev.qdrantedge.engine.wal.TestWalFiles.segment;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.qdrantedge.engine.EdgeFormatException;
import dev.qdrantedge.engine.idtracker.PointId;
import dev.qdrantedge.engine.operation.DeletePoints;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class WalReaderTest {

    @TempDir
    Path dir;

    private Path wal() throws IOException {
        return Files.createDirectories(dir.resolve("wal"));
    }

    /** Ids of the delete_points records the reader yields, i.e. which test entries count. */
    private static List<Long> indices(WalReader reader) {
        List<Long> out = new ArrayList<>();
        for (WalRecord r : reader.records()) {
            out.add(r.index());
            assertThat(r.operation()).isEqualTo(new DeletePoints(List.of(PointId.of(r.index()))));
        }
        return out;
    }

    private static byte[][] entries(int from, int count) {
        byte[][] out = new byte[count][];
        for (int i = 0; i < count; i++) {
            out[i] = deletePoint(from + i);
        }
        return out;
    }

    @Test
    void freshWalStartsAtIndexZero() throws IOException {
        Path wal = wal();
        segment(7, 4096, entries(0, 3)).write(wal.resolve("open-1"));
        segment(8, 4096).write(wal.resolve("open-2"));
        try (WalReader reader = WalReader.open(wal)) {
            assertThat(indices(reader)).containsExactly(0L, 1L, 2L);
            assertThat(reader.firstStoredIndex()).isZero();
            assertThat(reader.firstIndex()).isZero();
            assertThat(reader.lastIndex()).isEqualTo(2);
            assertThat(reader.nextIndex()).isEqualTo(3);
            assertThat(reader.ackIndex()).isEmpty();
            assertThat(reader.hasTornTail()).isFalse();
            assertThat(reader.segments()).extracting(WalSegment::nameNumber).containsExactly(1L);
        }
    }

    @Test
    void closedSegmentsAndStrandedOpenSegmentsFollowEachOther() throws IOException {
        Path wal = wal();
        segment(1, 4096, entries(10, 2)).write(wal.resolve("closed-10"));
        segment(2, 4096, entries(12, 3)).write(wal.resolve("closed-12"));
        segment(3, 4096, entries(15, 1)).write(wal.resolve("open-4"));   // stranded: treated as closed
        segment(4, 4096).write(wal.resolve("open-5"));                    // empty spare between them
        segment(5, 4096, entries(16, 2)).write(wal.resolve("open-6"));   // the current open segment
        segment(6, 4096).write(wal.resolve("open-7"));
        Files.writeString(wal.resolve("tmp-open-8"), "left over");
        try (WalReader reader = WalReader.open(wal)) {
            assertThat(indices(reader)).containsExactly(10L, 11L, 12L, 13L, 14L, 15L, 16L, 17L);
            assertThat(reader.segments()).extracting(WalSegment::file)
                    .extracting(p -> p.getFileName().toString())
                    .containsExactly("closed-10", "closed-12", "open-4", "open-6");
            assertThat(reader.segments()).extracting(WalSegment::startIndex).containsExactly(10L, 12L, 15L, 16L);
            assertThat(reader.entry(13).file().getFileName().toString()).isEqualTo("closed-12");
        }
    }

    @Test
    void withoutFirstIndexFileEveryStoredEntryCounts() throws IOException {
        Path wal = wal();
        segment(1, 4096, entries(5, 2)).write(wal.resolve("closed-5"));
        segment(2, 4096, entries(7, 2)).write(wal.resolve("open-1"));
        try (WalReader reader = WalReader.open(wal)) {
            assertThat(reader.ackIndex()).isEmpty();
            assertThat(reader.firstIndex()).isEqualTo(5);
            assertThat(indices(reader)).containsExactly(5L, 6L, 7L, 8L);
        }
    }

    @Test
    void acknowledgedIndexIsReadAgainAndClampedToTheStoredRange() throws IOException {
        Path wal = wal();
        segment(1, 4096, entries(5, 2)).write(wal.resolve("closed-5"));
        segment(2, 4096, entries(7, 3)).write(wal.resolve("open-1"));
        assertThat(readWithAck(wal, 7)).containsExactly(7L, 8L, 9L);
        assertThat(readWithAck(wal, 9)).containsExactly(9L);
        assertThat(readWithAck(wal, 1000)).containsExactly(9L);
        assertThat(readWithAck(wal, 2)).containsExactly(5L, 6L, 7L, 8L, 9L);
        try (WalReader reader = WalReader.open(wal)) {
            assertThat(reader.ackIndex()).hasValue(2);
            List<Long> all = new ArrayList<>();
            reader.entries(0).forEach(e -> all.add(e.index()));
            assertThat(all).containsExactly(5L, 6L, 7L, 8L, 9L);
        }
    }

    private static List<Long> readWithAck(Path wal, long ack) throws IOException {
        Files.writeString(wal.resolve("first-index"), "{\"ack_index\":" + ack + "}");
        try (WalReader reader = WalReader.open(wal)) {
            assertThat(reader.ackIndex()).hasValue(ack);
            return indices(reader);
        }
    }

    @Test
    void headerOnlyClosedSegmentIsAnEmptyWalStartingThere() throws IOException {
        Path wal = wal();
        Files.write(wal.resolve("closed-11"), segment(9, 8).bytes());
        Files.writeString(wal.resolve("first-index"), "{\"ack_index\":10}");
        try (WalReader reader = WalReader.open(wal)) {
            assertThat(reader.isEmpty()).isTrue();
            assertThat(reader.firstIndex()).isEqualTo(11);
            assertThat(reader.nextIndex()).isEqualTo(11);
            assertThat(reader.entries()).isEmpty();
        }
    }

    @Test
    void missingDirectoryIsAnEmptyWal() {
        try (WalReader reader = WalReader.open(dir.resolve("wal"))) {
            assertThat(reader.isEmpty()).isTrue();
            assertThat(reader.nextIndex()).isZero();
        }
    }

    @Test
    void tornLastEntryIsTheNormalEnd() throws IOException {
        Path wal = wal();
        TestWalFiles.Segment s = segment(3, 4096, entries(0, 3));
        byte[] bytes = s.bytes();
        int last = (int) s.offsets()[2];
        // the crash lost the end of the last entry: its CRC never reached the disk
        for (int i = last + 20; i < last + 32; i++) {
            bytes[i] = 0;
        }
        Files.write(wal.resolve("open-1"), bytes);
        segment(4, 4096).write(wal.resolve("open-2"));
        try (WalReader reader = WalReader.open(wal)) {
            assertThat(indices(reader)).containsExactly(0L, 1L);
            assertThat(reader.hasTornTail()).isTrue();
            assertThat(reader.segments().get(0).dataEnd()).isEqualTo(last);
        }
    }

    @Test
    void badCrcInTheMiddleIsReportedWithFileAndOffset() throws IOException {
        Path wal = wal();
        TestWalFiles.Segment s = segment(3, 4096, entries(0, 3));
        long middle = s.offsets()[1];
        s.bytes()[(int) middle + 12] ^= 0x01;
        s.write(wal.resolve("open-1"));
        assertThatThrownBy(() -> WalReader.open(wal))
                .isInstanceOf(EdgeFormatException.class)
                .hasMessageContaining("open-1")
                .hasMessageContaining("offset " + middle)
                .hasMessageContaining("fails its CRC")
                .satisfies(e -> assertThat(((EdgeFormatException) e).file()).isEqualTo(wal.resolve("open-1")));
    }

    @Test
    void tornEntryFollowedByLaterSegmentIsCorruption() throws IOException {
        Path wal = wal();
        TestWalFiles.Segment closed = segment(3, 4096, entries(0, 2));
        int last = (int) closed.offsets()[1];
        closed.bytes()[last + 20] = 0;
        closed.bytes()[last + 21] = 0;
        closed.bytes()[last + 22] = 0;
        closed.bytes()[last + 23] = 0;
        closed.write(wal.resolve("closed-0"));
        segment(4, 4096, entries(2, 1)).write(wal.resolve("open-3"));
        assertThatThrownBy(() -> WalReader.open(wal))
                .isInstanceOf(EdgeFormatException.class)
                .hasMessageContaining("closed-0")
                .hasMessageContaining("offset " + last)
                .hasMessageContaining("later segment open-3 holds entries");
    }

    @Test
    void impossibleLengthIsCorruption() throws IOException {
        Path wal = wal();
        TestWalFiles.Segment s = segment(3, 4096, entries(0, 2));
        s.bytes()[(int) s.offsets()[1] + 5] = 0x40;
        s.write(wal.resolve("open-1"));
        assertThatThrownBy(() -> WalReader.open(wal))
                .isInstanceOf(EdgeFormatException.class)
                .hasMessageContaining("offset " + s.offsets()[1])
                .hasMessageContaining("does not fit");
    }

    @Test
    void gapBetweenClosedSegmentsIsAnError() throws IOException {
        Path wal = wal();
        segment(1, 4096, entries(0, 2)).write(wal.resolve("closed-0"));
        segment(2, 4096, entries(3, 2)).write(wal.resolve("closed-3"));
        assertThatThrownBy(() -> WalReader.open(wal))
                .isInstanceOf(EdgeFormatException.class)
                .hasMessageContaining("missing WAL segment(s) containing entries 2 to 3");
    }

    @Test
    void overlappingClosedSegmentsAreAnError() throws IOException {
        Path wal = wal();
        segment(1, 4096, entries(0, 2)).write(wal.resolve("closed-0"));
        segment(2, 4096, entries(1, 2)).write(wal.resolve("closed-1"));
        assertThatThrownBy(() -> WalReader.open(wal))
                .isInstanceOf(EdgeFormatException.class)
                .hasMessageContaining("closed-1")
                .hasMessageContaining("overlaps");
    }

    @Test
    void badHeadersAndNamesAreErrors() throws IOException {
        Path wal = wal();
        byte[] bytes = segment(1, 64).bytes();
        bytes[3] = 1;
        Files.write(wal.resolve("open-1"), bytes);
        assertThatThrownBy(() -> WalReader.open(wal)).hasMessageContaining("unsupported WAL segment version 1");
        Files.write(wal.resolve("open-1"), "not a wal segment".getBytes(StandardCharsets.US_ASCII));
        assertThatThrownBy(() -> WalReader.open(wal)).hasMessageContaining("does not start with \"wal\"");
        Files.write(wal.resolve("open-1"), new byte[] {'w', 'a', 'l'});
        assertThatThrownBy(() -> WalReader.open(wal)).hasMessageContaining("shorter than its 8-byte header");
        Files.delete(wal.resolve("open-1"));
        Files.write(wal.resolve("open-x"), segment(1, 64).bytes());
        assertThatThrownBy(() -> WalReader.open(wal)).isInstanceOf(EdgeFormatException.class)
                .hasMessageContaining("open-x");
    }

    @Test
    void badFirstIndexFileIsAnError() throws IOException {
        Path wal = wal();
        segment(1, 64).write(wal.resolve("open-1"));
        Files.writeString(wal.resolve("first-index"), "{\"ack\":1}");
        assertThatThrownBy(() -> WalReader.open(wal)).isInstanceOf(EdgeFormatException.class)
                .hasMessageContaining("first-index").hasMessageContaining("ack_index");
    }

    @Test
    void undecodableRecordNamesFileEntryAndOffset() throws IOException {
        Path wal = wal();
        TestWalFiles.Segment s = segment(1, 4096, deletePoint(0), TestWalFiles.hex("a1 63 666f6f 01"));
        s.write(wal.resolve("open-1"));
        try (WalReader reader = WalReader.open(wal)) {
            assertThatThrownBy(() -> reader.records().forEach(r -> { }))
                    .isInstanceOf(EdgeFormatException.class)
                    .hasMessageContaining("open-1")
                    .hasMessageContaining("WAL entry 1 at offset " + s.offsets()[1])
                    .hasMessageContaining("unknown operation \"foo\"");
        }
    }
}
