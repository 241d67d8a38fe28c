package dev.qdrantedge.engine.wal;

import static org.assertj.core.api.Assertions.assertThat;

import dev.qdrantedge.engine.compat.ReferenceEngine;
import dev.qdrantedge.engine.compat.ReferenceShard;
import dev.qdrantedge.engine.idtracker.PointId;
import dev.qdrantedge.engine.operation.DeletePoints;
import dev.qdrantedge.engine.operation.SyncPoints;
import dev.qdrantedge.engine.operation.UpdateOperation;
import dev.qdrantedge.engine.operation.UpsertPoints;
import dev.qdrantedge.engine.vectors.DenseVector;
import java.nio.file.Path;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Decoding a WAL record and encoding the result gives back the record's bytes. */
class OperationEncoderTest {

    private static final HexFormat HEX = HexFormat.of();
    private final WalRecordDecoder decoder = new WalRecordDecoder();

    @ParameterizedTest
    @ValueSource(strings = {"wal-default-vector", "wal-named-vectors", "wal-filters", "wal-only", "wal-acknowledged"})
    void everyReferenceRecordIsReproducedByteForByte(String scenario) {
        ReferenceShard shard = ReferenceEngine.require().build(scenario);
        int checked = 0;
        try (WalReader reader = WalReader.open(shard.shardDir().resolve("wal"))) {
            for (WalEntry entry : reader.entries(reader.firstStoredIndex())) {
                WalRecord record = decoder.decode(entry);
                assertThat(HEX.formatHex(OperationEncoder.encode(record)))
                        .as("%s entry %d (%s)", scenario, entry.index(), record.operation().variant())
                        .isEqualTo(HEX.formatHex(entry.data()));
                checked++;
            }
        }
        assertThat(checked).isPositive();
    }

    @Test
    void serverRecordWithClockTagMatchesTheSpecificationExample() {
        UpdateOperation upsert = new UpsertPoints(List.of(AppendixAExampleTest.expectedPoint()));
        ClockTag tag = new ClockTag(1234, 0, 7, 99, false);

        byte[] bytes = OperationEncoder.encode(upsert, Optional.of(tag));

        assertThat(HEX.formatHex(bytes)).isEqualTo(AppendixAExampleTest.SERVER_RECORD);
        WalRecord decoded = decoder.decode(new WalEntry(5, Path.of("open-1"), 8, bytes));
        assertThat(decoded.clockTag()).contains(tag);
        assertThat(decoded.operation()).isEqualTo(upsert);
    }

    @Test
    void clockTagValuesUseTheFullUnsignedRange() {
        ClockTag tag = new ClockTag(-1L, -1, Long.MIN_VALUE, 1L << 40, true);
        byte[] bytes = OperationEncoder.encode(new DeletePoints(List.of(PointId.of(1))), Optional.of(tag));
        assertThat(HEX.formatHex(bytes)).contains("67706565725f69641bffffffffffffffff")
                .contains("68636c6f636b5f69641affffffff").endsWith("65666f726365f5ff");
        assertThat(decoder.decode(new WalEntry(0, Path.of("open-1"), 8, bytes)).clockTag()).contains(tag);
    }

    @Test
    void edgeRecordIsAnIndefiniteMapAroundTheOperation() {
        byte[] bytes = OperationEncoder.encode(new DeletePoints(List.of(PointId.of(42))));
        assertThat(HEX.formatHex(bytes)).isEqualTo("bf6d64656c6574655f706f696e7473a16369647381182aff");
    }

    @Test
    void syncPointsRoundTrips() {
        UUID uuid = UUID.fromString("550e8400-e29b-41d4-a716-446655440000");
        SyncPoints sync = new SyncPoints(Optional.of(PointId.of(uuid)), Optional.empty(), List.of(
                new dev.qdrantedge.engine.operation.PointStruct(PointId.of(3),
                        Map.of("", new DenseVector(new float[] {1.5f, 0.1f})), Optional.empty())));
        byte[] bytes = OperationEncoder.encode(sync);
        assertThat(HEX.formatHex(bytes)).contains("6766726f6d5f696450550e8400e29b41d4a716446655440000")
                .contains("65746f5f6964f6");
        assertThat(decoder.decode(new WalEntry(0, Path.of("open-1"), 8, bytes)).operation()).isEqualTo(sync);
    }

    @Test
    void floatsTakeTheShortestExactWidth() {
        CborWriter w = new CborWriter();
        w.float32(10.5f).float32(-0.0f).float32(0.1f).float32(65504f).float32(65520f).float32(5.9604645e-8f)
                .float32(Float.POSITIVE_INFINITY).float32(Float.NaN).float64(1e-300).float64(0.5).float64(0.1);
        assertThat(HEX.formatHex(w.toByteArray())).isEqualTo("f94940" + "f98000" + "fa3dcccccd" + "f97bff"
                + "fa477ff000" + "f90001" + "f97c00" + "f97e00" + "fb01a56e1fc2f8f359" + "f93800"
                + "fb3fb999999999999a");
    }
}
