package dev.qdrantedge.spring.sync;

import dev.qdrantedge.engine.EdgeOperations;
import dev.qdrantedge.engine.idtracker.PointId;
import dev.qdrantedge.engine.query.ScrollRequest;
import dev.qdrantedge.engine.search.WithPayload;
import dev.qdrantedge.engine.search.WithVector;
import dev.qdrantedge.engine.shard.Record;
import dev.qdrantedge.engine.shard.ScrollPage;
import dev.qdrantedge.engine.vectors.DenseVector;
import dev.qdrantedge.engine.vectors.VectorValue;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import tools.jackson.databind.JsonNode;

/**
 * Every point of a shard, a store or a server collection in a comparable form: id to vectors and payload (not
 * versions), with payload keys sorted and numbers printed by kind, so that two holders compare equal exactly
 * when they hold the same points.
 */
final class PointsView {

    private PointsView() {
    }

    /** Point id to {@code vectors | payload}, in id order, read by scrolling. */
    static Map<PointId, String> of(EdgeOperations points) {
        Map<PointId, String> out = new TreeMap<>();
        PointId offset = null;
        do {
            ScrollPage page = points.scroll(new ScrollRequest(offset, 1000, null, WithPayload.ALL, WithVector.ALL));
            for (Record r : page.points()) {
                out.put(r.id(), canonical(r));
            }
            offset = page.nextOffset();
        } while (offset != null);
        return out;
    }

    static String canonical(Record r) {
        Map<String, String> vectors = new TreeMap<>();
        if (r.vectors() != null) {
            for (Map.Entry<String, VectorValue> e : r.vectors().entrySet()) {
                vectors.put(e.getKey(), e.getValue() instanceof DenseVector dense ? Arrays.toString(dense.values())
                        : e.getValue().toString());
            }
        }
        return vectors + " | " + (r.payload() == null ? "{}" : canonical(r.payload()));
    }

    /** JSON text with object keys sorted and integers and floats printed by kind. */
    static String canonical(JsonNode node) {
        if (node.isObject()) {
            Map<String, String> fields = new TreeMap<>();
            for (Map.Entry<String, JsonNode> e : node.properties()) {
                fields.put(e.getKey(), canonical(e.getValue()));
            }
            return fields.toString();
        }
        if (node.isArray()) {
            List<String> items = new ArrayList<>();
            node.forEach(e -> items.add(canonical(e)));
            return items.toString();
        }
        if (node.isIntegralNumber()) {
            return "int:" + node.bigIntegerValue();
        }
        if (node.isNumber()) {
            return "float:" + node.doubleValue();
        }
        return node.toString();
    }
}
