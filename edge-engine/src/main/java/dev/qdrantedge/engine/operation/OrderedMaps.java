package dev.qdrantedge.engine.operation;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/** Unmodifiable copies of maps that keep their iteration order (unlike {@code Map.copyOf}). */
final class OrderedMaps {

    private OrderedMaps() {
    }

    static <K, V> Map<K, V> copyOf(Map<K, V> map) {
        for (Map.Entry<K, V> e : map.entrySet()) {
            if (e.getKey() == null || e.getValue() == null) {
                throw new NullPointerException("null key or value in " + map.keySet());
            }
        }
        return Collections.unmodifiableMap(new LinkedHashMap<>(map));
    }
}
