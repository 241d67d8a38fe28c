package dev.qdrantedge.engine.sync;

import dev.qdrantedge.engine.config.EdgeConfig;
import dev.qdrantedge.engine.config.VectorParams;
import dev.qdrantedge.engine.idtracker.PointId;
import dev.qdrantedge.engine.operation.DeletePoints;
import dev.qdrantedge.engine.operation.PointStruct;
import dev.qdrantedge.engine.operation.SetPayload;
import dev.qdrantedge.engine.operation.UpdateOperation;
import dev.qdrantedge.engine.operation.UpsertPoints;
import dev.qdrantedge.engine.query.ScrollRequest;
import dev.qdrantedge.engine.search.WithPayload;
import dev.qdrantedge.engine.search.WithVector;
import dev.qdrantedge.engine.shard.Record;
import dev.qdrantedge.engine.shard.ScrollPage;
import dev.qdrantedge.engine.vectors.DenseVector;
import dev.qdrantedge.engine.vectors.Distance;
import dev.qdrantedge.engine.vectors.VectorValue;
import dev.qdrantedge.engine.wal.OperationEncoder;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

/** Operations, configurations and comparisons shared by the sync tests. */
final class SyncTestSupport {

    static final JsonMapper JSON = JsonMapper.builder().build();

    private SyncTestSupport() {
    }

    /** The default vector (4 dimensions, Dot: values are kept as given) and {@code "w"} (2, Euclid). */
    static EdgeConfig config() {
        Map<String, VectorParams> vectors = new LinkedHashMap<>();
        vectors.put("", new VectorParams(4, Distance.DOT));
        vectors.put("w", new VectorParams(2, Distance.EUCLID));
        return new EdgeConfig(vectors);
    }

    static PointId id(long id) {
        return PointId.of(id);
    }

    static List<PointId> ids(long... ids) {
        return Arrays.stream(ids).mapToObj(PointId::of).toList();
    }

    static JsonNode json(String text) {
        return JSON.readTree(text);
    }

    static ObjectNode payload(String text) {
        return (ObjectNode) JSON.readTree(text);
    }

    /** A point with the default vector {@code v} and {@code "w"} = (id, 0), and the given payload. */
    static PointStruct point(long id, float[] v, String payload) {
        Map<String, VectorValue> vectors = new LinkedHashMap<>();
        vectors.put("", new DenseVector(v));
        vectors.put("w", new DenseVector(new float[] {id, 0}));
        return new PointStruct(PointId.of(id), vectors, Optional.of(payload(payload)));
    }

    /** A point whose default vector is (id, 1, 0, 0) and whose payload is {"n": id, "tag": tag}. */
    static PointStruct point(long id, String tag) {
        return point(id, new float[] {id, 1, 0, 0}, "{\"n\":" + id + ",\"tag\":\"" + tag + "\"}");
    }

    static UpsertPoints upsert(PointStruct... points) {
        return new UpsertPoints(List.of(points));
    }

    static UpsertPoints upsert(String tag, long... ids) {
        List<PointStruct> points = new ArrayList<>();
        for (long id : ids) {
            points.add(point(id, tag));
        }
        return new UpsertPoints(points);
    }

    static DeletePoints delete(long... ids) {
        return new DeletePoints(ids(ids));
    }

    static SetPayload setPayload(String payload, long... ids) {
        return new SetPayload(payload(payload), Optional.of(ids(ids)), Optional.empty(), Optional.empty());
    }

    static SetPayload setPayloadByFilter(String payload, String filter) {
        return new SetPayload(payload(payload), Optional.empty(), Optional.of(json(filter)), Optional.empty());
    }

    /** The operation as its WAL record, for comparing operations (records holding arrays do not compare). */
    static String encoded(UpdateOperation op) {
        return Base64.getEncoder().encodeToString(OperationEncoder.encode(op));
    }

    static List<String> encoded(List<UpdateOperation> ops) {
        return ops.stream().map(SyncTestSupport::encoded).toList();
    }

    /** A point's content (id, vectors, payload; not its version) as one comparable string. */
    static String canonical(Record record) {
        StringBuilder out = new StringBuilder().append(record.id()).append(' ');
        if (record.vectors() != null) {
            for (Map.Entry<String, VectorValue> e : new TreeMap<>(record.vectors()).entrySet()) {
                out.append(e.getKey()).append('=');
                if (e.getValue() instanceof DenseVector dense) {
                    out.append(Arrays.toString(dense.values()));
                } else {
                    out.append(e.getValue());
                }
                out.append(' ');
            }
        }
        if (record.payload() != null) {
            out.append(canonicalJson(record.payload()));
        }
        return out.toString();
    }

    /** JSON with object keys sorted. */
    static String canonicalJson(JsonNode node) {
        if (node.isObject()) {
            TreeMap<String, String> fields = new TreeMap<>();
            for (Map.Entry<String, JsonNode> e : node.properties()) {
                fields.put(e.getKey(), canonicalJson(e.getValue()));
            }
            StringBuilder out = new StringBuilder("{");
            fields.forEach((k, v) -> out.append(JSON.writeValueAsString(k)).append(':').append(v).append(','));
            if (out.length() > 1) {
                out.setLength(out.length() - 1);
            }
            return out.append('}').toString();
        }
        if (node.isArray()) {
            List<String> items = new ArrayList<>();
            node.forEach(n -> items.add(canonicalJson(n)));
            return "[" + String.join(",", items) + "]";
        }
        return node.toString();
    }

    /** Every point of a store or shard, by id, as {@link #canonical(Record)} strings, scrolled page by page. */
    static Map<PointId, String> contents(dev.qdrantedge.engine.EdgeOperations points) {
        Map<PointId, String> out = new TreeMap<>();
        PointId offset = null;
        do {
            ScrollPage page = points.scroll(new ScrollRequest(offset, 7, null, WithPayload.ALL, WithVector.ALL));
            for (Record r : page.points()) {
                if (out.put(r.id(), canonical(r)) != null) {
                    throw new AssertionError("point " + r.id() + " came twice in a scroll");
                }
            }
            offset = page.nextOffset();
        } while (offset != null);
        return out;
    }
}
