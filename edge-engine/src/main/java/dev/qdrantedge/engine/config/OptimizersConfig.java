package dev.qdrantedge.engine.config;

/**
 * Optimizer settings, as Qdrant Edge's {@code EdgeOptimizersConfig}; every field is optional ({@code null}:
 * the engine's default).
 *
 * @param deletedThreshold fraction of deleted points that makes a segment worth vacuuming, in [0, 1]
 * @param vacuumMinVectorNumber smallest segment (in vectors) worth vacuuming
 * @param defaultSegmentNumber target number of segments
 * @param maxSegmentSize largest segment, in kilobytes of vectors
 * @param indexingThreshold segments with more kilobytes of vectors than this get an HNSW index
 * @param preventUnoptimized whether points wait in unindexed segments until optimized
 */
public record OptimizersConfig(Double deletedThreshold, Integer vacuumMinVectorNumber, Integer defaultSegmentNumber,
        Integer maxSegmentSize, Integer indexingThreshold, Boolean preventUnoptimized) {

    public OptimizersConfig {
        if (deletedThreshold != null && !(deletedThreshold >= 0 && deletedThreshold <= 1)) {
            throw new IllegalArgumentException("optimizers deleted_threshold must be in [0, 1], was " + deletedThreshold);
        }
        requireNonNegative("vacuum_min_vector_number", vacuumMinVectorNumber);
        requireNonNegative("default_segment_number", defaultSegmentNumber);
        requireNonNegative("max_segment_size", maxSegmentSize);
        requireNonNegative("indexing_threshold", indexingThreshold);
    }

    private static void requireNonNegative(String name, Integer value) {
        if (value != null && value < 0) {
            throw new IllegalArgumentException("optimizers " + name + " must not be negative, was " + value);
        }
    }

    /** Nothing specified. */
    public static OptimizersConfig unspecified() {
        return new OptimizersConfig(null, null, null, null, null, null);
    }
}
