package dev.qdrantedge.engine.config;

/**
 * A sparse vector's parameters.
 *
 * @param idf whether scores use the IDF modifier
 * @param onDisk whether the index stays on disk; {@code null} when not specified
 * @param fullScanThreshold below this many matching points a search scans instead of using the index;
 *     {@code null} when not specified
 */
public record SparseVectorParams(boolean idf, Boolean onDisk, Integer fullScanThreshold) {

    public SparseVectorParams {
        if (fullScanThreshold != null && fullScanThreshold < 0) {
            throw new IllegalArgumentException("sparse full_scan_threshold must not be negative, was " + fullScanThreshold);
        }
    }

    /** Only the modifier specified. */
    public SparseVectorParams(boolean idf) {
        this(idf, null, null);
    }
}
