package dev.qdrantedge.engine.wal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.qdrantedge.engine.EdgeFormatException;
import dev.qdrantedge.engine.idtracker.PointId;
import dev.qdrantedge.engine.vectors.DenseVector;
import dev.qdrantedge.engine.vectors.MultiDenseVector;
import dev.qdrantedge.engine.operation.PointStruct;
import dev.qdrantedge.engine.operation.SyncPoints;
import dev.qdrantedge.engine.operation.UpsertPoints;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.JsonNodeFactory;
import tools.jackson.databind.node.ObjectNode;
import tools.jackson.dataformat.cbor.CBORMapper;

class WalRecordDecoderTest {

    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final CBORMapper CBOR = CBORMapper.builder().build();
    private static final UUID U = UUID.fromString("6ba7b810-9dad-11d1-80b4-00c04fd430c8");

    private final WalRecordDecoder decoder = new WalRecordDecoder();

    /** CBOR for a JSON text in which the string "UUID" stands for the 16-byte UUID {@link #U}. */
    private static byte[] cbor(String json) {
        return CBOR.writeValueAsBytes(withUuidBytes(JSON.readTree(json)));
    }

    private static JsonNode withUuidBytes(JsonNode node) {
        if (node.isString() && node.asString().equals("UUID")) {
            java.nio.ByteBuffer b = java.nio.ByteBuffer.allocate(16);
            b.putLong(U.getMostSignificantBits()).putLong(U.getLeastSignificantBits());
            return JsonNodeFactory.instance.binaryNode(b.array());
        }
        if (node.isObject()) {
            ObjectNode out = JsonNodeFactory.instance.objectNode();
            node.properties().forEach(e -> out.set(e.getKey(), withUuidBytes(e.getValue())));
            return out;
        }
        if (node.isArray()) {
            var out = JsonNodeFactory.instance.arrayNode();
            node.forEach(n -> out.add(withUuidBytes(n)));
            return out;
        }
        return node;
    }

    private WalRecord decode(String json) {
        return decoder.decode(new WalEntry(3, Path.of("wal", "open-1"), 64, cbor(json)));
    }

    @Test
    void batchUpsertBecomesPoints() {
        WalRecord r = decode("{\"upsert_points\":{\"batch\":{\"ids\":[1,\"UUID\"],"
                + "\"vectors\":{\"a\":[[1.5,2],[3,4]],\"m\":[[[1,2]],[[3,4],[5,6]]]},"
                + "\"payloads\":[{\"x\":1},null]}}}");
        assertThat(r.operation()).isEqualTo(new UpsertPoints(List.of(
                new PointStruct(PointId.of(1), Map.of("a", new DenseVector(new float[] {1.5f, 2}),
                        "m", new MultiDenseVector(new float[][] {{1, 2}})),
                        Optional.of((ObjectNode) JSON.readTree("{\"x\":1}"))),
                new PointStruct(PointId.of(U), Map.of("a", new DenseVector(new float[] {3, 4}),
                        "m", new MultiDenseVector(new float[][] {{3, 4}, {5, 6}})), Optional.empty()))));
    }

    @Test
    void batchWithDefaultVectorsAndNoPayloads() {
        WalRecord r = decode("{\"upsert_points\":{\"batch\":{\"ids\":[5],\"vectors\":[[0.25,0.5]],\"payloads\":null}}}");
        assertThat(r.operation()).isEqualTo(new UpsertPoints(List.of(
                new PointStruct(PointId.of(5), Map.of("", new DenseVector(new float[] {0.25f, 0.5f})), Optional.empty()))));
    }

    @Test
    void syncPointsWithOpenUpperBound() {
        WalRecord r = decode("{\"sync_points\":{\"from_id\":2,\"to_id\":null,"
                + "\"points\":[{\"id\":3,\"vector\":[[1,2],[3,4]],\"payload\":null}]}}");
        assertThat(r.operation()).isEqualTo(new SyncPoints(Optional.of(PointId.of(2)), Optional.empty(), List.of(
                new PointStruct(PointId.of(3), Map.of("", new MultiDenseVector(new float[][] {{1, 2}, {3, 4}})),
                        Optional.empty()))));
    }

    @Test
    void definiteAndIndefiniteMapsAndClockTagsAllDecode() {
        WalRecord r = decode("{\"clock_tag\":{\"peer_id\":18446744073709551615,\"clock_id\":4294967295,"
                + "\"clock_tick\":1,\"token\":2,\"force\":true},\"delete_points\":{\"ids\":[\"" + U + "\"]}}");
        assertThat(r.clockTag()).contains(new ClockTag(-1L, -1, 1, 2, true));
        assertThat(r.index()).isEqualTo(3);
    }

    @Test
    void unknownOrUnsupportedShapesAreErrors() {
        assertError("{\"frobnicate_points\":{}}", "unknown operation \"frobnicate_points\"");
        assertError("{\"upsert_points_raw\":{}}", "is not supported");
        assertError("{\"delete_points\":{\"ids\":[1],\"extra\":true}}", "delete_points: unknown field \"extra\"");
        assertError("{\"delete_points\":{\"ids\":[1]},\"clear_payload\":{\"points\":[1]}}", "two operations");
        assertError("{\"delete_points\":{\"ids\":[-1]}}", "delete_points.ids[0]: point id -1");
        assertError("{\"delete_points\":{\"ids\":[\"12\"]}}", "is not a point id");
        assertError("{\"upsert_points_conditional\":{\"points_op\":{\"points\":[]},\"condition\":{},"
                + "\"update_mode\":\"sometimes\"}}", "unknown update mode");
        assertError("{\"upsert_points\":{\"points\":[{\"id\":1,\"vector\":\"x\"}]}}", "upsert_points.points[0].vector");
        assertError("{\"clock_tag\":null}", "holds no operation");
        assertThatThrownBy(() -> decoder.decode(new WalEntry(0, Path.of("open-1"), 8, new byte[] {(byte) 0xff})))
                .isInstanceOf(EdgeFormatException.class).hasMessageContaining("not a CBOR record");
    }

    private void assertError(String json, String message) {
        assertThatThrownBy(() -> decode(json))
                .isInstanceOf(EdgeFormatException.class)
                .hasMessageContaining("WAL entry 3 at offset 64")
                .hasMessageContaining(message);
    }
}
