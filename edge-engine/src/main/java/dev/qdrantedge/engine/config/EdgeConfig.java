package dev.qdrantedge.engine.config;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A shard's configuration, as Qdrant Edge keeps it in {@code edge_config.json}.
 *
 * @param vectors dense vectors by name; {@code ""} is the default (unnamed) vector
 * @param sparseVectors sparse vectors by name
 */
public record EdgeConfig(Map<String, VectorParams> vectors, Map<String, SparseVectorParams> sparseVectors) {

    public EdgeConfig {
        vectors = vectors == null ? Map.of() : Collections.unmodifiableMap(new LinkedHashMap<>(vectors));
        sparseVectors = sparseVectors == null ? Map.of()
                : Collections.unmodifiableMap(new LinkedHashMap<>(sparseVectors));
        if (vectors.isEmpty() && sparseVectors.isEmpty()) {
            throw new IllegalArgumentException("a shard needs at least one dense or sparse vector");
        }
    }

    /** A configuration of dense vectors only. */
    public EdgeConfig(Map<String, VectorParams> vectors) {
        this(vectors, Map.of());
    }

    /** A configuration with only the default (unnamed) vector. */
    public static EdgeConfig of(VectorParams defaultVector) {
        return new EdgeConfig(Map.of("", defaultVector));
    }
}
