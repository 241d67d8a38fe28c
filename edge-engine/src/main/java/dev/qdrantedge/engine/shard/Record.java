package dev.qdrantedge.engine.shard;

import dev.qdrantedge.engine.idtracker.PointId;
import dev.qdrantedge.engine.vectors.VectorValue;
import java.util.Map;
import tools.jackson.databind.node.ObjectNode;

/**
 * A point as read from a shard.
 *
 * @param id the point id
 * @param version the operation number that last changed the point
 * @param vectors the point's vectors by name ({@code ""} is the default vector), or {@code null} when not
 *     requested; a vector the point lacks is absent from the map
 * @param payload the payload (an empty object when the point has none), or {@code null} when not requested
 */
public record Record(PointId id, long version, Map<String, VectorValue> vectors, ObjectNode payload) {
}
