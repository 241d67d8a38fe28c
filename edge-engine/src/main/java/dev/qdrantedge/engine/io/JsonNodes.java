package dev.qdrantedge.engine.io;

import java.util.Locale;
import tools.jackson.databind.JsonNode;

/** Small helpers shared by the parsers of user-written JSON (filters, REST requests). */
public final class JsonNodes {

    private JsonNodes() {
    }

    /** A field that is there and not null (Qdrant reads null as absent for optional fields). */
    public static boolean present(JsonNode object, String field) {
        JsonNode v = object.get(field);
        return v != null && !v.isNull();
    }

    /** What a node is, for error messages: "a string", "an integer (3)", "nothing" ... */
    public static String kind(JsonNode node) {
        if (node == null || node.isMissingNode()) {
            return "nothing";
        }
        if (node.isNull()) {
            return "null";
        }
        if (node.isString()) {
            return "a string";
        }
        if (node.isBoolean()) {
            return "a boolean";
        }
        if (node.isIntegralNumber()) {
            return "an integer (" + node + ")";
        }
        if (node.isNumber()) {
            return "a float (" + node + ")";
        }
        if (node.isArray()) {
            return "an array";
        }
        if (node.isObject()) {
            return "an object";
        }
        return node.getNodeType().toString().toLowerCase(Locale.ROOT);
    }
}
