package dev.qdrantedge.engine.payload;

import java.util.Locale;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

/**
 * Decodes one stored payload. Qdrant writes it with {@code serde_json::to_vec}: compact UTF-8 JSON text of an
 * object, keys in insertion order. Integers keep their exact value (int, long or big-integer nodes, never a
 * double); floats are read as the double the text denotes, which is exactly the double Qdrant wrote.
 */
final class PayloadJson {

    private static final JsonMapper JSON = JsonMapper.builder().build();

    private PayloadJson() {
    }

    /** The payload object; {@link IllegalArgumentException} when the bytes are not a JSON object. */
    static ObjectNode decode(byte[] bytes) {
        JsonNode node;
        try {
            node = JSON.readTree(bytes);
        } catch (JacksonException e) {
            throw new IllegalArgumentException("payload is not valid JSON: " + e.getOriginalMessage(), e);
        }
        if (node == null || !node.isObject()) {
            throw new IllegalArgumentException("payload is not a JSON object but "
                    + (node == null ? "empty" : node.getNodeType().toString().toLowerCase(Locale.ROOT)));
        }
        return (ObjectNode) node;
    }

    /** A new empty payload. */
    static ObjectNode empty() {
        return JSON.createObjectNode();
    }
}
