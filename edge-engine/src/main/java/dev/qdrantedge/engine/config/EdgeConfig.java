package dev.qdrantedge.engine.config;

import dev.qdrantedge.engine.wal.WalOptions;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A shard's configuration, as Qdrant Edge keeps it in {@code edge_config.json}. Vectors define what the
 * segments store; every other field is a tunable where {@code null} means "not specified" (Qdrant Edge's
 * default applies, and a stored value is kept when a shard is loaded).
 *
 * @param vectors dense vectors by name; {@code ""} is the default (unnamed) vector
 * @param sparseVectors sparse vectors by name
 * @param onDiskPayload whether payloads stay on disk (the default) rather than in RAM
 * @param hnswConfig the shard's HNSW parameters
 * @param optimizers optimizer settings
 * @param walOptions WAL segment settings
 */
public record EdgeConfig(Map<String, VectorParams> vectors, Map<String, SparseVectorParams> sparseVectors,
        Boolean onDiskPayload, HnswConfig hnswConfig, OptimizersConfig optimizers, WalOptions walOptions) {

    public EdgeConfig {
        vectors = vectors == null ? Map.of() : Collections.unmodifiableMap(new LinkedHashMap<>(vectors));
        sparseVectors = sparseVectors == null ? Map.of()
                : Collections.unmodifiableMap(new LinkedHashMap<>(sparseVectors));
        if (vectors.isEmpty() && sparseVectors.isEmpty()) {
            throw new IllegalArgumentException("a shard needs at least one dense or sparse vector");
        }
        for (String name : vectors.keySet()) {
            if (sparseVectors.containsKey(name)) {
                throw new IllegalArgumentException("vector name '" + name + "' is used for a dense and a sparse vector");
            }
        }
        for (String name : sparseVectors.keySet()) {
            if (name.isEmpty()) {
                throw new IllegalArgumentException("a sparse vector needs a name");
            }
        }
    }

    /** Dense and sparse vectors, every tunable unspecified. */
    public EdgeConfig(Map<String, VectorParams> vectors, Map<String, SparseVectorParams> sparseVectors) {
        this(vectors, sparseVectors, null, null, null, null);
    }

    /** A configuration of dense vectors only. */
    public EdgeConfig(Map<String, VectorParams> vectors) {
        this(vectors, Map.of());
    }

    /** A configuration with only the default (unnamed) vector. */
    public static EdgeConfig of(VectorParams defaultVector) {
        return new EdgeConfig(Map.of("", defaultVector));
    }

    /** Whether payloads are stored on disk: unless configured otherwise, they are. */
    public boolean effectiveOnDiskPayload() {
        return onDiskPayload == null || onDiskPayload;
    }

    /** The WAL options in effect: the configured ones, else Qdrant's defaults. */
    public WalOptions effectiveWalOptions() {
        return walOptions == null ? WalOptions.defaults() : walOptions;
    }

    /**
     * This configuration with every unspecified tunable taken from {@code base}, as Qdrant Edge layers a
     * provided configuration over the stored one; vectors are this configuration's.
     */
    public EdgeConfig withUnspecifiedFrom(EdgeConfig base) {
        return new EdgeConfig(vectors, sparseVectors, onDiskPayload != null ? onDiskPayload : base.onDiskPayload,
                hnswConfig != null ? hnswConfig : base.hnswConfig, optimizers != null ? optimizers : base.optimizers,
                walOptions != null ? walOptions : base.walOptions);
    }

    /** This configuration with other vectors and the same tunables. */
    public EdgeConfig withVectors(Map<String, VectorParams> newVectors, Map<String, SparseVectorParams> newSparse) {
        return new EdgeConfig(newVectors, newSparse, onDiskPayload, hnswConfig, optimizers, walOptions);
    }
}
