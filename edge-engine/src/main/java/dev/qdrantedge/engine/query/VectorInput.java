package dev.qdrantedge.engine.query;

import dev.qdrantedge.engine.idtracker.PointId;
import dev.qdrantedge.engine.vectors.VectorValue;

/**
 * A nearest-neighbour query: a vector given in the request, or the vector of a stored point.
 */
public sealed interface VectorInput extends ScoringQuery permits VectorInput.Vector, VectorInput.Point {

    /** A vector given in the request. */
    record Vector(VectorValue value) implements VectorInput {
    }

    /** The vector (under the query's {@code using} name) of a stored point, which is left out of the results. */
    record Point(PointId id) implements VectorInput {
    }
}
