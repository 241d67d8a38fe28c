package dev.qdrantedge.engine.shard;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * Payload changes at a key path, for WAL replay: {@code a.b.c} walks (and creates) nested objects. Paths
 * with array selectors ({@code a[].b}, {@code a[0]}) or quoted keys are refused.
 */
final class PayloadPaths {

    private static final Pattern PLAIN_PATH = Pattern.compile("[^.\\[\\]\"]+(\\.[^.\\[\\]\"]+)*");

    private PayloadPaths() {
    }

    /**
     * {@code set_payload}: the keys of {@code values} are set in the object at {@code key} (or the root); a
     * key whose value is {@code null} is removed instead, as Qdrant merges payloads.
     */
    static void merge(ObjectNode payload, Optional<String> key, ObjectNode values) {
        ObjectNode target = key.isPresent() ? objectAt(payload, key.get()) : payload;
        for (Map.Entry<String, JsonNode> e : values.properties()) {
            if (e.getValue().isNull()) {
                swapRemove(target, e.getKey());
            } else {
                target.set(e.getKey(), e.getValue().deepCopy());
            }
        }
    }

    /**
     * Removes {@code name} the way Qdrant's order-preserving JSON maps do: the last key takes the place of the
     * removed one, so key order after a removal matches what Qdrant stores.
     */
    static void swapRemove(ObjectNode object, String name) {
        if (!object.has(name)) {
            return;
        }
        List<String> names = new ArrayList<>(object.propertyNames());
        String last = names.get(names.size() - 1);
        if (last.equals(name)) {
            object.remove(name);
            return;
        }
        Map<String, JsonNode> entries = new LinkedHashMap<>();
        for (String n : names) {
            entries.put(n, object.get(n));
        }
        JsonNode moved = entries.get(last);
        object.removeAll();
        for (Map.Entry<String, JsonNode> e : entries.entrySet()) {
            if (e.getKey().equals(last)) {
                continue;
            }
            if (e.getKey().equals(name)) {
                object.set(last, moved);
            } else {
                object.set(e.getKey(), e.getValue());
            }
        }
    }

    /** {@code overwrite_payload}: the payload (or the value at {@code key}) becomes {@code values}. */
    static void overwrite(ObjectNode payload, Optional<String> key, ObjectNode values) {
        if (key.isEmpty()) {
            payload.removeAll();
            payload.setAll(values.deepCopy());
            return;
        }
        String[] parts = split(key.get());
        ObjectNode parent = payload;
        for (int i = 0; i < parts.length - 1; i++) {
            parent = child(parent, parts[i]);
        }
        parent.set(parts[parts.length - 1], values.deepCopy());
    }

    /** {@code delete_payload}: removes the value at {@code path}, if there is one. */
    static void remove(ObjectNode payload, String path) {
        String[] parts = split(path);
        JsonNode node = payload;
        for (int i = 0; i < parts.length - 1; i++) {
            node = node.get(parts[i]);
            if (node == null || !node.isObject()) {
                return;
            }
        }
        swapRemove((ObjectNode) node, parts[parts.length - 1]);
    }

    private static ObjectNode objectAt(ObjectNode payload, String path) {
        ObjectNode node = payload;
        for (String part : split(path)) {
            node = child(node, part);
        }
        return node;
    }

    private static ObjectNode child(ObjectNode parent, String name) {
        JsonNode child = parent.get(name);
        if (child != null && child.isObject()) {
            return (ObjectNode) child;
        }
        return parent.putObject(name);
    }

    /** Whether {@code path} is a plain dotted path, the kind this class applies. */
    static boolean isSupported(String path) {
        return PLAIN_PATH.matcher(path).matches();
    }

    private static String[] split(String path) {
        if (!isSupported(path)) {
            throw new IllegalArgumentException("payload key path '" + path + "' is not supported yet");
        }
        return path.split("\\.");
    }
}
