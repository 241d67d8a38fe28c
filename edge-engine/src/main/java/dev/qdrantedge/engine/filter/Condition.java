package dev.qdrantedge.engine.filter;

import dev.qdrantedge.engine.idtracker.PointId;
import java.util.LinkedHashSet;
import java.util.Objects;
import java.util.Set;

/**
 * One condition of a {@link Filter}: a payload field condition, {@code is_empty}, {@code is_null},
 * {@code has_id}, {@code has_vector}, {@code nested}, or a whole filter nested as a condition.
 */
public sealed interface Condition permits FieldCondition, Condition.IsEmpty, Condition.IsNull, Condition.HasId,
        Condition.HasVector, Condition.Nested, Filter {

    /**
     * {@code {"is_empty": {"key": k}}}: every value at {@code key} is {@code null} or an empty array; true
     * as well when the key selects no value at all.
     */
    record IsEmpty(JsonPath key) implements Condition {
        public IsEmpty {
            Objects.requireNonNull(key, "key");
        }
    }

    /**
     * {@code {"is_null": {"key": k}}}: some value at {@code key} is {@code null} or an array holding a
     * {@code null} (as the reference engine answers; older Qdrant sources only counted a bare {@code null});
     * false when the key selects nothing.
     */
    record IsNull(JsonPath key) implements Condition {
        public IsNull {
            Objects.requireNonNull(key, "key");
        }
    }

    /** {@code {"has_id": [ids]}}: the point's id is one of {@code ids}. Never true inside {@code nested}. */
    record HasId(Set<PointId> ids) implements Condition {
        public HasId {
            ids = java.util.Collections.unmodifiableSet(new LinkedHashSet<>(ids));
        }
    }

    /**
     * {@code {"has_vector": name}}: the point has a vector of that name ({@code ""} is the default vector).
     * Never true inside {@code nested}.
     */
    record HasVector(String name) implements Condition {
        public HasVector {
            Objects.requireNonNull(name, "name");
        }
    }

    /**
     * {@code {"nested": {"key": k, "filter": f}}}: some object among the elements of the array at
     * {@code key} satisfies {@code filter} on its own, keys of {@code filter} being relative to that
     * element. {@link #arrayKey()} is the key with {@code []} appended when it does not end with it.
     */
    record Nested(JsonPath key, Filter filter) implements Condition {
        public Nested {
            Objects.requireNonNull(key, "key");
            Objects.requireNonNull(filter, "filter");
        }

        public JsonPath arrayKey() {
            return key.arrayKey();
        }
    }
}
