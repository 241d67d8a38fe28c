package dev.qdrantedge.engine.cli;

import dev.qdrantedge.engine.query.RestResponses;
import dev.qdrantedge.engine.shard.Record;
import dev.qdrantedge.engine.vectors.VectorValue;
import java.util.Map;
import tools.jackson.databind.node.JsonNodeFactory;
import tools.jackson.databind.node.ObjectNode;

/**
 * Records as the {@code dump} command prints them: id, version, every vector by name and the payload; ids and
 * vectors in Qdrant's REST shapes ({@link RestResponses}).
 */
final class RecordJson {

    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

    private RecordJson() {
    }

    static ObjectNode toJson(Record record) {
        ObjectNode node = NODES.objectNode();
        node.set("id", RestResponses.id(record.id()));
        node.put("version", record.version());
        if (record.vectors() != null) {
            ObjectNode vectors = node.putObject("vectors");
            for (Map.Entry<String, VectorValue> e : record.vectors().entrySet()) {
                vectors.set(e.getKey(), RestResponses.vector(e.getValue()));
            }
        }
        if (record.payload() != null) {
            node.set("payload", record.payload());
        }
        return node;
    }
}
