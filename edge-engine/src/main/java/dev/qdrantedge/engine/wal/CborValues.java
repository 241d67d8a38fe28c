package dev.qdrantedge.engine.wal;

import dev.qdrantedge.engine.idtracker.PointId;
import java.math.BigInteger;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.JsonNodeFactory;
import tools.jackson.databind.node.ObjectNode;

/**
 * Conversions from the CBOR tree of a WAL record to Java values: point ids, strings, lists, and JSON
 * trees in Qdrant's REST form (filters, payloads, schemas).
 */
final class CborValues {

    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;
    private static final BigInteger MAX_U64 = BigInteger.ONE.shiftLeft(64).subtract(BigInteger.ONE);

    private CborValues() {
    }

    /** A short description of a node's type for messages. */
    static String kind(JsonNode node) {
        if (node == null) {
            return "nothing";
        }
        if (node.isBinary()) {
            return "a byte string of " + node.binaryValue().length + " bytes";
        }
        return switch (node.getNodeType()) {
            case ARRAY -> "an array";
            case OBJECT -> "a map";
            case STRING -> "a text string";
            case NUMBER -> "the number " + node;
            case BOOLEAN -> "a boolean";
            case NULL -> "null";
            default -> node.getNodeType().toString().toLowerCase();
        };
    }

    static JsonNode array(JsonNode node, String where) {
        if (node == null || !node.isArray()) {
            throw new WalDecodeException(where + ": expected an array, found " + kind(node));
        }
        return node;
    }

    static String string(JsonNode node, String where) {
        if (node == null || !node.isString()) {
            throw new WalDecodeException(where + ": expected a text string, found " + kind(node));
        }
        return node.stringValue();
    }

    static List<String> strings(JsonNode node, String where) {
        List<String> out = new ArrayList<>();
        int i = 0;
        for (JsonNode item : array(node, where)) {
            out.add(string(item, where + "[" + i++ + "]"));
        }
        return out;
    }

    /**
     * A point id: an unsigned integer, a UUID as a 16-byte string (how serde writes a UUID to CBOR) or
     * a UUID as text (how Qdrant Edge writes the ids of {@code delete_points}).
     */
    static PointId pointId(JsonNode node, String where) {
        if (node != null && node.isIntegralNumber()) {
            BigInteger value = node.bigIntegerValue();
            if (value.signum() < 0 || value.compareTo(MAX_U64) > 0) {
                throw new WalDecodeException(where + ": point id " + value + " is not an unsigned 64-bit number");
            }
            return PointId.of(value.longValue());
        }
        if (node != null && node.isBinary()) {
            return PointId.of(uuid(node.binaryValue(), where));
        }
        if (node != null && node.isString()) {
            return PointId.of(uuidText(node.stringValue(), where));
        }
        throw new WalDecodeException(where + ": expected a point id, found " + kind(node));
    }

    static List<PointId> pointIds(JsonNode node, String where) {
        List<PointId> out = new ArrayList<>();
        int i = 0;
        for (JsonNode item : array(node, where)) {
            out.add(pointId(item, where + "[" + i++ + "]"));
        }
        return out;
    }

    static UUID uuid(byte[] bytes, String where) {
        if (bytes.length != 16) {
            throw new WalDecodeException(where + ": expected a 16-byte UUID, found " + bytes.length + " bytes");
        }
        ByteBuffer buffer = ByteBuffer.wrap(bytes);
        return new UUID(buffer.getLong(), buffer.getLong());
    }

    /** A UUID in hyphenated or simple (32 hex digits) form. */
    static UUID uuidText(String text, String where) {
        String hex = text.length() == 36 && text.charAt(8) == '-' && text.charAt(13) == '-'
                && text.charAt(18) == '-' && text.charAt(23) == '-' ? text.replace("-", "") : text;
        if (hex.length() != 32 || !hex.chars().allMatch(c -> Character.digit(c, 16) >= 0)) {
            throw new WalDecodeException(where + ": \"" + text + "\" is not a point id (UUID)");
        }
        return new UUID(Long.parseUnsignedLong(hex.substring(0, 16), 16), Long.parseUnsignedLong(hex.substring(16), 16));
    }

    /** A map's value as a JSON object (payloads). */
    static ObjectNode jsonObject(JsonNode node, String where) {
        if (node == null || !node.isObject()) {
            throw new WalDecodeException(where + ": expected a map, found " + kind(node));
        }
        return (ObjectNode) json(node, where);
    }

    /**
     * The node in Qdrant's JSON form: every float becomes a double (the value is unchanged: CBOR
     * half and single floats widen exactly), integers get the smallest fitting node as a JSON parser
     * would give, and 16-byte strings (UUIDs) become hyphenated UUID text.
     */
    static JsonNode json(JsonNode node, String where) {
        if (node.isObject()) {
            ObjectNode out = NODES.objectNode();
            for (Map.Entry<String, JsonNode> e : node.properties()) {
                out.set(e.getKey(), json(e.getValue(), where + "." + e.getKey()));
            }
            return out;
        }
        if (node.isArray()) {
            ArrayNode out = NODES.arrayNode(node.size());
            int i = 0;
            for (JsonNode item : node) {
                out.add(json(item, where + "[" + i++ + "]"));
            }
            return out;
        }
        if (node.isFloatingPointNumber()) {
            return NODES.numberNode(node.doubleValue());
        }
        if (node.isIntegralNumber()) {
            BigInteger value = node.bigIntegerValue();
            if (value.bitLength() < 32) {
                return NODES.numberNode(value.intValue());
            }
            return value.bitLength() < 64 ? NODES.numberNode(value.longValue()) : NODES.numberNode(value);
        }
        if (node.isBinary()) {
            return NODES.stringNode(uuid(node.binaryValue(), where).toString());
        }
        if (node.isString() || node.isBoolean() || node.isNull()) {
            return node;
        }
        throw new WalDecodeException(where + ": unexpected " + kind(node) + " in JSON data");
    }
}
