package dev.qdrantedge.engine.filter;

import dev.qdrantedge.engine.idtracker.PointId;
import tools.jackson.databind.JsonNode;

/** What a filter looks at in a point. */
public interface PointView {

    /** The point's id. */
    PointId id();

    /** The point's payload: an object, empty when the point has none. */
    JsonNode payload();

    /** Whether the point has a vector under {@code name} ({@code ""} is the default vector). */
    boolean hasVector(String name);
}
