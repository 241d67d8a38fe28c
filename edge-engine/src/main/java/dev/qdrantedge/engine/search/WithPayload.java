package dev.qdrantedge.engine.search;

import dev.qdrantedge.engine.filter.JsonPath;
import java.util.List;
import java.util.Map;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * Which payload a result carries: none, all of it, only some keys ({@code include}) or all but some keys
 * ({@code exclude}). Keys are payload paths and select as Qdrant's payload selectors do: a value is kept by
 * {@code include} when its path and one of the patterns agree step by step as far as both go (so a pattern
 * keeps whole sub-trees below it and the objects on the way to it), and dropped by {@code exclude} when a
 * pattern is a prefix of its path. Array elements are addressed by {@code []}, so a pattern with an index
 * ({@code a[0]}) selects no element.
 */
public sealed interface WithPayload permits WithPayload.None, WithPayload.All, WithPayload.Include,
        WithPayload.Exclude {

    WithPayload NONE = new None();
    WithPayload ALL = new All();

    /** Whether any payload is returned at all. */
    default boolean enabled() {
        return !(this instanceof None);
    }

    /** The selected part of {@code payload} (which this method does not modify), or {@code null} for none. */
    ObjectNode select(ObjectNode payload);

    static WithPayload of(boolean enabled) {
        return enabled ? ALL : NONE;
    }

    static WithPayload include(List<JsonPath> keys) {
        return new Include(keys);
    }

    static WithPayload exclude(List<JsonPath> keys) {
        return new Exclude(keys);
    }

    /** No payload. */
    record None() implements WithPayload {
        @Override
        public ObjectNode select(ObjectNode payload) {
            return null;
        }
    }

    /** The whole payload. */
    record All() implements WithPayload {
        @Override
        public ObjectNode select(ObjectNode payload) {
            return payload;
        }
    }

    /** Only the values under these keys. */
    record Include(List<JsonPath> keys) implements WithPayload {
        public Include {
            keys = List.copyOf(keys);
        }

        @Override
        public ObjectNode select(ObjectNode payload) {
            return Selection.filter(payload, path -> keys.stream().anyMatch(k -> Selection.agrees(k, path)));
        }
    }

    /** Everything but the values under these keys. */
    record Exclude(List<JsonPath> keys) implements WithPayload {
        public Exclude {
            keys = List.copyOf(keys);
        }

        @Override
        public ObjectNode select(ObjectNode payload) {
            return Selection.filter(payload, path -> keys.stream().noneMatch(k -> Selection.isPrefix(k, path)));
        }
    }

    /** The tree walk shared by include and exclude. */
    final class Selection {

        private Selection() {
        }

        interface Keep {
            boolean test(JsonPath path);
        }

        static ObjectNode filter(ObjectNode payload, Keep keep) {
            ObjectNode out = payload.objectNode();
            for (Map.Entry<String, JsonNode> e : payload.properties()) {
                JsonPath path = JsonPath.ofKey(e.getKey());
                if (keep.test(path)) {
                    out.set(e.getKey(), walk(path, e.getValue(), keep));
                }
            }
            return out;
        }

        private static JsonNode walk(JsonPath path, JsonNode value, Keep keep) {
            if (value.isArray()) {
                JsonPath elementPath = append(path, new JsonPath.Wildcard());
                ArrayNode out = ((ArrayNode) value).arrayNode();
                for (JsonNode element : value) {
                    if (keep.test(elementPath)) {
                        out.add(walk(elementPath, element, keep));
                    }
                }
                return out;
            }
            if (value.isObject()) {
                ObjectNode out = ((ObjectNode) value).objectNode();
                for (Map.Entry<String, JsonNode> e : value.properties()) {
                    JsonPath childPath = append(path, new JsonPath.Key(e.getKey()));
                    if (keep.test(childPath)) {
                        out.set(e.getKey(), walk(childPath, e.getValue(), keep));
                    }
                }
                return out;
            }
            return value;
        }

        private static JsonPath append(JsonPath path, JsonPath.Step step) {
            List<JsonPath.Step> steps = new java.util.ArrayList<>(path.rest().size() + 1);
            steps.addAll(path.rest());
            steps.add(step);
            return new JsonPath(path.firstKey(), steps);
        }

        /** Same first key, and equal steps as far as both paths go. */
        static boolean agrees(JsonPath pattern, JsonPath path) {
            if (!pattern.firstKey().equals(path.firstKey())) {
                return false;
            }
            int n = Math.min(pattern.rest().size(), path.rest().size());
            for (int i = 0; i < n; i++) {
                if (!pattern.rest().get(i).equals(path.rest().get(i))) {
                    return false;
                }
            }
            return true;
        }

        /** Same first key, and {@code pattern}'s steps begin {@code path}'s. */
        static boolean isPrefix(JsonPath pattern, JsonPath path) {
            if (!pattern.firstKey().equals(path.firstKey()) || pattern.rest().size() > path.rest().size()) {
                return false;
            }
            for (int i = 0; i < pattern.rest().size(); i++) {
                if (!pattern.rest().get(i).equals(path.rest().get(i))) {
                    return false;
                }
            }
            return true;
        }
    }
}
