package dev.qdrantedge.engine.shard;

import static dev.qdrantedge.engine.shard.ShardWriteCompatTest.assertSamePoints;
import static org.assertj.core.api.Assertions.assertThat;

import dev.qdrantedge.engine.compat.LivePoints;
import dev.qdrantedge.engine.compat.ReferenceAnswers;
import dev.qdrantedge.engine.compat.ReferenceEngine;
import dev.qdrantedge.engine.config.EdgeConfig;
import dev.qdrantedge.engine.config.SparseVectorParams;
import dev.qdrantedge.engine.config.VectorParams;
import dev.qdrantedge.engine.idtracker.PointId;
import dev.qdrantedge.engine.segment.Segment;
import dev.qdrantedge.engine.vectors.Distance;
import dev.qdrantedge.engine.vectors.VectorDatatype;
import dev.qdrantedge.engine.wal.ScenarioOperations;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.JsonNodeFactory;
import tools.jackson.databind.node.ObjectNode;

/**
 * Java and the reference engine take turns writing one shard directory, three rounds:
 *
 * <ol>
 *   <li>Java loads the shard (checking it equals what the reference engine reported after its last turn),
 *       applies operations of every kind and closes it;</li>
 *   <li>the reference engine applies the same operations to a shadow shard that has received every
 *       operation of both engines so far: Java's result must equal it, so Java's semantics are the reference
 *       engine's;</li>
 *   <li>the reference engine loads the shard Java wrote: every point equal;</li>
 *   <li>the reference engine writes more to the same shard (and to the shadow) and closes it. In round 2 it
 *       also runs {@code optimize}, so that in round 3 Java writes into a shard with a non-appendable segment
 *       and has to move points out of it.</li>
 * </ol>
 */
class RoundTripCompatTest {

    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;
    private static final String[] WORDS = {"alpha", "bravo", "charlie", "delta", "echo", "foxtrot"};

    @TempDir
    Path temp;

    @Test
    void javaAndTheReferenceEngineTakeTurnsWritingTheSameShard() throws IOException {
        ReferenceEngine engine = ReferenceEngine.require();
        Path dir = temp.resolve("shard");
        Path shadow = temp.resolve("shadow");
        EdgeShard.create(dir, config()).close();
        EdgeShard.create(shadow, config()).close();
        Random random = new Random(20_260_601L);
        ReferenceAnswers lastReference = null;
        for (int round = 1; round <= 3; round++) {
            String at = "round " + round;
            List<PointId> inNonAppendable = idsInNonAppendableSegments(dir);
            if (round == 3) {
                assertThat(inNonAppendable).as("the reference engine's optimize left a non-appendable segment")
                        .hasSizeGreaterThan(20);
            }

            ArrayNode javaOps;
            try (EdgeShard shard = EdgeShard.load(dir)) {
                if (lastReference != null) {
                    assertSamePoints(shard, lastReference, at + ": Java loads what the reference engine wrote");
                }
                List<PointId> live = new ArrayList<>();
                ShardReadCompatTest.scrollAll(shard).forEach(r -> live.add(r.id()));
                javaOps = javaOperations(random, round, inNonAppendable.isEmpty() ? live : inNonAppendable);
                applyInJava(shard, javaOps);
            }

            ReferenceAnswers expected = engine.apply(scenario("java-" + round, javaOps, null), shadow,
                    temp.resolve("shadow-java-" + round));
            try (EdgeShard shard = EdgeShard.openReadOnly(dir)) {
                assertSamePoints(shard, expected, at + ": Java's writes equal the reference engine's application");
            }
            if (round == 3) {
                assertThat(idsInNonAppendableSegments(dir)).as("points moved out of the non-appendable segment")
                        .hasSizeLessThan(inNonAppendable.size());
            }
            ReferenceAnswers inspected = engine.inspect(dir, temp.resolve("inspected-" + round));
            assertThat(inspected.points()).as(at + ": the reference engine loads what Java wrote")
                    .isEqualTo(expected.points());

            Path referenceTurn = scenario("reference-" + round, referenceOperations(random, round,
                    expected.pointIds()), round == 2 ? optimizingConfig() : null);
            lastReference = engine.apply(referenceTurn, dir, temp.resolve("reference-" + round));
            ReferenceAnswers shadowed = engine.apply(referenceTurn, shadow, temp.resolve("shadow-reference-" + round));
            assertThat(lastReference.points()).as(at + ": the reference engine's turn, on both shards")
                    .isEqualTo(shadowed.points());
            if (round == 2) {
                assertThat(idsInNonAppendableSegments(dir)).as("optimize built a non-appendable segment").isNotEmpty();
            }
        }
        try (EdgeShard shard = EdgeShard.load(dir)) {
            assertSamePoints(shard, lastReference, "Java loads the reference engine's last turn");
        }
    }

    // ---------------------------------------------------------------------------------------------
    // configuration

    static EdgeConfig config() {
        Map<String, VectorParams> vectors = new LinkedHashMap<>();
        vectors.put("dense", new VectorParams(4, Distance.COSINE));
        vectors.put("half", new VectorParams(3, Distance.DOT, VectorDatatype.FLOAT16, false, null));
        vectors.put("bytes", new VectorParams(3, Distance.EUCLID, VectorDatatype.UINT8, false, true));
        vectors.put("multi", new VectorParams(2, Distance.DOT, VectorDatatype.FLOAT32, true, null));
        return new EdgeConfig(vectors, Map.of("bm25", new SparseVectorParams(true)));
    }

    /** {@link #config()} in scenario form, with settings that make {@code optimize} index the segment. */
    private static ObjectNode optimizingConfig() {
        ObjectNode config = NODES.objectNode();
        ObjectNode vectors = config.putObject("vectors");
        vectors.putObject("dense").put("size", 4).put("distance", "Cosine");
        vectors.putObject("half").put("size", 3).put("distance", "Dot").put("datatype", "float16");
        vectors.putObject("bytes").put("size", 3).put("distance", "Euclid").put("datatype", "uint8").put("on_disk", true);
        vectors.putObject("multi").put("size", 2).put("distance", "Dot").put("multivector", true);
        config.putObject("sparse_vectors").putObject("bm25").put("modifier", "idf");
        config.putObject("optimizers").put("indexing_threshold", 1).put("default_segment_number", 1);
        config.putObject("hnsw").put("m", 8).put("ef_construct", 16).put("full_scan_threshold", 1);
        return config;
    }

    // ---------------------------------------------------------------------------------------------
    // operations

    /**
     * One Java turn: every operation kind the write path supports, on {@code targets} (existing points) and
     * on points it upserts itself.
     */
    private static ArrayNode javaOperations(Random r, int round, List<PointId> targets) {
        ArrayNode ops = NODES.arrayNode();
        List<PointId> pool = new ArrayList<>(targets);
        ArrayNode fresh = NODES.arrayNode();
        for (int i = 0; i < 14; i++) {
            PointId id = i % 3 == 2 ? PointId.of(new UUID(r.nextLong(), r.nextLong())) : PointId.of(round * 100L + i);
            fresh.add(point(r, id, round * 100 + i, i == 5 ? List.of("bm25") : i % 4 == 1
                    ? List.of("dense", "multi") : List.of("dense", "half", "bytes", "multi", "bm25")));
            pool.add(id);
        }
        ops.addObject().put("op", "upsert").set("points", fresh);
        if (!targets.isEmpty()) {
            ArrayNode overwrite = NODES.arrayNode();
            for (int i = 0; i < 4; i++) {
                overwrite.add(point(r, targets.get(i * targets.size() / 4), 500 + round * 10 + i,
                        List.of("dense", "half", "multi")));
            }
            ops.addObject().put("op", "upsert").set("points", overwrite);
        }
        ops.addObject().put("op", "delete").set("ids", ids(take(r, pool), take(r, pool), PointId.of(987_654_321L)));
        ObjectNode set = ops.addObject().put("op", "set_payload");
        set.set("ids", ids(pick(r, pool), pick(r, pool)));
        set.putObject("payload").put("color", WORDS[r.nextInt(WORDS.length)]).put("round", round)
                .putObject("deep").put("x", r.nextInt(100));
        ObjectNode setKey = ops.addObject().put("op", "set_payload");
        setKey.set("ids", ids(pick(r, pool), pick(r, pool), pick(r, pool)));
        setKey.put("key", "meta");
        setKey.putObject("payload").put("touched", round).putArray("list").add(1).add("two");
        ObjectNode setDeep = ops.addObject().put("op", "set_payload");
        setDeep.set("ids", ids(pick(r, pool), pick(r, pool)));
        setDeep.put("key", "meta.inner");
        setDeep.putObject("payload").put("level", 2);
        ObjectNode overwrite = ops.addObject().put("op", "overwrite_payload");
        overwrite.set("ids", ids(pick(r, pool)));
        overwrite.putObject("payload").put("only", true).put("n", 7);
        ObjectNode deletePayload = ops.addObject().put("op", "delete_payload");
        deletePayload.set("ids", ids(pick(r, pool), pick(r, pool), pick(r, pool)));
        deletePayload.putArray("keys").add("color").add("meta.k").add("tags");
        ops.addObject().put("op", "clear_payload").set("ids", ids(pick(r, pool)));
        ArrayNode updates = NODES.arrayNode();
        updates.add(vectorsOnly(r, pick(r, pool), List.of("dense")));
        updates.add(vectorsOnly(r, pick(r, pool), List.of("bm25", "bytes")));
        updates.add(vectorsOnly(r, pick(r, pool), List.of("multi", "half")));
        ops.addObject().put("op", "update_vectors").set("points", updates);
        ObjectNode deleteVectors = ops.addObject().put("op", "delete_vectors");
        deleteVectors.set("ids", ids(pick(r, pool), pick(r, pool)));
        deleteVectors.putArray("vectors").add("half").add("bm25");
        ops.addObject().put("op", "flush");

        ops.addObject().put("op", "delete_by_filter").set("filter", filter("must",
                condition("group", "value", "g3"), hasId(take(r, pool), take(r, pool), take(r, pool))));
        ObjectNode setByFilter = ops.addObject().put("op", "set_payload_by_filter");
        setByFilter.set("filter", filter("must", anyOf("group", "g1", "g2")));
        setByFilter.putObject("payload").put("by_filter", round);
        ObjectNode overwriteByFilter = ops.addObject().put("op", "overwrite_payload_by_filter");
        overwriteByFilter.set("filter", filter("must", hasId(pick(r, pool))));
        overwriteByFilter.putObject("payload").put("replaced", round);
        ObjectNode deletePayloadByFilter = ops.addObject().put("op", "delete_payload_by_filter");
        deletePayloadByFilter.set("filter", filter("should", range("n", "gte", round * 100 + 7)));
        deletePayloadByFilter.putArray("keys").add("text");
        ops.addObject().put("op", "clear_payload_by_filter").set("filter",
                filter("must", condition("group", "value", "g0"), hasId(pick(r, pool), pick(r, pool))));
        ObjectNode deleteVectorsByFilter = ops.addObject().put("op", "delete_vectors_by_filter");
        deleteVectorsByFilter.set("filter", filter("must", condition("group", "value", "g1")));
        deleteVectorsByFilter.putArray("vectors").add("multi");

        ObjectNode insertOnly = ops.addObject().put("op", "upsert_conditional").put("update_mode", "insert_only");
        insertOnly.putArray("points").add(point(r, pick(r, pool), 801, List.of("dense")))
                .add(point(r, PointId.of(round * 100L + 90), 802, List.of("dense", "bm25")));
        ObjectNode conditional = ops.addObject().put("op", "upsert_conditional");
        conditional.putArray("points").add(point(r, pick(r, pool), 803, List.of("half")))
                .add(point(r, pick(r, pool), 804, List.of("dense", "multi")));
        conditional.set("condition", filter("must", condition("group", "value", "g2")));
        ObjectNode updateOnly = ops.addObject().put("op", "upsert_conditional").put("update_mode", "update_only");
        updateOnly.putArray("points").add(point(r, pick(r, pool), 805, List.of("bytes")))
                .add(point(r, PointId.of(round * 100L + 91), 806, List.of("dense")));
        ObjectNode updateVectorsIf = ops.addObject().put("op", "update_vectors_conditional");
        updateVectorsIf.putArray("points").add(vectorsOnly(r, pick(r, pool), List.of("dense", "bm25")))
                .add(vectorsOnly(r, pick(r, pool), List.of("half")));
        updateVectorsIf.set("condition", filter("must_not", condition("group", "value", "g0")));
        return ops;
    }

    /** One reference-engine turn: generated points (rich payloads, UUIDs) and changes to existing points. */
    private static ArrayNode referenceOperations(Random r, int round, List<PointId> live) {
        List<PointId> pool = new ArrayList<>(live);
        ArrayNode ops = NODES.arrayNode();
        ops.addObject().put("op", "upsert_generated").put("count", 12).put("ids", "mixed")
                .put("start", round * 1000).put("payload", "rich").put("batch", 5);
        ops.addObject().put("op", "delete").set("ids", ids(take(r, pool), take(r, pool)));
        ObjectNode set = ops.addObject().put("op", "set_payload");
        set.set("ids", ids(pick(r, pool), pick(r, pool), pick(r, pool)));
        set.putObject("payload").put("from_reference", round);
        ObjectNode setKey = ops.addObject().put("op", "set_payload").put("key", "meta");
        setKey.set("ids", ids(pick(r, pool)));
        setKey.putObject("payload").put("reference", true);
        ops.addObject().put("op", "update_vectors").putArray("points")
                .add(vectorsOnly(r, pick(r, pool), List.of("dense", "multi")));
        ObjectNode deleteVectors = ops.addObject().put("op", "delete_vectors");
        deleteVectors.set("ids", ids(pick(r, pool)));
        deleteVectors.putArray("vectors").add("dense");
        ArrayNode again = NODES.arrayNode();
        again.add(point(r, pick(r, pool), 900 + round, List.of("dense", "half", "bytes", "multi", "bm25")));
        ops.addObject().put("op", "upsert").set("points", again);
        ops.addObject().put("op", "flush");
        if (round == 2) {
            ops.addObject().put("op", "optimize");
            ObjectNode after = ops.addObject().put("op", "set_payload");
            after.set("ids", ids(pick(r, pool)));
            after.putObject("payload").put("after_optimize", true);
        }
        return ops;
    }

    private static void applyInJava(EdgeShard shard, ArrayNode ops) {
        for (JsonNode op : ops) {
            if (op.get("op").asString().equals("flush")) {
                shard.flush();
                continue;
            }
            ObjectNode one = NODES.objectNode();
            one.putArray("operations").add(op);
            shard.update(ScenarioOperations.expected(one).get(0));
        }
    }

    private Path scenario(String name, ArrayNode ops, ObjectNode config) throws IOException {
        ObjectNode scenario = NODES.objectNode();
        scenario.put("seed", name.hashCode() & 0xFFFF);
        if (config != null) {
            scenario.set("config", config);
        }
        scenario.set("operations", ops);
        scenario.put("finish", "close");
        Path file = temp.resolve(name + ".json");
        Files.write(file, JSON.writeValueAsBytes(scenario));
        return file;
    }

    // ---------------------------------------------------------------------------------------------
    // data

    private static ObjectNode point(Random r, PointId id, int n, List<String> vectorNames) {
        ObjectNode point = vectorsOnly(r, id, vectorNames);
        ObjectNode payload = point.putObject("payload");
        payload.put("n", n).put("group", "g" + n % 4);
        ArrayNode tags = payload.putArray("tags");
        for (int i = r.nextInt(3); i > 0; i--) {
            tags.add(WORDS[r.nextInt(WORDS.length)]);
        }
        if (n % 5 != 0) {
            payload.putObject("meta").put("k", n % 3).put("label", WORDS[n % WORDS.length]);
        }
        payload.put("score", Math.round(r.nextDouble() * 1e6) / 1e3);
        payload.put("text", "größe ☃ " + n);
        return point;
    }

    private static ObjectNode vectorsOnly(Random r, PointId id, List<String> names) {
        ObjectNode point = NODES.objectNode();
        point.set("id", id(id));
        ObjectNode vectors = point.putObject("vector");
        for (String name : names) {
            switch (name) {
                case "dense" -> vectors.set(name, floats(r, 4));
                case "half" -> vectors.set(name, floats(r, 3));
                case "bytes" -> {
                    ArrayNode values = vectors.putArray(name);
                    for (int i = 0; i < 3; i++) {
                        values.add((double) r.nextInt(256));
                    }
                }
                case "multi" -> {
                    ArrayNode rows = vectors.putArray(name);
                    for (int i = 1 + r.nextInt(3); i > 0; i--) {
                        rows.add(floats(r, 2));
                    }
                }
                case "bm25" -> {
                    ObjectNode sparse = vectors.putObject(name);
                    ArrayNode indices = sparse.putArray("indices");
                    ArrayNode values = sparse.putArray("values");
                    for (int index = r.nextInt(5); index < 60; index += 1 + r.nextInt(15)) {
                        indices.add(index);
                        values.add((double) (0.1f + r.nextFloat() * 2));
                    }
                }
                default -> throw new IllegalArgumentException(name);
            }
        }
        return point;
    }

    /** Values exactly representable as floats, so both engines store the same bits. */
    private static ArrayNode floats(Random r, int n) {
        ArrayNode values = NODES.arrayNode();
        for (int i = 0; i < n; i++) {
            values.add((double) (float) r.nextGaussian());
        }
        return values;
    }

    /**
     * A point of the pool, which holds only points that exist when the operation runs: both engines report an
     * operation naming a missing point as failed (see {@link MissingPointsCompatTest}), and here every
     * operation is to succeed.
     */
    private static PointId pick(Random r, List<PointId> pool) {
        return pool.get(r.nextInt(pool.size()));
    }

    /** A point of the pool that the operation deletes (or may delete): later operations do not pick it. */
    private static PointId take(Random r, List<PointId> pool) {
        return pool.remove(r.nextInt(pool.size()));
    }

    private static JsonNode id(PointId id) {
        return id instanceof PointId.Num n ? NODES.numberNode(n.value()) : NODES.stringNode(id.toString());
    }

    private static ArrayNode ids(PointId... ids) {
        ArrayNode out = NODES.arrayNode();
        for (PointId id : ids) {
            out.add(id(id));
        }
        return out;
    }

    private static ObjectNode filter(String clause, ObjectNode... conditions) {
        ObjectNode filter = NODES.objectNode();
        ArrayNode list = filter.putArray(clause);
        for (ObjectNode c : conditions) {
            list.add(c);
        }
        return filter;
    }

    private static ObjectNode condition(String key, String kind, String value) {
        ObjectNode c = NODES.objectNode().put("key", key);
        c.putObject("match").put(kind, value);
        return c;
    }

    private static ObjectNode anyOf(String key, String... values) {
        ObjectNode c = NODES.objectNode().put("key", key);
        ArrayNode any = c.putObject("match").putArray("any");
        for (String v : values) {
            any.add(v);
        }
        return c;
    }

    private static ObjectNode range(String key, String bound, double value) {
        ObjectNode c = NODES.objectNode().put("key", key);
        c.putObject("range").put(bound, value);
        return c;
    }

    private static ObjectNode hasId(PointId... ids) {
        ObjectNode c = NODES.objectNode();
        c.set("has_id", ids(ids));
        return c;
    }

    // ---------------------------------------------------------------------------------------------
    // files

    /** The live points whose winning copy is in a non-appendable segment. */
    private static List<PointId> idsInNonAppendableSegments(Path shardDir) {
        List<Segment> segments = LivePoints.openSegments(shardDir);
        try {
            List<PointId> ids = new ArrayList<>();
            LivePoints.of(segments).forEach((id, location) -> {
                if (!location.segment().appendable()) {
                    ids.add(id);
                }
            });
            return ids;
        } finally {
            segments.forEach(Segment::close);
        }
    }
}
