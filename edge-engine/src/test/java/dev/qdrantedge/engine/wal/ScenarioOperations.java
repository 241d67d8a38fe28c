package dev.qdrantedge.engine.wal;

import dev.qdrantedge.engine.idtracker.PointId;
import dev.qdrantedge.engine.vectors.DenseVector;
import dev.qdrantedge.engine.vectors.MultiDenseVector;
import dev.qdrantedge.engine.vectors.SparseVector;
import dev.qdrantedge.engine.vectors.VectorValue;
import dev.qdrantedge.engine.operation.ClearPayload;
import dev.qdrantedge.engine.operation.ClearPayloadByFilter;
import dev.qdrantedge.engine.operation.ConditionalUpsertPoints;
import dev.qdrantedge.engine.operation.CreateFieldIndex;
import dev.qdrantedge.engine.operation.CreateVectorName;
import dev.qdrantedge.engine.operation.DeleteFieldIndex;
import dev.qdrantedge.engine.operation.DeletePayload;
import dev.qdrantedge.engine.operation.DeletePoints;
import dev.qdrantedge.engine.operation.DeletePointsByFilter;
import dev.qdrantedge.engine.operation.DeleteVectorName;
import dev.qdrantedge.engine.operation.DeleteVectors;
import dev.qdrantedge.engine.operation.DeleteVectorsByFilter;
import dev.qdrantedge.engine.operation.OverwritePayload;
import dev.qdrantedge.engine.operation.PointStruct;
import dev.qdrantedge.engine.operation.PointVectors;
import dev.qdrantedge.engine.operation.SetPayload;
import dev.qdrantedge.engine.operation.UpdateMode;
import dev.qdrantedge.engine.operation.UpdateOperation;
import dev.qdrantedge.engine.operation.UpdateVectors;
import dev.qdrantedge.engine.operation.UpsertPoints;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.JsonNodeFactory;
import tools.jackson.databind.node.ObjectNode;

/**
 * What a reference scenario's operations must look like in the WAL: the expected operation for each
 * scenario operation that writes a WAL entry (flush and optimize write none). Filters are compared in
 * {@link #canonicalFilter canonical form}.
 */
public final class ScenarioOperations {

    private ScenarioOperations() {
    }

    public static List<UpdateOperation> expected(JsonNode scenario) {
        List<UpdateOperation> out = new ArrayList<>();
        for (JsonNode op : scenario.get("operations")) {
            UpdateOperation expected = expectedOne(op);
            if (expected != null) {
                out.add(expected);
            }
        }
        return out;
    }

    private static UpdateOperation expectedOne(JsonNode op) {
        String kind = op.get("op").asString();
        switch (kind) {
            case "upsert":
                return new UpsertPoints(points(op.get("points")));
            case "delete":
                return new DeletePoints(ids(op.get("ids")));
            case "set_payload":
                return new SetPayload(object(op.get("payload")), Optional.of(ids(op.get("ids"))), Optional.empty(),
                        key(op));
            case "overwrite_payload":
                return new OverwritePayload(object(op.get("payload")), Optional.of(ids(op.get("ids"))),
                        Optional.empty(), key(op));
            case "delete_payload":
                return new DeletePayload(strings(op.get("keys")), Optional.of(ids(op.get("ids"))), Optional.empty());
            case "clear_payload":
                return new ClearPayload(ids(op.get("ids")));
            case "update_vectors":
                return new UpdateVectors(pointVectors(op.get("points")), Optional.empty());
            case "delete_vectors":
                return new DeleteVectors(ids(op.get("ids")), strings(op.get("vectors")));
            case "delete_by_filter":
                return new DeletePointsByFilter(canonicalFilter(op.get("filter")));
            case "set_payload_by_filter":
                return new SetPayload(object(op.get("payload")), Optional.empty(),
                        Optional.of(canonicalFilter(op.get("filter"))), key(op));
            case "overwrite_payload_by_filter":
                return new OverwritePayload(object(op.get("payload")), Optional.empty(),
                        Optional.of(canonicalFilter(op.get("filter"))), key(op));
            case "delete_payload_by_filter":
                return new DeletePayload(strings(op.get("keys")), Optional.empty(),
                        Optional.of(canonicalFilter(op.get("filter"))));
            case "clear_payload_by_filter":
                return new ClearPayloadByFilter(canonicalFilter(op.get("filter")));
            case "delete_vectors_by_filter":
                return new DeleteVectorsByFilter(canonicalFilter(op.get("filter")), strings(op.get("vectors")));
            case "upsert_conditional": {
                JsonNode condition = op.hasNonNull("condition") ? canonicalFilter(op.get("condition"))
                        : JsonNodeFactory.instance.objectNode();
                UpdateMode mode = op.hasNonNull("update_mode")
                        ? UpdateMode.fromWireName(op.get("update_mode").asString()) : UpdateMode.UPSERT;
                return new ConditionalUpsertPoints(points(op.get("points")), condition, mode);
            }
            case "update_vectors_conditional":
                return new UpdateVectors(pointVectors(op.get("points")),
                        Optional.of(canonicalFilter(op.get("condition"))));
            case "create_field_index":
                return new CreateFieldIndex(op.get("field").asString(),
                        Optional.of(JsonNodeFactory.instance.stringNode(op.get("schema").asString())));
            case "delete_field_index":
                return new DeleteFieldIndex(op.get("field").asString());
            case "create_vector_name": {
                ObjectNode config = JsonNodeFactory.instance.objectNode();
                config.set(op.has("dense") ? "dense" : "sparse", op.has("dense") ? op.get("dense") : op.get("sparse"));
                return new CreateVectorName(op.get("name").asString(), config);
            }
            case "delete_vector_name":
                return new DeleteVectorName(op.get("name").asString());
            case "flush":
            case "optimize":
                return null;
            default:
                throw new IllegalArgumentException("no expectation for scenario operation " + kind);
        }
    }

    /** The filters of an operation in canonical form, the rest unchanged. */
    static UpdateOperation withCanonicalFilters(UpdateOperation op) {
        if (op instanceof DeletePointsByFilter d) {
            return new DeletePointsByFilter(canonicalFilter(d.filter()));
        }
        if (op instanceof SetPayload s) {
            return new SetPayload(s.payload(), s.points(), s.filter().map(ScenarioOperations::canonicalFilter), s.key());
        }
        if (op instanceof OverwritePayload s) {
            return new OverwritePayload(s.payload(), s.points(), s.filter().map(ScenarioOperations::canonicalFilter),
                    s.key());
        }
        if (op instanceof DeletePayload d) {
            return new DeletePayload(d.keys(), d.points(), d.filter().map(ScenarioOperations::canonicalFilter));
        }
        if (op instanceof ClearPayloadByFilter c) {
            return new ClearPayloadByFilter(canonicalFilter(c.filter()));
        }
        if (op instanceof DeleteVectorsByFilter d) {
            return new DeleteVectorsByFilter(canonicalFilter(d.filter()), d.vectorNames());
        }
        if (op instanceof ConditionalUpsertPoints c) {
            return new ConditionalUpsertPoints(c.points(), canonicalFilter(c.condition()), c.updateMode());
        }
        if (op instanceof UpdateVectors u) {
            return new UpdateVectors(u.points(), u.updateFilter().map(ScenarioOperations::canonicalFilter));
        }
        return op;
    }

    /**
     * A filter without null-valued fields (Qdrant writes absent range bounds as null), with {@code has_id}
     * lists sorted (Qdrant keeps them in a hash set) and range bounds as doubles.
     */
    static JsonNode canonicalFilter(JsonNode node) {
        return canonical(node, "");
    }

    private static JsonNode canonical(JsonNode node, String parent) {
        if (node.isObject()) {
            ObjectNode out = JsonNodeFactory.instance.objectNode();
            for (Map.Entry<String, JsonNode> e : node.properties()) {
                if (!e.getValue().isNull()) {
                    out.set(e.getKey(), canonical(e.getValue(), e.getKey()));
                }
            }
            return out;
        }
        if (node.isArray()) {
            List<JsonNode> items = new ArrayList<>();
            node.forEach(n -> items.add(canonical(n, "")));
            if (parent.equals("has_id")) {
                items.replaceAll(n -> n.isNumber() ? n : JsonNodeFactory.instance.stringNode(n.asString()));
                items.sort((a, b) -> a.toString().compareTo(b.toString()));
            }
            ArrayNode out = JsonNodeFactory.instance.arrayNode();
            items.forEach(out::add);
            return out;
        }
        if (node.isNumber() && (parent.equals("gt") || parent.equals("gte") || parent.equals("lt")
                || parent.equals("lte"))) {
            return JsonNodeFactory.instance.numberNode(node.doubleValue());
        }
        return node;
    }

    private static Optional<String> key(JsonNode op) {
        return op.hasNonNull("key") ? Optional.of(op.get("key").asString()) : Optional.empty();
    }

    private static List<PointStruct> points(JsonNode points) {
        List<PointStruct> out = new ArrayList<>();
        for (JsonNode p : points) {
            Optional<ObjectNode> payload = p.hasNonNull("payload") ? Optional.of(object(p.get("payload")))
                    : Optional.empty();
            out.add(new PointStruct(id(p.get("id")), vectors(p.get("vector")), payload));
        }
        return out;
    }

    private static List<PointVectors> pointVectors(JsonNode points) {
        List<PointVectors> out = new ArrayList<>();
        for (JsonNode p : points) {
            out.add(new PointVectors(id(p.get("id")), vectors(p.get("vector"))));
        }
        return out;
    }

    static Map<String, VectorValue> vectors(JsonNode named) {
        Map<String, VectorValue> out = new LinkedHashMap<>();
        for (Map.Entry<String, JsonNode> e : named.properties()) {
            out.put(e.getKey(), vector(e.getValue()));
        }
        return out;
    }

    static VectorValue vector(JsonNode v) {
        if (v.isObject()) {
            JsonNode indices = v.get("indices");
            int[] ix = new int[indices.size()];
            for (int i = 0; i < ix.length; i++) {
                ix[i] = (int) indices.get(i).asLong();
            }
            return new SparseVector(ix, floats(v.get("values")));
        }
        if (v.size() > 0 && v.get(0).isArray()) {
            float[][] rows = new float[v.size()][];
            for (int i = 0; i < rows.length; i++) {
                rows[i] = floats(v.get(i));
            }
            return new MultiDenseVector(rows);
        }
        return new DenseVector(floats(v));
    }

    /** JSON numbers as the reference engine passes them on: a double rounded to f32. */
    static float[] floats(JsonNode array) {
        float[] out = new float[array.size()];
        for (int i = 0; i < out.length; i++) {
            out[i] = (float) array.get(i).doubleValue();
        }
        return out;
    }

    static PointId id(JsonNode id) {
        return id.isNumber() ? PointId.of(id.bigIntegerValue().longValue()) : PointId.of(UUID.fromString(id.asString()));
    }

    private static List<PointId> ids(JsonNode ids) {
        List<PointId> out = new ArrayList<>();
        ids.forEach(id -> out.add(id(id)));
        return out;
    }

    private static List<String> strings(JsonNode array) {
        List<String> out = new ArrayList<>();
        array.forEach(s -> out.add(s.asString()));
        return out;
    }

    private static ObjectNode object(JsonNode node) {
        return (ObjectNode) node;
    }
}
