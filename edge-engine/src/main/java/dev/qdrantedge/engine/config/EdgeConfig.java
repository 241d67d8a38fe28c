package dev.qdrantedge.engine.config;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A shard's configuration, as Qdrant Edge keeps it in {@code edge_config.json}.
 *
 * @param vectors dense vectors by name; {@code ""} is the default (unnamed) vector
 */
public record EdgeConfig(Map<String, VectorParams> vectors) {

    public EdgeConfig {
        if (vectors == null || vectors.isEmpty()) {
            throw new IllegalArgumentException("a shard needs at least one vector");
        }
        vectors = Collections.unmodifiableMap(new LinkedHashMap<>(vectors));
    }

    /** A configuration with only the default (unnamed) vector. */
    public static EdgeConfig of(VectorParams defaultVector) {
        return new EdgeConfig(Map.of("", defaultVector));
    }
}
