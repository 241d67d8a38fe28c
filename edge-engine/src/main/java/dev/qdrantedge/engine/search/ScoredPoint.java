package dev.qdrantedge.engine.search;

import dev.qdrantedge.engine.idtracker.PointId;
import dev.qdrantedge.engine.vectors.VectorValue;
import java.util.Map;
import tools.jackson.databind.node.ObjectNode;

/**
 * One search result, as Qdrant's {@code ScoredPoint}.
 *
 * @param id the point id
 * @param version the operation number that last changed the point
 * @param score the score as Qdrant reports it: the similarity for Cosine, Dot and sparse vectors, the
 *     distance for Euclid and Manhattan
 * @param payload the selected payload, or {@code null} when none was asked for
 * @param vectors the selected vectors by name, or {@code null} when none were asked for
 */
public record ScoredPoint(PointId id, long version, float score, ObjectNode payload, Map<String, VectorValue> vectors) {
}
