package dev.qdrantedge.engine.query;

import dev.qdrantedge.engine.facet.FacetHit;
import dev.qdrantedge.engine.facet.FacetResponse;
import dev.qdrantedge.engine.facet.FacetValue;
import dev.qdrantedge.engine.idtracker.PointId;
import dev.qdrantedge.engine.search.ScoredPoint;
import dev.qdrantedge.engine.shard.Record;
import dev.qdrantedge.engine.shard.ScrollPage;
import dev.qdrantedge.engine.vectors.DenseVector;
import dev.qdrantedge.engine.vectors.MultiDenseVector;
import dev.qdrantedge.engine.vectors.SparseVector;
import dev.qdrantedge.engine.vectors.VectorValue;
import java.math.BigInteger;
import java.util.List;
import java.util.Map;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.JsonNodeFactory;
import tools.jackson.databind.node.ObjectNode;

/**
 * Results in Qdrant's REST response shapes: {@code {"result": ..., "status": "ok", "time": seconds}} around
 * a list of scored points (search), {@code {"points": [...]}} (query), {@code {"points": [...],
 * "next_page_offset": id}} (scroll), {@code {"count": n}} or {@code {"hits": [{"value", "count"}]}} (facet).
 * Points carry {@code payload} and {@code vector} only when asked for; {@code vector} is a plain vector
 * when the point's only selected vector is the default one, otherwise an object by name (sparse vectors
 * as {@code {"indices", "values"}}).
 */
public final class RestResponses {

    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

    private RestResponses() {
    }

    /** The REST envelope around a result. */
    public static ObjectNode envelope(JsonNode result, double seconds) {
        ObjectNode node = NODES.objectNode();
        node.set("result", result);
        node.put("status", "ok");
        node.put("time", seconds);
        return node;
    }

    /** A search result (a list) or, for the query API, {@code {"points": [...]}}. */
    public static JsonNode searchResult(List<ScoredPoint> points, boolean queryApi) {
        ArrayNode list = NODES.arrayNode();
        for (ScoredPoint p : points) {
            list.add(scoredPoint(p));
        }
        if (!queryApi) {
            return list;
        }
        ObjectNode node = NODES.objectNode();
        node.set("points", list);
        return node;
    }

    public static ObjectNode scoredPoint(ScoredPoint p) {
        ObjectNode node = NODES.objectNode();
        node.set("id", id(p.id()));
        node.put("version", p.version());
        node.put("score", p.score());
        if (p.payload() != null) {
            node.set("payload", p.payload());
        }
        if (p.vectors() != null) {
            node.set("vector", vectors(p.vectors()));
        }
        return node;
    }

    public static ObjectNode scrollResult(ScrollPage page) {
        ObjectNode node = NODES.objectNode();
        ArrayNode list = node.putArray("points");
        for (Record r : page.points()) {
            list.add(record(r));
        }
        node.set("next_page_offset", page.nextOffset() == null ? NODES.nullNode() : id(page.nextOffset()));
        return node;
    }

    public static ObjectNode record(Record r) {
        ObjectNode node = NODES.objectNode();
        node.set("id", id(r.id()));
        if (r.payload() != null) {
            node.set("payload", r.payload());
        }
        if (r.vectors() != null) {
            node.set("vector", vectors(r.vectors()));
        }
        return node;
    }

    public static ObjectNode countResult(long count) {
        ObjectNode node = NODES.objectNode();
        node.put("count", count);
        return node;
    }

    public static ObjectNode facetResult(FacetResponse response) {
        ObjectNode node = NODES.objectNode();
        ArrayNode hits = node.putArray("hits");
        for (FacetHit hit : response.hits()) {
            ObjectNode h = hits.addObject();
            h.set("value", facetValue(hit.value()));
            h.put("count", hit.count());
        }
        return node;
    }

    public static JsonNode facetValue(FacetValue value) {
        if (value instanceof FacetValue.Keyword k) {
            return NODES.stringNode(k.value());
        }
        if (value instanceof FacetValue.Int i) {
            return NODES.numberNode(i.value());
        }
        if (value instanceof FacetValue.Uuid u) {
            return NODES.stringNode(u.value().toString());
        }
        return NODES.booleanNode(((FacetValue.Bool) value).value());
    }

    /** A point id: a number (unsigned) or a UUID string. */
    public static JsonNode id(PointId id) {
        if (id instanceof PointId.Num num) {
            return num.value() >= 0 ? NODES.numberNode(num.value())
                    : NODES.numberNode(new BigInteger(Long.toUnsignedString(num.value())));
        }
        return NODES.stringNode(id.toString());
    }

    /** Selected vectors as Qdrant's {@code VectorStructOutput}. */
    public static JsonNode vectors(Map<String, VectorValue> vectors) {
        if (vectors.size() == 1 && vectors.containsKey("") && !(vectors.get("") instanceof SparseVector)) {
            return vector(vectors.get(""));
        }
        ObjectNode node = NODES.objectNode();
        vectors.forEach((name, value) -> node.set(name, vector(value)));
        return node;
    }

    public static JsonNode vector(VectorValue value) {
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
            indices.add(Integer.toUnsignedLong(index));
        }
        node.set("values", floats(sparse.values()));
        return node;
    }

    private static ArrayNode floats(float[] values) {
        ArrayNode array = NODES.arrayNode(values.length);
        for (float v : values) {
            array.add(v);
        }
        return array;
    }
}
