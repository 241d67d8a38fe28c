package dev.qdrantedge.engine.optimize;

import dev.qdrantedge.engine.idtracker.PointId;
import dev.qdrantedge.engine.vectors.VectorValue;
import java.util.Map;
import tools.jackson.databind.node.ObjectNode;

/**
 * A point copied into an optimized segment: its current version, vectors as stored (already preprocessed) and
 * payload.
 */
public record SourcePoint(PointId id, long version, Map<String, VectorValue> vectors, ObjectNode payload) {
}
