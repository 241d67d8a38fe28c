package dev.qdrantedge.engine.optimize;

import dev.qdrantedge.engine.config.EdgeConfig;
import dev.qdrantedge.engine.config.HnswConfig;
import dev.qdrantedge.engine.config.OptimizersConfig;

/**
 * The optimizer thresholds Qdrant Edge derives from a shard's configuration.
 *
 * @param indexingThresholdKb a segment whose largest vector storage holds at least this many kilobytes gets an
 *     HNSW index (unset: 10,000; 0 disables indexing)
 * @param maxSegmentSizeKb merged segments stay below this size (unset: 256,000 per indexing thread)
 * @param defaultSegmentNumber the merge optimizer's target number of segments (unset or 0: one per two CPUs,
 *     between 2 and 8)
 * @param indexingThreads threads building a graph
 */
public record OptimizerThresholds(long indexingThresholdKb, long maxSegmentSizeKb, int defaultSegmentNumber,
        int indexingThreads) {

    static final long DEFAULT_INDEXING_THRESHOLD_KB = 10_000;
    static final long DEFAULT_MAX_SEGMENT_PER_CPU_KB = 256_000;

    /** The thresholds of {@code config}, as Qdrant's {@code optimizer_thresholds} computes them. */
    public static OptimizerThresholds of(EdgeConfig config) {
        OptimizersConfig o = config.optimizers() == null ? OptimizersConfig.unspecified() : config.optimizers();
        HnswConfig hnsw = config.hnswConfig() == null ? HnswConfig.defaults() : config.hnswConfig();
        int cpus = Runtime.getRuntime().availableProcessors();
        int threads = hnsw.maxIndexingThreads() > 0 ? hnsw.maxIndexingThreads() : Math.max(1, Math.min(cpus, 16));
        long indexing = o.indexingThreshold() == null ? DEFAULT_INDEXING_THRESHOLD_KB
                : o.indexingThreshold() == 0 ? Long.MAX_VALUE : o.indexingThreshold();
        long maxSize = o.maxSegmentSize() != null ? o.maxSegmentSize() : threads * DEFAULT_MAX_SEGMENT_PER_CPU_KB;
        int segments = o.defaultSegmentNumber() == null || o.defaultSegmentNumber() == 0
                ? Math.max(2, Math.min(8, cpus / 2)) : o.defaultSegmentNumber();
        return new OptimizerThresholds(indexing, maxSize, segments, threads);
    }

    long indexingThresholdBytes() {
        return indexingThresholdKb == Long.MAX_VALUE ? Long.MAX_VALUE : indexingThresholdKb * 1024;
    }

    long maxSegmentSizeBytes() {
        return maxSegmentSizeKb >= Long.MAX_VALUE / 1024 ? Long.MAX_VALUE : maxSegmentSizeKb * 1024;
    }
}
