package dev.qdrantedge.engine.search.kernel;

import java.util.Optional;

/**
 * The arithmetic of exact search over float vectors: dot products, squared Euclidean and Manhattan
 * distances, one pair at a time or one query against a block of consecutive vectors. Implementations
 * differ only in summation order, so their results agree within float rounding.
 */
public interface VectorKernels {

    /**
     * The implementation chosen for this JVM at start-up: the Vector API kernels when the JVM runs with
     * {@code --add-modules jdk.incubator.vector}, unless the system property {@code qdrant.edge.kernels=scalar}
     * asks for the scalar ones; otherwise the scalar kernels.
     */
    static VectorKernels get() {
        return KernelSelection.SELECTED;
    }

    /** The plain-Java kernels, available on every JVM (for comparisons in tests and benchmarks). */
    static VectorKernels scalar() {
        return ScalarKernels.INSTANCE;
    }

    /**
     * The Vector API kernels, or empty when this JVM cannot use them (module {@code jdk.incubator.vector} not
     * added, or a vector width below 128 bits). Present even when {@code qdrant.edge.kernels=scalar}.
     */
    static Optional<VectorKernels> vectorApi() {
        return KernelSelection.VectorApi.KERNELS;
    }

    /** A short name for logs and benchmark reports ({@code "scalar"}, {@code "vector-api-256"}, ...). */
    String name();

    /** Sum of {@code a[aOffset + i] * b[bOffset + i]} over {@code length} elements. */
    float dot(float[] a, int aOffset, float[] b, int bOffset, int length);

    /** Sum of {@code (a[aOffset + i] - b[bOffset + i])^2} over {@code length} elements. */
    float squaredEuclid(float[] a, int aOffset, float[] b, int bOffset, int length);

    /** Sum of {@code |a[aOffset + i] - b[bOffset + i]|} over {@code length} elements. */
    float manhattan(float[] a, int aOffset, float[] b, int bOffset, int length);

    /**
     * Scores {@code count} vectors of {@code query.length} elements stored one after another in
     * {@code block} from {@code blockOffset}: {@code out[outOffset + j] = dot(query, vector j)}.
     *
     * <p>Implementations may interleave several vectors, which is fastest when the block is in the CPU cache,
     * e.g. a few KiB just copied from a memory mapping. Over a large array that must come from main memory,
     * scoring the vectors one by one with {@link #dot} (or copying small blocks first) streams better; see
     * {@code BENCHMARKS.md}.
     */
    default void dotBlock(float[] query, float[] block, int blockOffset, int count, float[] out, int outOffset) {
        int dim = query.length;
        for (int j = 0; j < count; j++) {
            out[outOffset + j] = dot(query, 0, block, blockOffset + j * dim, dim);
        }
    }

    /** As {@link #dotBlock} with {@link #squaredEuclid}. */
    default void squaredEuclidBlock(float[] query, float[] block, int blockOffset, int count, float[] out, int outOffset) {
        int dim = query.length;
        for (int j = 0; j < count; j++) {
            out[outOffset + j] = squaredEuclid(query, 0, block, blockOffset + j * dim, dim);
        }
    }

    /** As {@link #dotBlock} with {@link #manhattan}. */
    default void manhattanBlock(float[] query, float[] block, int blockOffset, int count, float[] out, int outOffset) {
        int dim = query.length;
        for (int j = 0; j < count; j++) {
            out[outOffset + j] = manhattan(query, 0, block, blockOffset + j * dim, dim);
        }
    }
}
