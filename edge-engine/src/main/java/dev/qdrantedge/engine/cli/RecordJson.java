package dev.qdrantedge.engine.cli;

import dev.qdrantedge.engine.idtracker.PointId;
import dev.qdrantedge.engine.shard.Record;
import dev.qdrantedge.engine.vectors.DenseVector;
import dev.qdrantedge.engine.vectors.MultiDenseVector;
import dev.qdrantedge.engine.vectors.SparseVector;
import dev.qdrantedge.engine.vectors.VectorValue;
import java.util.Map;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.JsonNodeFactory;
import tools.jackson.databind.node.ObjectNode;

/** Records as JSON in Qdrant's shapes: ids as numbers or UUID strings, sparse vectors as indices/values. */
final class RecordJson {

    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

    private RecordJson() {
    }

    static ObjectNode toJson(Record record) {
        ObjectNode node = NODES.objectNode();
        node.set("id", id(record.id()));
        node.put("version", record.version());
        if (record.vectors() != null) {
            ObjectNode vectors = node.putObject("vectors");
            for (Map.Entry<String, VectorValue> e : record.vectors().entrySet()) {
                vectors.set(e.getKey(), vector(e.getValue()));
            }
        }
        if (record.payload() != null) {
            node.set("payload", record.payload());
        }
        return node;
    }

    static JsonNode id(PointId id) {
        if (id instanceof PointId.Num num) {
            return num.value() >= 0 ? NODES.numberNode(num.value())
                    : NODES.numberNode(new java.math.BigInteger(Long.toUnsignedString(num.value())));
        }
        return NODES.stringNode(id.toString());
    }

    static JsonNode vector(VectorValue value) {
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
