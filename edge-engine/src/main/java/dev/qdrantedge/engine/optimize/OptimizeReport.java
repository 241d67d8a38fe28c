package dev.qdrantedge.engine.optimize;

import java.util.List;

/**
 * What {@code optimize()} did: the segments it built, in order; empty when the shard needed nothing.
 */
public record OptimizeReport(List<OptimizedSegment> segments) {

    public OptimizeReport {
        segments = List.copyOf(segments);
    }

    /** Whether anything was optimized. */
    public boolean optimizedAny() {
        return !segments.isEmpty();
    }
}
