package dev.qdrantedge.engine.config;

import dev.qdrantedge.engine.vectors.Distance;
import dev.qdrantedge.engine.vectors.VectorDatatype;

/**
 * A dense vector's parameters.
 *
 * @param size dimension, positive
 * @param distance distance function
 * @param datatype element type of stored values
 * @param multivector whether each point holds several vectors, compared by MaxSim
 * @param onDisk whether the vectors stay on disk (memory-mapped) rather than in RAM; {@code null} when
 *     not specified
 * @param hnswConfig this vector's HNSW parameters, overriding the shard's; {@code null} when not specified
 */
public record VectorParams(int size, Distance distance, VectorDatatype datatype, boolean multivector, Boolean onDisk,
        HnswConfig hnswConfig) {

    public VectorParams {
        if (size <= 0) {
            throw new IllegalArgumentException("vector size must be positive, was " + size);
        }
        if (distance == null) {
            throw new IllegalArgumentException("distance must be given");
        }
        if (datatype == null) {
            datatype = VectorDatatype.FLOAT32;
        }
    }

    /** Without an HNSW override. */
    public VectorParams(int size, Distance distance, VectorDatatype datatype, boolean multivector, Boolean onDisk) {
        this(size, distance, datatype, multivector, onDisk, null);
    }

    /** A float32, single-vector configuration. */
    public VectorParams(int size, Distance distance) {
        this(size, distance, VectorDatatype.FLOAT32, false, null, null);
    }
}
