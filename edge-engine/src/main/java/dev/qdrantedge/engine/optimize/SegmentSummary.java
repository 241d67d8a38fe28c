package dev.qdrantedge.engine.optimize;

import dev.qdrantedge.engine.idtracker.IdTracker;
import dev.qdrantedge.engine.segment.Segment;
import dev.qdrantedge.engine.segment.VectorDataConfig;
import java.util.Map;

/**
 * What the planner needs to know of a segment.
 *
 * @param id segment directory name
 * @param appendable whether the segment takes writes in place
 * @param indexed whether any of its vectors has an HNSW index
 * @param vectorBytes its largest dense vector storage in bytes, over live points (Qdrant's
 *     {@code max_available_vectors_size_in_bytes})
 */
public record SegmentSummary(String id, boolean appendable, boolean indexed, long vectorBytes) {

    /** Summarizes an open segment. */
    public static SegmentSummary of(Segment segment) {
        IdTracker tracker = segment.idTracker();
        long live = 0;
        for (int i = 0; i < tracker.totalPointCount(); i++) {
            if (tracker.isLive(i)) {
                live++;
            }
        }
        long largest = 0;
        boolean indexed = false;
        for (Map.Entry<String, VectorDataConfig> e : segment.state().vectorData().entrySet()) {
            VectorDataConfig c = e.getValue();
            indexed |= "hnsw".equals(c.indexType());
            largest = Math.max(largest, live * c.size() * c.datatype().bytes());
        }
        return new SegmentSummary(segment.id(), segment.appendable(), indexed, largest);
    }
}
