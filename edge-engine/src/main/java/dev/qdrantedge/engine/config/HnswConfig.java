package dev.qdrantedge.engine.config;

/**
 * HNSW index parameters, as Qdrant's {@code HnswConfig} (shard-wide in {@link EdgeConfig}, or a per-vector
 * override in {@link VectorParams}).
 *
 * @param m edges per node; 0 disables the graph (exact search only)
 * @param efConstruct neighbours considered while building, at least 4
 * @param fullScanThreshold below this many kilobytes of vectors a search scans instead of using the graph
 * @param maxIndexingThreads threads for building, 0 for automatic
 * @param onDisk whether the graph stays on disk; {@code null} when not specified
 * @param payloadM edges per node of payload-filtered graphs; {@code null} when not specified
 * @param inlineStorage whether vectors are stored inside the graph; {@code null} when not specified
 */
public record HnswConfig(int m, int efConstruct, int fullScanThreshold, int maxIndexingThreads, Boolean onDisk,
        Integer payloadM, Boolean inlineStorage) {

    public HnswConfig {
        if (m < 0) {
            throw new IllegalArgumentException("hnsw m must not be negative, was " + m);
        }
        if (efConstruct < 4) {
            throw new IllegalArgumentException("hnsw ef_construct must be at least 4, was " + efConstruct);
        }
        if (fullScanThreshold < 0) {
            throw new IllegalArgumentException("hnsw full_scan_threshold must not be negative, was " + fullScanThreshold);
        }
        if (maxIndexingThreads < 0) {
            throw new IllegalArgumentException("hnsw max_indexing_threads must not be negative, was " + maxIndexingThreads);
        }
        if (payloadM != null && payloadM < 0) {
            throw new IllegalArgumentException("hnsw payload_m must not be negative, was " + payloadM);
        }
    }

    /** Qdrant's defaults: m 16, ef_construct 100, full_scan_threshold 10000 KB, automatic threads. */
    public static HnswConfig defaults() {
        return new HnswConfig(16, 100, 10_000, 0, null, null, null);
    }
}
