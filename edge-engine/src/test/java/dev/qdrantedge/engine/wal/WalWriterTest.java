package dev.qdrantedge.engine.wal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.qdrantedge.engine.EdgeException;
import dev.qdrantedge.engine.idtracker.PointId;
import dev.qdrantedge.engine.operation.DeletePoints;
import dev.qdrantedge.engine.operation.PointStruct;
import dev.qdrantedge.engine.operation.SetPayload;
import dev.qdrantedge.engine.operation.UpdateOperation;
import dev.qdrantedge.engine.operation.UpsertPoints;
import dev.qdrantedge.engine.vectors.DenseVector;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

class WalWriterTest {

    private static final JsonMapper JSON = JsonMapper.builder().build();

    @TempDir
    Path dir;

    private static UpdateOperation upsert(long id, float... vector) {
        ObjectNode payload = JSON.createObjectNode().put("n", (int) id).put("w", "x" + id);
        return new UpsertPoints(List.of(new PointStruct(PointId.of(id), Map.of("", new DenseVector(vector)),
                Optional.of(payload))));
    }

    private static List<String> names(Path walDir) throws IOException {
        try (Stream<Path> files = Files.list(walDir)) {
            return files.map(f -> f.getFileName().toString()).sorted().toList();
        }
    }

    private static List<WalRecord> records(Path walDir) {
        List<WalRecord> out = new ArrayList<>();
        try (WalReader reader = WalReader.open(walDir)) {
            reader.records().forEach(out::add);
        }
        return out;
    }

    private static WalOptions small(long capacity) {
        return WalOptions.defaults().withSegmentCapacity(capacity);
    }

    @Test
    void freshWalIsOpen1WithASpareOpen2AtFullCapacity() throws IOException {
        Path wal = dir.resolve("wal");
        try (WalWriter writer = WalWriter.open(wal)) {
            assertThat(writer.nextIndex()).isZero();
            assertThat(writer.append(upsert(1, 1f, 2f))).isZero();
            assertThat(writer.append(new DeletePoints(List.of(PointId.of(1))))).isEqualTo(1);
        }
        assertThat(names(wal)).containsExactly("open-1", "open-2");
        for (String name : List.of("open-1", "open-2")) {
            byte[] head = Arrays.copyOf(Files.readAllBytes(wal.resolve(name)), 4);
            assertThat(head).containsExactly('w', 'a', 'l', 0);
            assertThat(Files.size(wal.resolve(name))).isEqualTo(32L << 20);
        }
        try (WalReader reader = WalReader.open(wal)) {
            assertThat(reader.storedCount()).isEqualTo(2);
            assertThat(reader.ackIndex()).isEmpty();
            assertThat(reader.segments()).extracting(s -> s.file().getFileName().toString()).containsExactly("open-1");
        }
    }

    @Test
    void appendedOperationsReadBackThroughTheReader() {
        UUID uuid = UUID.fromString("6ba7b810-9dad-11d1-80b4-00c04fd430c8");
        List<UpdateOperation> ops = List.of(
                upsert(7, 0.1f, -2.5f, 1e-30f),
                new SetPayload((ObjectNode) JSON.readTree("{\"a\":{\"b\":[1,2.5,null,\"s\"]}}"),
                        Optional.of(List.of(PointId.of(7), PointId.of(uuid))), Optional.empty(), Optional.of("k")),
                new DeletePoints(List.of(PointId.of(uuid), PointId.of(-1L))));
        Path wal = dir.resolve("wal");
        List<Long> indices = new ArrayList<>();
        try (WalWriter writer = WalWriter.open(wal)) {
            for (UpdateOperation op : ops) {
                indices.add(writer.append(op));
            }
            writer.append(ops.get(0), Optional.of(new ClockTag(3, 1, 99, 5, true)));
            writer.flush(true);
        }
        assertThat(indices).containsExactly(0L, 1L, 2L);
        List<WalRecord> records = records(wal);
        assertThat(records).extracting(WalRecord::operation).containsExactly(ops.get(0), ops.get(1), ops.get(2),
                ops.get(0));
        assertThat(records.get(3).clockTag()).contains(new ClockTag(3, 1, 99, 5, true));
    }

    @Test
    void reopeningContinuesAfterTheLastEntry() {
        Path wal = dir.resolve("wal");
        try (WalWriter writer = WalWriter.open(wal)) {
            writer.append(upsert(1, 1f));
            writer.append(upsert(2, 2f));
        }
        try (WalWriter writer = WalWriter.open(wal)) {
            assertThat(writer.nextIndex()).isEqualTo(2);
            assertThat(writer.append(upsert(3, 3f))).isEqualTo(2);
        }
        assertThat(records(wal)).extracting(WalRecord::index).containsExactly(0L, 1L, 2L);
    }

    @Test
    void fullSegmentsAreClosedUnderTheirStartIndexAndASpareIsKeptReady() throws IOException {
        Path wal = dir.resolve("wal");
        List<UpdateOperation> ops = new ArrayList<>();
        try (WalWriter writer = WalWriter.open(wal, small(256))) {
            for (int i = 0; i < 20; i++) {
                UpdateOperation op = upsert(i, i, i + 0.5f);
                ops.add(op);
                assertThat(writer.append(op)).isEqualTo(i);
            }
        }
        List<String> files = names(wal);
        assertThat(files).filteredOn(n -> n.startsWith("closed-")).hasSizeGreaterThan(3);
        assertThat(files).filteredOn(n -> n.startsWith("open-")).hasSize(2);
        assertThat(files).contains("closed-0");
        try (WalReader reader = WalReader.open(wal)) {
            List<WalSegment> segments = reader.segments();
            for (int i = 1; i < segments.size(); i++) {
                assertThat(segments.get(i).startIndex()).isEqualTo(segments.get(i - 1).endIndex());
            }
            for (WalSegment s : segments) {
                if (s.kind() == WalSegmentKind.CLOSED) {
                    assertThat(s.nameNumber()).isEqualTo(s.startIndex());
                    assertThat(s.capacity()).isEqualTo(256);
                }
            }
        }
        assertThat(records(wal)).extracting(WalRecord::operation).containsExactlyElementsOf(ops);

        // appending after reopening continues in the open segment and rotates the same way
        try (WalWriter writer = WalWriter.open(wal, small(256))) {
            for (int i = 20; i < 30; i++) {
                assertThat(writer.append(upsert(i, i))).isEqualTo(i);
            }
        }
        assertThat(records(wal)).hasSize(30);
        assertThat(names(wal)).filteredOn(n -> n.startsWith("open-")).hasSize(2);
    }

    @Test
    void anEntryLargerThanASegmentGetsAnEnlargedSegmentOfItsOwn() {
        Path wal = dir.resolve("wal");
        float[] big = new float[200];
        Arrays.fill(big, 0.1f);
        try (WalWriter writer = WalWriter.open(wal, small(128))) {
            writer.append(upsert(1, 1f));
            assertThat(writer.append(upsert(2, big))).isEqualTo(1);
            assertThat(writer.append(upsert(3, 3f))).isEqualTo(2);
        }
        List<WalRecord> records = records(wal);
        assertThat(records).hasSize(3);
        assertThat(records.get(1).operation()).isEqualTo(upsert(2, big));
    }

    @Test
    void ackDeletesClosedSegmentsBeforeTheIndexKeepingTheRetainedOnes() throws IOException {
        Path wal = dir.resolve("wal");
        try (WalWriter writer = WalWriter.open(wal, small(256))) {
            for (int i = 0; i < 30; i++) {
                writer.append(upsert(i, i));
            }
            int closedBefore = (int) names(wal).stream().filter(n -> n.startsWith("closed-")).count();
            writer.flush(true);

            writer.ack(2);
            assertThat(names(wal)).contains("closed-0").contains("first-index");
            assertThat(Files.readString(wal.resolve("first-index"))).isEqualTo("{\"ack_index\":2}");

            writer.ack(29);
            assertThat(names(wal).stream().filter(n -> n.startsWith("closed-"))).hasSize(1);
            assertThat(closedBefore).isGreaterThan(1);
            assertThat(writer.firstIndex()).isEqualTo(29);
            assertThat(writer.firstStoredIndex()).isGreaterThan(0);

            writer.ack(5); // never lowered
            assertThat(Files.readString(wal.resolve("first-index"))).isEqualTo("{\"ack_index\":29}");
            assertThat(writer.append(upsert(30, 1f))).isEqualTo(30);
        }
        try (WalReader reader = WalReader.open(wal)) {
            assertThat(reader.ackIndex()).hasValue(29);
            List<Long> replayed = new ArrayList<>();
            reader.records().forEach(r -> replayed.add(r.index()));
            assertThat(replayed).containsExactly(29L, 30L);
        }
        assertThat(names(wal)).noneMatch(n -> n.startsWith("tmp-"));
    }

    @Test
    void retainClosedKeepsThatManyClosedSegments() throws IOException {
        Path wal = dir.resolve("wal");
        try (WalWriter writer = WalWriter.open(wal, small(256).withRetainClosed(3))) {
            for (int i = 0; i < 40; i++) {
                writer.append(upsert(i, i));
            }
            writer.ack(39);
        }
        assertThat(names(wal).stream().filter(n -> n.startsWith("closed-"))).hasSize(3);
        try (WalReader reader = WalReader.open(wal)) {
            assertThat(reader.firstIndex()).isEqualTo(39);
            assertThat(reader.lastIndex()).isEqualTo(39);
        }
    }

    @Test
    void ackWithinTheFirstClosedSegmentOnlyRecordsTheIndex() throws IOException {
        Path wal = dir.resolve("wal");
        try (WalWriter writer = WalWriter.open(wal, small(256))) {
            for (int i = 0; i < 20; i++) {
                writer.append(upsert(i, i));
            }
            List<String> before = names(wal);
            writer.ack(1);
            List<String> after = new ArrayList<>(names(wal));
            after.remove("first-index");
            assertThat(after).isEqualTo(before);
        }
    }

    @Test
    void tornLastEntryReadsAsTheEndAndIsOverwrittenOnReopen() throws IOException {
        Path wal = dir.resolve("wal");
        try (WalWriter writer = WalWriter.open(wal)) {
            writer.append(upsert(1, 1f));
            writer.append(upsert(2, 2f));
            writer.append(upsert(3, 3f, 4f, 5f, 6f, 7f, 8f));
        }
        Path segment = wal.resolve("open-1");
        long offset;
        try (WalReader reader = WalReader.open(wal)) {
            offset = reader.entry(2).offset();
        }
        // a crash while writing the third entry: its header and part of its data reached the disk
        int length = records(wal).size() == 3 ? OperationEncoder.encode(upsert(3, 3f, 4f, 5f, 6f, 7f, 8f)).length : 0;
        long tornFrom = offset + 8 + length / 2;
        zero(segment, tornFrom, offset + 8 + length + 8 - tornFrom);

        try (WalReader reader = WalReader.open(wal)) {
            assertThat(reader.hasTornTail()).isTrue();
            assertThat(reader.storedCount()).isEqualTo(2);
        }
        try (WalWriter writer = WalWriter.open(wal)) {
            assertThat(writer.append(new DeletePoints(List.of(PointId.of(1))))).isEqualTo(2);
        }
        try (WalReader reader = WalReader.open(wal)) {
            assertThat(reader.hasTornTail()).isFalse();
            assertThat(reader.storedCount()).isEqualTo(3);
            assertThat(new WalRecordDecoder().decode(reader.entry(2)).operation())
                    .isEqualTo(new DeletePoints(List.of(PointId.of(1))));
        }
        // nothing of the torn entry is left behind the new one
        byte[] bytes = Files.readAllBytes(segment);
        try (WalReader reader = WalReader.open(wal)) {
            long end = reader.segments().get(0).dataEnd();
            assertThat(Arrays.copyOfRange(bytes, (int) end, (int) end + 4096)).containsOnly((byte) 0);
        }
    }

    @Test
    void tornEntryWithGarbageInsteadOfZerosIsAlsoTheEnd() throws IOException {
        Path wal = dir.resolve("wal");
        try (WalWriter writer = WalWriter.open(wal)) {
            writer.append(upsert(1, 1f));
        }
        long end;
        try (WalReader reader = WalReader.open(wal)) {
            end = reader.segments().get(0).dataEnd();
        }
        try (RandomAccessFile file = new RandomAccessFile(wal.resolve("open-1").toFile(), "rw")) {
            ByteBuffer torn = ByteBuffer.allocate(8 + 20).order(ByteOrder.LITTLE_ENDIAN).putLong(40);
            for (int i = 0; i < 20; i++) {
                torn.put((byte) (i + 1));
            }
            file.seek(end);
            file.write(torn.array());
        }
        try (WalWriter writer = WalWriter.open(wal)) {
            assertThat(writer.nextIndex()).isEqualTo(1);
            writer.append(upsert(2, 2f));
            writer.append(upsert(3, 3f));
        }
        assertThat(records(wal)).extracting(WalRecord::index).containsExactly(0L, 1L, 2L);
    }

    @Test
    void emptyWalStartingAtAnIndexGivesTheNextOperationTheNextNumber() throws IOException {
        Path wal = dir.resolve("wal");
        WalWriter.createEmpty(wal, small(256), 41);
        assertThat(names(wal)).containsExactly("closed-42");
        assertThat(Files.size(wal.resolve("closed-42"))).isEqualTo(256);
        try (WalReader reader = WalReader.open(wal)) {
            assertThat(reader.nextIndex()).isEqualTo(42);
            assertThat(reader.isEmpty()).isTrue();
        }
        try (WalWriter writer = WalWriter.open(wal, small(256))) {
            assertThat(writer.append(upsert(1, 1f))).isEqualTo(42);
            for (int i = 0; i < 10; i++) {
                writer.append(upsert(i, i));
            }
        }
        // the header-only segment gave way to the first real segment closed at the same start index
        try (WalReader reader = WalReader.open(wal)) {
            assertThat(reader.segments().get(0).file().getFileName().toString()).isEqualTo("closed-42");
            assertThat(reader.segments().get(0).entryCount()).isPositive();
            assertThat(reader.firstStoredIndex()).isEqualTo(42);
            assertThat(reader.nextIndex()).isEqualTo(53);
        }
        assertThatThrownBy(() -> WalWriter.createEmpty(wal, small(256), 5)).isInstanceOf(EdgeException.class);
    }

    @Test
    void anOpenSegmentStrandedByACrashIsClosed() throws IOException {
        Path wal = dir.resolve("wal");
        AtomicInteger seeds = new AtomicInteger(100);
        try (WalWriter writer = WalWriter.open(wal, small(256), seeds::incrementAndGet)) {
            for (int i = 0; i < 6; i++) {
                writer.append(upsert(i, i));
            }
        }
        // undo the rename of the first closed segment, as a crash before the directory sync may
        Path closed = wal.resolve("closed-0");
        assertThat(closed).exists();
        Files.move(closed, wal.resolve("open-0"));
        try (WalWriter writer = WalWriter.open(wal, small(256))) {
            assertThat(writer.nextIndex()).isEqualTo(6);
        }
        assertThat(names(wal)).contains("closed-0").doesNotContain("open-0");
        assertThat(records(wal)).hasSize(6);
    }

    @Test
    void leftoverTemporaryFilesAreRemoved() throws IOException {
        Path wal = dir.resolve("wal");
        Files.createDirectories(wal);
        Files.write(wal.resolve("tmp-open-7"), new byte[16]);
        try (WalWriter writer = WalWriter.open(wal)) {
            writer.append(upsert(1, 1f));
        }
        assertThat(names(wal)).containsExactly("open-1", "open-2");
    }

    @Test
    void seedsComeFromTheGivenSourceAndChainTheCrcs() throws IOException {
        Path wal = dir.resolve("wal");
        try (WalWriter writer = WalWriter.open(wal, WalOptions.defaults(), () -> 0x11223344)) {
            writer.append(TestWalFiles.hex(AppendixAExampleTest.EDGE_RECORD));
            writer.append(TestWalFiles.hex("a16d64656c6574655f706f696e7473a16369647381182a"));
        }
        byte[] expected = TestWalFiles.segment(0x11223344, 4096, TestWalFiles.hex(AppendixAExampleTest.EDGE_RECORD),
                TestWalFiles.hex("a16d64656c6574655f706f696e7473a16369647381182a")).bytes();
        byte[] actual = Arrays.copyOf(Files.readAllBytes(wal.resolve("open-1")), 4096);
        assertThat(actual).isEqualTo(expected);
    }

    private static void zero(Path file, long from, long length) throws IOException {
        try (RandomAccessFile f = new RandomAccessFile(file.toFile(), "rw")) {
            f.seek(from);
            f.write(new byte[(int) length]);
        }
    }
}
