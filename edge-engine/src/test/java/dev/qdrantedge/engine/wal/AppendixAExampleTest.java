package dev.qdrantedge.engine.wal;

import static org.assertj.core.api.Assertions.assertThat;

import dev.qdrantedge.engine.idtracker.PointId;
import dev.qdrantedge.engine.vectors.DenseVector;
import dev.qdrantedge.engine.operation.DeletePoints;
import dev.qdrantedge.engine.operation.PointStruct;
import dev.qdrantedge.engine.operation.UpsertPoints;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

/** The worked WAL example of the format specification (Appendix A), byte for byte. */
class AppendixAExampleTest {

    static final String EDGE_RECORD = "a16d7570736572745f706f696e7473a166706f696e747381a3626964182a66766563746f72a165"
            + "696d61676584fa3dcccccdfa3e4ccccdfa3e99999afa3ecccccd677061796c6f6164a36463697479664265726c696e6570726963"
            + "65f9494065636f756e7403";
    static final String SERVER_RECORD = "bf6d7570736572745f706f696e7473a166706f696e747381a3626964182a66766563746f72"
            + "a165696d61676584fa3dcccccdfa3e4ccccdfa3e99999afa3ecccccd677061796c6f6164a36463697479664265726c696e6570"
            + "72696365f9494065636f756e740369636c6f636b5f746167a567706565725f69641904d268636c6f636b5f6964006a636c6f63"
            + "6b5f7469636b0765746f6b656e186365666f726365f4ff";
    static final String SECOND_ENTRY = "17 00 00 00 00 00 00 00 a1 6d 64 65 6c 65 74 65 5f 70 6f 69 6e 74 73 a1 63 69"
            + " 64 73 81 18 2a 00 00 00 00 00 39 de 75 c7";

    @TempDir
    Path dir;

    private final WalRecordDecoder decoder = new WalRecordDecoder();

    static PointStruct expectedPoint() {
        ObjectNode payload = (ObjectNode) JsonMapper.builder().build()
                .readTree("{\"city\":\"Berlin\",\"price\":10.5,\"count\":3}");
        return new PointStruct(PointId.of(42), Map.of("image", new DenseVector(new float[] {0.1f, 0.2f, 0.3f, 0.4f})),
                Optional.of(payload));
    }

    @Test
    void segmentFileMatchesTheExampleBytes() {
        byte[] edge = TestWalFiles.hex(EDGE_RECORD);
        byte[] second = TestWalFiles.hex("a16d64656c6574655f706f696e7473a16369647381182a");
        assertThat(edge).hasSize(102);
        byte[] file = TestWalFiles.segment(0x11223344, 4096, edge, second).bytes();

        assertThat(Arrays.copyOfRange(file, 0, 16)).isEqualTo(TestWalFiles.hex("77 61 6c 00 44 33 22 11 66 00 00 00 00 00 00 00"));
        assertThat(Arrays.copyOfRange(file, 0x70, 0x80))
                .isEqualTo(TestWalFiles.hex("63 6f 75 6e 74 03 00 00 00 00 00 00 f2 5f 3d 69"));
        assertThat(Arrays.copyOfRange(file, 0x80, 0x80 + 40)).isEqualTo(TestWalFiles.hex(SECOND_ENTRY));
    }

    @Test
    void readsAndDecodesTheExampleSegment() throws Exception {
        byte[] bytes = new byte[4096];
        byte[] example = TestWalFiles.hex("77 61 6c 00 44 33 22 11 66 00 00 00 00 00 00 00" + EDGE_RECORD
                + "000000000000 f25f3d69" + SECOND_ENTRY);
        System.arraycopy(example, 0, bytes, 0, example.length);
        Path wal = Files.createDirectories(dir.resolve("wal"));
        Files.write(wal.resolve("open-1"), bytes);

        List<WalRecord> records = new ArrayList<>();
        try (WalReader reader = WalReader.open(wal)) {
            reader.records().forEach(records::add);
            assertThat(reader.segments()).singleElement().satisfies(s -> {
                assertThat(s.seed()).isEqualTo(0x11223344);
                assertThat(s.lastCrc()).isEqualTo(0xc775de39);
                assertThat(s.dataEnd()).isEqualTo(0x80 + 40);
                assertThat(s.tornTail()).isFalse();
            });
        }
        assertThat(records).containsExactly(
                new WalRecord(0, new UpsertPoints(List.of(expectedPoint())), Optional.empty()),
                new WalRecord(1, new DeletePoints(List.of(PointId.of(42))), Optional.empty()));
    }

    @Test
    void decodesTheServerRecordWithItsClockTag() {
        WalRecord record = decoder.decode(new WalEntry(5, dir.resolve("open-1"), 8, TestWalFiles.hex(SERVER_RECORD)));
        assertThat(record.operation()).isEqualTo(new UpsertPoints(List.of(expectedPoint())));
        assertThat(record.clockTag()).contains(new ClockTag(1234, 0, 7, 99, false));
    }

    @Test
    void decodesTheUuidExample() {
        byte[] cbor = TestWalFiles.hex("a1 6d 64656c6574655f706f696e7473 a1 63 696473 81 50 550e8400e29b41d4a716446655440000");
        WalRecord record = decoder.decode(new WalEntry(0, dir.resolve("open-1"), 8, cbor));
        assertThat(record.operation()).isEqualTo(new DeletePoints(List.of(
                PointId.of(UUID.fromString("550e8400-e29b-41d4-a716-446655440000")))));
    }
}
