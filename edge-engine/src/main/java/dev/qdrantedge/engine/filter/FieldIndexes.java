package dev.qdrantedge.engine.filter;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * The payload field indexes of one segment by payload path, each field's indexes in Qdrant's order. Immutable.
 */
public final class FieldIndexes {

    /** No index at all: every condition is answered from the payload. */
    public static final FieldIndexes NONE = new FieldIndexes(Map.of());

    private final Map<JsonPath, List<FieldIndex>> byKey;

    private FieldIndexes(Map<JsonPath, List<FieldIndex>> byKey) {
        this.byKey = byKey;
    }

    /** The given indexes (a field with an empty list is left out). */
    public static FieldIndexes of(Map<JsonPath, List<FieldIndex>> byKey) {
        Map<JsonPath, List<FieldIndex>> copy = new LinkedHashMap<>();
        byKey.forEach((key, indexes) -> {
            if (!indexes.isEmpty()) {
                copy.put(Objects.requireNonNull(key, "key"), List.copyOf(indexes));
            }
        });
        return copy.isEmpty() ? NONE : new FieldIndexes(java.util.Collections.unmodifiableMap(copy));
    }

    /** The indexes on exactly {@code key}, in order; empty when it has none. */
    public List<FieldIndex> get(JsonPath key) {
        List<FieldIndex> indexes = byKey.get(key);
        return indexes == null ? List.of() : indexes;
    }

    public boolean isEmpty() {
        return byKey.isEmpty();
    }

    /** Every indexed key and its indexes. */
    public Map<JsonPath, List<FieldIndex>> asMap() {
        return byKey;
    }

    /**
     * The indexes under a {@code nested} condition's array key, with that key cut off the front: an index
     * on {@code items[].name} is one on {@code name} for the filter of {@code nested} on {@code items}.
     */
    public FieldIndexes under(JsonPath arrayKey) {
        if (byKey.isEmpty()) {
            return NONE;
        }
        Map<JsonPath, List<FieldIndex>> out = new LinkedHashMap<>();
        byKey.forEach((key, indexes) -> {
            JsonPath rest = stripPrefix(key, arrayKey);
            if (rest != null) {
                out.put(rest, indexes);
            }
        });
        return out.isEmpty() ? NONE : new FieldIndexes(out);
    }

    /** {@code key} without the leading {@code prefix} steps, or null when it does not start with them. */
    private static JsonPath stripPrefix(JsonPath key, JsonPath prefix) {
        if (!key.firstKey().equals(prefix.firstKey()) || key.rest().size() <= prefix.rest().size()) {
            return null;
        }
        for (int i = 0; i < prefix.rest().size(); i++) {
            if (!key.rest().get(i).equals(prefix.rest().get(i))) {
                return null;
            }
        }
        List<JsonPath.Step> rest = new ArrayList<>(key.rest().subList(prefix.rest().size(), key.rest().size()));
        if (!(rest.get(0) instanceof JsonPath.Key first)) {
            return null;
        }
        return new JsonPath(first.name(), rest.subList(1, rest.size()));
    }

    @Override
    public String toString() {
        return byKey.toString();
    }
}
