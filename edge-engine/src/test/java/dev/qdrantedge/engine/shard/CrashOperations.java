package dev.qdrantedge.engine.shard;

import dev.qdrantedge.engine.config.EdgeConfig;
import dev.qdrantedge.engine.config.SparseVectorParams;
import dev.qdrantedge.engine.config.VectorParams;
import dev.qdrantedge.engine.idtracker.PointId;
import dev.qdrantedge.engine.operation.UpdateOperation;
import dev.qdrantedge.engine.vectors.DenseVector;
import dev.qdrantedge.engine.vectors.Distance;
import dev.qdrantedge.engine.vectors.MultiDenseVector;
import dev.qdrantedge.engine.vectors.SparseVector;
import dev.qdrantedge.engine.vectors.VectorDatatype;
import dev.qdrantedge.engine.vectors.VectorValue;
import dev.qdrantedge.engine.wal.ScenarioOperations;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeMap;
import java.util.UUID;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.JsonNodeFactory;
import tools.jackson.databind.node.ObjectNode;

/**
 * The operations of the crash test, as one-line JSON in the reference scenarios' shape (so the child turns
 * them into {@link UpdateOperation}s with {@link ScenarioOperations}), and the state they lead to, computed
 * independently of the engine: every point as a canonical JSON string of its vectors and payload.
 */
final class CrashOperations {

    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;
    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final int IDS = 160;

    private CrashOperations() {
    }

    /** A dense vector, a multivector and a sparse vector; Dot keeps the values as given. */
    static EdgeConfig config() {
        return new EdgeConfig(Map.of("d", new VectorParams(8, Distance.DOT),
                "m", new VectorParams(2, Distance.DOT, VectorDatatype.FLOAT32, true, null)),
                Map.of("s", new SparseVectorParams(false)));
    }

    /** A random upsert (most often), delete or set_payload; {@code tag} goes into payloads. */
    static ObjectNode next(Random r, String tag) {
        int kind = r.nextInt(10);
        ObjectNode op = NODES.objectNode();
        if (kind < 6) {
            op.put("op", "upsert");
            ArrayNode points = op.putArray("points");
            Set<PointId> ids = randomIds(r, 1 + r.nextInt(4));
            for (PointId id : ids) {
                points.add(point(r, id, tag));
            }
        } else if (kind < 8) {
            op.put("op", "delete");
            op.set("ids", json(randomIds(r, 1 + r.nextInt(3))));
        } else {
            op.put("op", "set_payload");
            op.set("ids", json(randomIds(r, 1 + r.nextInt(3))));
            op.putObject("payload").put("set_by", tag).put("level", r.nextInt(1000));
        }
        return op;
    }

    static UpdateOperation toOperation(JsonNode op) {
        ObjectNode scenario = NODES.objectNode();
        scenario.putArray("operations").add(op);
        return ScenarioOperations.expected(scenario).get(0);
    }

    /** The points the operation may change. */
    static Set<PointId> touched(JsonNode op) {
        Set<PointId> ids = new LinkedHashSet<>();
        if (op.has("points")) {
            op.get("points").forEach(p -> ids.add(id(p.get("id"))));
        } else {
            op.get("ids").forEach(id -> ids.add(id(id)));
        }
        return ids;
    }

    /** Applies the operation to the expected state (point id to canonical point). */
    static void apply(JsonNode op, Map<PointId, String> state) {
        switch (op.get("op").asString()) {
            case "upsert" -> op.get("points").forEach(p -> state.put(id(p.get("id")),
                    canonical(p.get("vector"), p.path("payload"))));
            case "delete" -> op.get("ids").forEach(id -> state.remove(id(id)));
            case "set_payload" -> op.get("ids").forEach(json -> {
                PointId id = id(json);
                String current = state.get(id);
                if (current != null) {
                    ObjectNode point = (ObjectNode) JSON.readTree(current);
                    ObjectNode payload = (ObjectNode) point.get("payload");
                    payload.setAll((ObjectNode) op.get("payload").deepCopy());
                    state.put(id, canonical(point.get("vector"), payload));
                }
            });
            default -> throw new IllegalArgumentException(op.toString());
        }
    }

    /** A stored point in the canonical form of {@link #apply}. */
    static String canonical(Record record) {
        ObjectNode vectors = NODES.objectNode();
        for (Map.Entry<String, VectorValue> e : record.vectors().entrySet()) {
            vectors.set(e.getKey(), vectorJson(e.getValue()));
        }
        return canonical(vectors, record.payload());
    }

    private static String canonical(JsonNode vectors, JsonNode payload) {
        ObjectNode point = NODES.objectNode();
        point.set("vector", sorted(vectors));
        point.set("payload", payload == null || payload.isMissingNode() || payload.isNull() ? NODES.objectNode()
                : sorted(payload));
        return point.toString();
    }

    /** Object keys sorted, numbers as longs or doubles: equal values give equal text. */
    private static JsonNode sorted(JsonNode node) {
        if (node.isObject()) {
            TreeMap<String, JsonNode> byKey = new TreeMap<>();
            node.properties().forEach(e -> byKey.put(e.getKey(), e.getValue()));
            ObjectNode out = NODES.objectNode();
            byKey.forEach((k, v) -> out.set(k, sorted(v)));
            return out;
        }
        if (node.isArray()) {
            ArrayNode out = NODES.arrayNode();
            node.forEach(n -> out.add(sorted(n)));
            return out;
        }
        if (node.isIntegralNumber()) {
            return NODES.numberNode(node.longValue());
        }
        if (node.isNumber()) {
            return NODES.numberNode(node.doubleValue());
        }
        return node;
    }

    private static JsonNode vectorJson(VectorValue value) {
        if (value instanceof DenseVector dense) {
            return floats(dense.values());
        }
        if (value instanceof MultiDenseVector multi) {
            ArrayNode rows = NODES.arrayNode();
            for (float[] row : multi.vectors()) {
                rows.add(floats(row));
            }
            return rows;
        }
        SparseVector sparse = (SparseVector) value;
        ObjectNode node = NODES.objectNode();
        ArrayNode indices = node.putArray("indices");
        for (int index : sparse.indices()) {
            indices.add(index);
        }
        node.set("values", floats(sparse.values()));
        return node;
    }

    private static ArrayNode floats(float[] values) {
        ArrayNode out = NODES.arrayNode();
        for (float v : values) {
            out.add((double) v);
        }
        return out;
    }

    private static ObjectNode point(Random r, PointId id, String tag) {
        ObjectNode point = NODES.objectNode();
        point.set("id", json(id));
        ObjectNode vector = point.putObject("vector");
        vector.set("d", randomFloats(r, 8));
        if (r.nextInt(3) > 0) {
            ArrayNode rows = vector.putArray("m");
            for (int i = 1 + r.nextInt(3); i > 0; i--) {
                rows.add(randomFloats(r, 2));
            }
        }
        if (r.nextInt(3) > 0) {
            ObjectNode sparse = vector.putObject("s");
            ArrayNode indices = sparse.putArray("indices");
            ArrayNode values = sparse.putArray("values");
            for (int index = r.nextInt(10); index < 200; index += 1 + r.nextInt(60)) {
                indices.add(index);
                values.add((double) (float) r.nextGaussian());
            }
        }
        if (r.nextInt(5) > 0) {
            ObjectNode payload = point.putObject("payload");
            payload.put("tag", tag).put("n", r.nextInt(1_000_000));
            // Long values now and then, so that payloads span several gridstore blocks.
            payload.put("text", "x".repeat(r.nextInt(4) == 0 ? 200 + r.nextInt(600) : r.nextInt(20)));
        }
        return point;
    }

    private static ArrayNode randomFloats(Random r, int n) {
        ArrayNode out = NODES.arrayNode();
        for (int i = 0; i < n; i++) {
            out.add((double) (float) r.nextGaussian());
        }
        return out;
    }

    private static Set<PointId> randomIds(Random r, int count) {
        Set<PointId> ids = new LinkedHashSet<>();
        while (ids.size() < count) {
            int n = r.nextInt(IDS);
            ids.add(n % 7 == 3 ? PointId.of(new UUID(0x5eedL, n)) : PointId.of(n));
        }
        return ids;
    }

    private static ArrayNode json(Set<PointId> ids) {
        ArrayNode out = NODES.arrayNode();
        ids.forEach(id -> out.add(json(id)));
        return out;
    }

    private static JsonNode json(PointId id) {
        return id instanceof PointId.Num n ? NODES.numberNode(n.value()) : NODES.stringNode(id.toString());
    }

    private static PointId id(JsonNode json) {
        return json.isNumber() ? PointId.of(json.longValue()) : PointId.of(UUID.fromString(json.asString()));
    }

    static List<String> describe(Map<PointId, String> state, Set<PointId> ids) {
        List<String> out = new ArrayList<>();
        for (PointId id : ids) {
            out.add(id + "=" + state.get(id));
        }
        return out;
    }
}
