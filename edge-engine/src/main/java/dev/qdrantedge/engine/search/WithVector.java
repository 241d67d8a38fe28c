package dev.qdrantedge.engine.search;

import dev.qdrantedge.engine.vectors.VectorValue;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Which vectors a result carries: none, all, or those with the given names (names a point lacks are skipped). */
public sealed interface WithVector permits WithVector.None, WithVector.All, WithVector.Names {

    WithVector NONE = new None();
    WithVector ALL = new All();

    static WithVector of(boolean enabled) {
        return enabled ? ALL : NONE;
    }

    static WithVector names(List<String> names) {
        return new Names(names);
    }

    default boolean enabled() {
        return !(this instanceof None);
    }

    /** The selected vectors of a point (in the point's order), or {@code null} for none. */
    Map<String, VectorValue> select(Map<String, VectorValue> vectors);

    record None() implements WithVector {
        @Override
        public Map<String, VectorValue> select(Map<String, VectorValue> vectors) {
            return null;
        }
    }

    record All() implements WithVector {
        @Override
        public Map<String, VectorValue> select(Map<String, VectorValue> vectors) {
            return vectors;
        }
    }

    record Names(List<String> names) implements WithVector {
        public Names {
            names = List.copyOf(names);
        }

        @Override
        public Map<String, VectorValue> select(Map<String, VectorValue> vectors) {
            Map<String, VectorValue> out = new LinkedHashMap<>();
            for (Map.Entry<String, VectorValue> e : vectors.entrySet()) {
                if (names.contains(e.getKey())) {
                    out.put(e.getKey(), e.getValue());
                }
            }
            return out;
        }
    }
}
