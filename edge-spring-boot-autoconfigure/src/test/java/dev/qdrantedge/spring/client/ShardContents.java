package dev.qdrantedge.spring.client;

import dev.qdrantedge.engine.idtracker.PointId;
import dev.qdrantedge.engine.shard.EdgeShard;
import dev.qdrantedge.engine.shard.Record;
import dev.qdrantedge.engine.vectors.VectorValue;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import tools.jackson.databind.JsonNode;

/** Every point of a shard in a comparable form: id, vectors and payload (key order and number classes aside). */
final class ShardContents {

    private ShardContents() {
    }

    /** Point id to {@code vectors | payload}, in id order. */
    static Map<PointId, String> of(EdgeShard shard) {
        Map<PointId, String> out = new TreeMap<>();
        for (Record r : shard.scroll(null, 100_000, true, true).points()) {
            Map<String, String> vectors = new TreeMap<>();
            for (Map.Entry<String, VectorValue> e : r.vectors().entrySet()) {
                vectors.put(e.getKey(), e.getValue().toString());
            }
            out.put(r.id(), vectors + " | " + canonical(r.payload()));
        }
        return out;
    }

    /** JSON text with object keys sorted and integers and floats printed uniformly. */
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
