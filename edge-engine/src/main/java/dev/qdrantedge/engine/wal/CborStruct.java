package dev.qdrantedge.engine.wal;

import java.util.HashSet;
import java.util.Set;
import tools.jackson.databind.JsonNode;

/**
 * Reads the fields of a CBOR map that encodes a Qdrant struct. A missing field and an explicit null
 * both mean "absent" for optional fields, as in serde. Unknown fields are rejected by {@link #noOthers()}
 * so that a field added by a newer Qdrant cannot be dropped without notice.
 */
final class CborStruct {

    private final JsonNode node;
    private final String where;
    private final Set<String> read = new HashSet<>();

    private CborStruct(JsonNode node, String where) {
        this.node = node;
        this.where = where;
    }

    static CborStruct of(JsonNode node, String where) {
        if (node == null || !node.isObject()) {
            throw new WalDecodeException(where + ": expected a map, found " + CborValues.kind(node));
        }
        return new CborStruct(node, where);
    }

    String where() {
        return where;
    }

    String where(String field) {
        return where + "." + field;
    }

    /** A field that must be present and not null. */
    JsonNode required(String field) {
        read.add(field);
        JsonNode value = node.get(field);
        if (value == null || value.isNull()) {
            throw new WalDecodeException(where(field) + ": missing");
        }
        return value;
    }

    /** A field that may be missing or null; {@code null} then. */
    JsonNode optional(String field) {
        read.add(field);
        JsonNode value = node.get(field);
        return value == null || value.isNull() ? null : value;
    }

    /** Accepts a field this model does not keep (e.g. a server's shard key selector). */
    void ignore(String field) {
        read.add(field);
    }

    /** Fails if the map has a field that was not read. */
    void noOthers() {
        for (String name : node.propertyNames()) {
            if (!read.contains(name)) {
                throw new WalDecodeException(where + ": unknown field \"" + name
                        + "\" (written by a newer Qdrant version?)");
            }
        }
    }
}
