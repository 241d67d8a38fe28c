package dev.qdrantedge.engine.search;

import dev.qdrantedge.engine.search.kernel.VectorKernels;
import dev.qdrantedge.engine.vectors.Distance;
import dev.qdrantedge.engine.vectors.VectorDatatype;

/**
 * Qdrant's similarity of a preprocessed query and a stored dense vector, both as floats (float16 elements
 * widened, uint8 elements as their byte values), larger is better:
 * <ul>
 *   <li>float32 and float16: the dot product for Dot and Cosine (vectors are stored normalized), the
 *       negated squared Euclidean distance, the negated Manhattan distance, summed in {@code float};</li>
 *   <li>uint8: the same in exact integer arithmetic, converted to {@code float} at the end; Cosine is not
 *       normalized at ingest for uint8, so it is {@code dot / sqrt(|q|^2 * |v|^2)} (0 when either is a zero
 *       vector), as Qdrant's byte metric computes it.</li>
 * </ul>
 * For uint8 vectors of up to {@value #EXACT_FLOAT_DIM} elements every partial sum is an integer below
 * 2^24, so float kernels compute them exactly in any summation order; longer ones are summed in
 * {@code long}.
 */
final class DenseSimilarity {

    /** The longest uint8 vector whose sums of products (each at most 255^2) stay below 2^24. */
    static final int EXACT_FLOAT_DIM = 258;

    private final Distance distance;
    private final boolean bytes;
    private final boolean byteCosine;
    private final boolean floatSums;
    private final VectorKernels kernels;
    private final int dim;

    DenseSimilarity(Distance distance, VectorDatatype datatype, int dim, VectorKernels kernels) {
        this.distance = distance;
        this.bytes = datatype == VectorDatatype.UINT8;
        this.byteCosine = bytes && distance == Distance.COSINE;
        this.floatSums = !bytes || dim <= EXACT_FLOAT_DIM;
        this.kernels = kernels;
        this.dim = dim;
    }

    int dim() {
        return dim;
    }

    /** The similarity of {@code q[qOff ..]} and {@code v[vOff ..]} ({@link #dim()} elements each). */
    float similarity(float[] q, int qOff, float[] v, int vOff) {
        if (byteCosine) {
            long dot = floatSums ? (long) kernels.dot(q, qOff, v, vOff, dim) : longDot(q, qOff, v, vOff);
            long qNorm = floatSums ? (long) kernels.dot(q, qOff, q, qOff, dim) : longDot(q, qOff, q, qOff);
            long vNorm = floatSums ? (long) kernels.dot(v, vOff, v, vOff, dim) : longDot(v, vOff, v, vOff);
            return byteCosine(dot, qNorm, vNorm);
        }
        if (!floatSums) {
            return longSimilarity(q, qOff, v, vOff);
        }
        switch (distance) {
            case EUCLID:
                return -kernels.squaredEuclid(q, qOff, v, vOff, dim);
            case MANHATTAN:
                return -kernels.manhattan(q, qOff, v, vOff, dim);
            default:
                return kernels.dot(q, qOff, v, vOff, dim);
        }
    }

    /**
     * Scores {@code count} vectors stored back to back in {@code block} from 0 against {@code query} into
     * {@code out[0 .. count)}.
     */
    void similarityBlock(float[] query, float[] block, int count, float[] out) {
        if (byteCosine || !floatSums) {
            for (int j = 0; j < count; j++) {
                out[j] = similarity(query, 0, block, j * dim);
            }
            return;
        }
        switch (distance) {
            case EUCLID:
                kernels.squaredEuclidBlock(query, block, 0, count, out, 0);
                negate(out, count);
                break;
            case MANHATTAN:
                kernels.manhattanBlock(query, block, 0, count, out, 0);
                negate(out, count);
                break;
            default:
                kernels.dotBlock(query, block, 0, count, out, 0);
        }
    }

    private static void negate(float[] out, int count) {
        for (int j = 0; j < count; j++) {
            out[j] = -out[j];
        }
    }

    static float byteCosine(long dot, long qNorm, long vNorm) {
        if (qNorm == 0 || vNorm == 0) {
            return 0.0f;
        }
        float product = (float) qNorm * (float) vNorm;
        return (float) dot / (float) Math.sqrt(product);
    }

    private long longDot(float[] a, int aOff, float[] b, int bOff) {
        long sum = 0;
        for (int i = 0; i < dim; i++) {
            sum += (long) a[aOff + i] * (long) b[bOff + i];
        }
        return sum;
    }

    private float longSimilarity(float[] q, int qOff, float[] v, int vOff) {
        long sum = 0;
        switch (distance) {
            case EUCLID:
                for (int i = 0; i < dim; i++) {
                    long d = (long) q[qOff + i] - (long) v[vOff + i];
                    sum += d * d;
                }
                return -(float) sum;
            case MANHATTAN:
                for (int i = 0; i < dim; i++) {
                    sum += Math.abs((long) q[qOff + i] - (long) v[vOff + i]);
                }
                return -(float) sum;
            default:
                return (float) longDot(q, qOff, v, vOff);
        }
    }
}
