package dev.qdrantedge.spring.client;

import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

/** JSON text to trees, for test data. */
final class Json {

    private static final JsonMapper MAPPER = JsonMapper.builder().build();

    private Json() {
    }

    static JsonNode tree(String json) {
        return MAPPER.readTree(json.replace('\'', '"'));
    }

    static ObjectNode object(String json) {
        return (ObjectNode) tree(json);
    }
}
