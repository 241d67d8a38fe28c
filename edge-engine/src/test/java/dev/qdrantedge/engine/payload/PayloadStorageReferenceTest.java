package dev.qdrantedge.engine.payload;

import static org.assertj.core.api.Assertions.assertThat;

import dev.qdrantedge.engine.compat.LivePoints;
import dev.qdrantedge.engine.compat.ReferenceAnswers;
import dev.qdrantedge.engine.compat.ReferenceEngine;
import dev.qdrantedge.engine.compat.ReferenceShard;
import dev.qdrantedge.engine.idtracker.PointId;
import dev.qdrantedge.engine.segment.Segment;
import java.io.IOException;
import java.math.BigInteger;
import java.nio.file.Files;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.JsonNodeFactory;

/** Every live point's payload, read from the segment files, equals the reference engine's answer exactly. */
class PayloadStorageReferenceTest {

    @ParameterizedTest
    @ValueSource(strings = {"basic", "named-all-kinds", "optimized", "storage-payloads", "storage-sparse"})
    void payloadsMatchTheReferenceEngine(String scenario) {
        ReferenceShard shard = ReferenceEngine.require().build(scenario);
        Map<PointId, JsonNode> actual = readPayloads(shard);
        JsonNode points = shard.answers().points();

        assertThat(actual).hasSize(points.size());
        PayloadComparison comparison = new PayloadComparison();
        for (JsonNode point : points) {
            PointId id = ReferenceAnswers.toPointId(point.get("id"));
            JsonNode expected = point.get("payload");
            assertThat(actual).containsKey(id);
            comparison.assertSame(actual.get(id), expected, "point " + id);
        }
        System.out.println("[payload] " + scenario + ": " + comparison.floatsUlpsApart()
                + " float(s) differ from the reference engine's re-parsed answer by a few ulps");
    }

    /** Payloads written literally in the scenario file are read back bit-exactly (no re-parsing involved). */
    @Test
    void literalPayloadsRoundTripExactly() throws IOException {
        ReferenceShard shard = ReferenceEngine.require().build("storage-payloads");
        Map<PointId, JsonNode> payloads = readPayloads(shard);
        JsonNode scenario = JsonMapper.builder().build().readTree(
                Files.readAllBytes(ReferenceEngineScenarios.file("storage-payloads")));
        int literal = 0;
        for (JsonNode op : scenario.get("operations")) {
            if (!op.get("op").asString().equals("upsert")) {
                continue;
            }
            for (JsonNode point : op.get("points")) {
                JsonNode expected = point.has("payload") ? point.get("payload") : JsonNodeFactory.instance.objectNode();
                JsonNode actual = payloads.get(PointId.of(point.get("id").asLong()));
                assertThat(actual).as("point %s", point.get("id")).isEqualTo(expected);
                assertThat(PayloadComparison.keys(actual)).isEqualTo(PayloadComparison.keys(expected));
                literal++;
            }
        }
        assertThat(literal).isEqualTo(4);
    }

    @Test
    void numbersKeepTheirExactValueAndKind() {
        ReferenceShard shard = ReferenceEngine.require().build("storage-payloads");
        Map<PointId, JsonNode> payloads = readPayloads(shard);

        JsonNode edge = payloads.get(PointId.of(5001));
        assertThat(edge.get("u64_max").isBigInteger()).isTrue();
        assertThat(edge.get("u64_max").bigIntegerValue()).isEqualTo(new BigInteger("18446744073709551615"));
        assertThat(edge.get("i64_min").isLong()).isTrue();
        assertThat(edge.get("i64_min").longValue()).isEqualTo(Long.MIN_VALUE);
        assertThat(edge.get("two_pow_53_plus_1").longValue()).isEqualTo(9007199254740993L);
        assertThat(edge.get("tenth").isDouble()).isTrue();
        assertThat(Double.doubleToRawLongBits(edge.get("neg_zero").doubleValue()))
                .isEqualTo(Double.doubleToRawLongBits(-0.0));
        assertThat(edge.get("min_subnormal").doubleValue()).isEqualTo(Double.MIN_VALUE);
        assertThat(edge.get("max_double").doubleValue()).isEqualTo(Double.MAX_VALUE);
        assertThat(edge.get("one_float").isDouble()).as("1.0 stays a float").isTrue();
        assertThat(edge.get("emoji").asString()).isEqualTo("\uD83D\uDE00 surrogate pair \uD834\uDD1E");
        assertThat(edge.get("escapes").asString()).contains("\u0000").contains("\n").contains("\"");
        assertThat(edge.get("null_value").isNull()).isTrue();
        assertThat(edge.get("").asString()).isEqualTo("empty key");

        JsonNode rich = payloads.get(PointId.of(100));
        assertThat(rich.get("big").isLong()).isTrue();
        assertThat(rich.get("big").longValue()).isEqualTo((1L << 62) + 100);
        assertThat(PayloadComparison.keys(rich)).as("key order as written").startsWith("n", "neg", "big", "ratio");

        assertThat(payloads.get(PointId.of(5002))).as("empty payload").isEmpty();
        assertThat(payloads.get(PointId.of(5003))).as("no payload").isEmpty();
        assertThat(payloads.get(PointId.of(15))).as("cleared payload").isEmpty();
        assertThat(payloads.get(PointId.of(30))).as("re-upserted without payload").isEmpty();
        assertThat(payloads.get(PointId.of(12)).get("nested").get("a").get("inner").intValue()).isEqualTo(1);
        String blob = payloads.get(PointId.of(5004)).get("blob").asString();
        assertThat(blob.codePointCount(0, blob.length())).isEqualTo(6000);
    }

    @Test
    void slotsBeyondTheTrackerReadAsEmptyObjects() {
        ReferenceShard shard = ReferenceEngine.require().build("storage-payloads");
        LivePoints.Location location = LivePoints.of(shard.shardDir()).values().iterator().next();
        try (PayloadStorage storage = PayloadStorage.open(location.segment())) {
            int beyond = (int) storage.gridstore().pointerCount() + 10;
            assertThat(storage.get(beyond)).isEmpty();
        }
    }

    static Map<PointId, JsonNode> readPayloads(ReferenceShard shard) {
        Map<PointId, JsonNode> payloads = new HashMap<>();
        Map<Segment, PayloadStorage> open = new HashMap<>();
        try {
            for (Map.Entry<PointId, LivePoints.Location> e : LivePoints.of(shard.shardDir()).entrySet()) {
                PayloadStorage storage = open.computeIfAbsent(e.getValue().segment(), PayloadStorage::open);
                payloads.put(e.getKey(), storage.get(e.getValue().internalId()));
            }
        } finally {
            open.values().forEach(PayloadStorage::close);
        }
        return payloads;
    }
}
