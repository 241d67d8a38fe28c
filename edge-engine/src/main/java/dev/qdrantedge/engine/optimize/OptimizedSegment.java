package dev.qdrantedge.engine.optimize;

import java.util.List;

/**
 * One segment an optimization built.
 *
 * @param segmentId the new segment's directory name
 * @param replaced the segments it replaced
 * @param points the points it holds
 * @param indexedVectors the vectors given an HNSW index (empty: the segment stays appendable)
 */
public record OptimizedSegment(String segmentId, List<String> replaced, int points, List<String> indexedVectors) {

    public OptimizedSegment {
        replaced = List.copyOf(replaced);
        indexedVectors = List.copyOf(indexedVectors);
    }
}
