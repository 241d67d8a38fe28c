package dev.qdrantedge.engine.config;

import dev.qdrantedge.engine.vectors.Distance;

/**
 * A dense vector's parameters.
 *
 * @param size dimension, positive
 * @param distance distance function
 */
public record VectorParams(int size, Distance distance) {

    public VectorParams {
        if (size <= 0) {
            throw new IllegalArgumentException("vector size must be positive, was " + size);
        }
        if (distance == null) {
            throw new IllegalArgumentException("distance must be given");
        }
    }
}
