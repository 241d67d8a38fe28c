package dev.qdrantedge.engine.index.hnsw.build;

import dev.qdrantedge.engine.search.kernel.VectorKernels;
import dev.qdrantedge.engine.vectors.Distance;
import java.util.Objects;

/**
 * The dense vectors an HNSW graph is built over, in point-offset order, as floats laid out back to back, and the
 * similarity that orders them (larger is better): the dot product for Dot and for Cosine (vectors are stored
 * normalized), the negated squared Euclidean distance, the negated Manhattan distance.
 */
public final class BuildVectors {

    private final float[] data;
    private final int dim;
    private final int count;
    private final Distance distance;
    private final VectorKernels kernels = VectorKernels.get();

    /**
     * @param data {@code count * dim} floats, vector {@code i} at {@code i * dim}
     * @param dim dimension
     * @param distance distance function
     */
    public BuildVectors(float[] data, int dim, Distance distance) {
        this.data = Objects.requireNonNull(data, "data");
        this.distance = Objects.requireNonNull(distance, "distance");
        if (dim <= 0 || data.length % dim != 0) {
            throw new IllegalArgumentException("vector data of " + data.length + " floats is not a whole number of"
                    + " vectors of dimension " + dim);
        }
        this.dim = dim;
        this.count = data.length / dim;
    }

    /** The number of vectors. */
    public int count() {
        return count;
    }

    /** The dimension. */
    public int dim() {
        return dim;
    }

    /** The distance function. */
    public Distance distance() {
        return distance;
    }

    /** Similarity of stored vectors {@code a} and {@code b}. */
    public float score(int a, int b) {
        return similarity(data, a * dim, b);
    }

    /** Similarity of {@code query} (already preprocessed as stored vectors are) and stored vector {@code b}. */
    public float score(float[] query, int b) {
        return similarity(query, 0, b);
    }

    private float similarity(float[] q, int qOffset, int b) {
        int bOffset = b * dim;
        return switch (distance) {
            case DOT, COSINE -> kernels.dot(q, qOffset, data, bOffset, dim);
            case EUCLID -> -kernels.squaredEuclid(q, qOffset, data, bOffset, dim);
            case MANHATTAN -> -kernels.manhattan(q, qOffset, data, bOffset, dim);
        };
    }
}
