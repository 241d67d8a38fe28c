package dev.qdrantedge.engine.shard;

import dev.qdrantedge.engine.segment.Segment;
import dev.qdrantedge.engine.vectors.VectorValue;
import java.util.Map;
import tools.jackson.databind.node.ObjectNode;

/** Where the current copy of a point is: in a segment, or rebuilt in memory by replaying the WAL. */
sealed interface StoredPoint permits StoredPoint.InSegment, StoredPoint.Replayed {

    /** The operation number that last changed the point. */
    long version();

    Map<String, VectorValue> vectors();

    ObjectNode payload();

    /** The winning copy of a point in a segment. */
    record InSegment(Segment segment, int internalId, long version) implements StoredPoint {
        @Override
        public Map<String, VectorValue> vectors() {
            return segment.vectors(internalId);
        }

        @Override
        public ObjectNode payload() {
            return segment.payload(internalId);
        }
    }

    /** A point as WAL operations newer than the segments left it. */
    record Replayed(long version, Map<String, VectorValue> vectors, ObjectNode payload) implements StoredPoint {
        /** A copy: the replayed state itself is never handed out. */
        @Override
        public ObjectNode payload() {
            return payload.deepCopy();
        }
    }
}
