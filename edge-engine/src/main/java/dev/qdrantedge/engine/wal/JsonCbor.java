package dev.qdrantedge.engine.wal;

import java.math.BigInteger;
import java.util.Map;
import java.util.UUID;
import tools.jackson.databind.JsonNode;

/**
 * Writes JSON trees (payloads, filters, index schemas, vector configurations) as Qdrant puts them in
 * a WAL record: maps and arrays of definite length in the tree's order, integers as CBOR integers,
 * other numbers as the shortest exact float. In filters, the ids of {@code has_id} conditions are
 * point ids, so UUIDs there become 16-byte strings as in every other place where Qdrant keeps a
 * point id.
 */
final class JsonCbor {

    private static final BigInteger MIN_LONG = BigInteger.valueOf(Long.MIN_VALUE);
    private static final BigInteger MAX_LONG = BigInteger.valueOf(Long.MAX_VALUE);

    private JsonCbor() {
    }

    static void value(CborWriter w, JsonNode node) {
        if (node == null || node.isNull() || node.isMissingNode()) {
            w.nil();
        } else if (node.isObject()) {
            w.mapHeader(node.size());
            for (Map.Entry<String, JsonNode> e : node.properties()) {
                w.text(e.getKey());
                value(w, e.getValue());
            }
        } else if (node.isArray()) {
            w.arrayHeader(node.size());
            for (JsonNode item : node) {
                value(w, item);
            }
        } else if (node.isString()) {
            w.text(node.stringValue());
        } else if (node.isIntegralNumber()) {
            BigInteger v = node.bigIntegerValue();
            if (v.compareTo(MIN_LONG) >= 0 && v.compareTo(MAX_LONG) <= 0) {
                w.integer(v.longValue());
            } else {
                w.integer(v);
            }
        } else if (node.isNumber()) {
            w.float64(node.doubleValue());
        } else if (node.isBoolean()) {
            w.bool(node.booleanValue());
        } else if (node.isBinary()) {
            w.bytes(node.binaryValue());
        } else {
            throw new IllegalArgumentException("cannot write " + node.getNodeType() + " to a WAL record");
        }
    }

    /** A filter ({@code must}, {@code should}, {@code must_not}, {@code min_should}). */
    static void filter(CborWriter w, JsonNode filter) {
        if (filter == null || !filter.isObject()) {
            value(w, filter);
            return;
        }
        w.mapHeader(filter.size());
        for (Map.Entry<String, JsonNode> e : filter.properties()) {
            w.text(e.getKey());
            JsonNode v = e.getValue();
            switch (e.getKey()) {
                case "must":
                case "should":
                case "must_not":
                    conditions(w, v);
                    break;
                case "min_should":
                    minShould(w, v);
                    break;
                default:
                    value(w, v);
            }
        }
    }

    private static void minShould(CborWriter w, JsonNode node) {
        if (node == null || !node.isObject()) {
            value(w, node);
            return;
        }
        w.mapHeader(node.size());
        for (Map.Entry<String, JsonNode> e : node.properties()) {
            w.text(e.getKey());
            if (e.getKey().equals("conditions")) {
                conditions(w, e.getValue());
            } else {
                value(w, e.getValue());
            }
        }
    }

    private static void conditions(CborWriter w, JsonNode node) {
        if (node != null && node.isArray()) {
            w.arrayHeader(node.size());
            for (JsonNode c : node) {
                condition(w, c);
            }
        } else if (node != null && node.isObject()) {
            condition(w, node);
        } else {
            value(w, node);
        }
    }

    private static void condition(CborWriter w, JsonNode c) {
        if (c == null || !c.isObject()) {
            value(w, c);
        } else if (c.has("has_id")) {
            w.mapHeader(c.size());
            for (Map.Entry<String, JsonNode> e : c.properties()) {
                w.text(e.getKey());
                if (e.getKey().equals("has_id") && e.getValue().isArray()) {
                    w.arrayHeader(e.getValue().size());
                    for (JsonNode id : e.getValue()) {
                        hasIdValue(w, id);
                    }
                } else {
                    value(w, e.getValue());
                }
            }
        } else if (c.has("nested") && c.get("nested").isObject()) {
            w.mapHeader(c.size());
            for (Map.Entry<String, JsonNode> e : c.properties()) {
                w.text(e.getKey());
                if (e.getKey().equals("nested")) {
                    nested(w, e.getValue());
                } else {
                    value(w, e.getValue());
                }
            }
        } else if (c.has("must") || c.has("should") || c.has("must_not") || c.has("min_should")) {
            filter(w, c);
        } else {
            value(w, c);
        }
    }

    private static void nested(CborWriter w, JsonNode nested) {
        w.mapHeader(nested.size());
        for (Map.Entry<String, JsonNode> e : nested.properties()) {
            w.text(e.getKey());
            if (e.getKey().equals("filter")) {
                filter(w, e.getValue());
            } else {
                value(w, e.getValue());
            }
        }
    }

    private static void hasIdValue(CborWriter w, JsonNode id) {
        if (id.isString()) {
            UUID uuid;
            try {
                uuid = CborValues.uuidText(id.stringValue(), "has_id");
            } catch (WalDecodeException e) {
                w.text(id.stringValue());
                return;
            }
            w.bytes(OperationEncoder.uuidBytes(uuid));
        } else {
            value(w, id);
        }
    }
}
