package dev.qdrantedge.engine.vectors;

import java.util.Arrays;
import java.util.Objects;

/**
 * What Qdrant does to a vector between receiving it and storing it, reproduced bit for bit: the values
 * these methods return are exactly the floats the storage returns when the vector is read back.
 *
 * <h2>Dense vectors</h2>
 * Two steps, in this order:
 * <ol>
 *   <li><b>Distance.</b> Only {@link Distance#COSINE} changes a vector, and only when it is stored as
 *       {@code float32} or {@code float16}: every element is scaled, in {@code float}, by the
 *       {@code float} square root {@code length} of the vector's sum of squares. The SSE and scalar paths
 *       (below) compute {@code x / length}; the AVX path computes {@code x * (1 / length)} with the
 *       reciprocal rounded to {@code float} first, which differs from the division in the last bit for
 *       some elements (Qdrant 1.19.0 and earlier divide on the AVX path too). When the sum of squares is below
 *       {@code 2^-23} (float epsilon: zero, or so small that the squares underflow) or within
 *       {@code 1e-6} of 1 (already normalized), the vector is left exactly as it is. A sum that overflows
 *       to infinity turns finite elements into signed zeros and infinite ones into NaN; a NaN element
 *       makes every element NaN. {@code uint8} Cosine vectors are <em>not</em> normalized (Qdrant computes
 *       the cosine of the stored bytes at search time instead). Dot, Euclid and Manhattan never change a
 *       vector.</li>
 *   <li><b>Datatype.</b> {@code float32}: unchanged. {@code float16}: rounded to the nearest half, ties
 *       to even ({@link Float16#fromFloat}), read back exactly. {@code uint8}: a saturating truncation
 *       toward zero, so negative values, {@code -0.0} and NaN become 0, values of 255 and more become 255,
 *       and fractions are dropped (12.9 becomes 12).</li>
 * </ol>
 * Qdrant Edge accepts NaN and infinite elements (it does not reject them at ingest); the rules above
 * apply to them unchanged.
 *
 * <h2>The sum of squares depends on the CPU</h2>
 * Qdrant picks the code that sums the squares at run time, from the CPU's SIMD features and the
 * vector's dimension, and the paths add in different orders, so the same input can be normalized to
 * vectors that differ in the last bit on different machines. On x86_64 (the platform these methods
 * reproduce by default) the choice is:
 * <ul>
 *   <li>AVX and FMA available and dimension at least 32: {@link SimdPath#AVX_FMA};</li>
 *   <li>otherwise, SSE available and dimension at least 16: {@link SimdPath#SSE};</li>
 *   <li>otherwise {@link SimdPath#SCALAR}.</li>
 * </ul>
 * The summing orders, the fused multiply-adds of the AVX path and its reciprocal multiplication were
 * confirmed bit for bit against Qdrant Edge 0.9.0 on an x86_64 CPU with AVX, FMA and AVX-512 (which
 * Qdrant does not use here).
 *
 * <p>The methods without a {@link SimdPath} argument assume a CPU with AVX and FMA (any x86_64 CPU since
 * about 2013), so they follow the whole chain above. Passing {@link SimdPath#SSE} reproduces an x86 CPU
 * without AVX or FMA, {@link SimdPath#SCALAR} one without SIMD support at all. Qdrant built for other
 * architectures (for example ARM with NEON) sums in yet another order that is not reproduced here.
 *
 * <h2>Sparse vectors</h2>
 * {@link #preprocess(SparseVector)}: the only change is that entries are sorted by index (as an unsigned
 * 32-bit number), each value moving with its index. Values, including {@code -0.0} and NaN, are kept
 * exactly, and duplicate indices are not merged or rejected.
 *
 * <p>All methods return new arrays and never modify their arguments.
 */
public final class VectorPreprocessing {

    /**
     * The best SIMD instruction set the emulated CPU offers for summing squares. Each one still falls
     * back to the next when the vector is too short for it, as Qdrant does.
     */
    public enum SimdPath {
        /**
         * AVX with fused multiply-add: 4 x 8 lanes for dimensions of 32 and more, scaled by the reciprocal
         * length; shorter vectors as {@link #SSE}.
         */
        AVX_FMA,
        /** SSE: 4 x 4 lanes, separate multiply and add, for dimensions of 16 and more, else scalar. */
        SSE,
        /** One running sum, element by element. */
        SCALAR
    }

    /** The shortest vector Qdrant sums with AVX. */
    static final int MIN_DIMENSION_AVX = 32;
    /** The shortest vector Qdrant sums with SSE. */
    static final int MIN_DIMENSION_SSE = 16;

    /** Sums of squares below this (float's machine epsilon, 2^-23) count as a zero vector. */
    private static final float ZERO_LENGTH = 0x1p-23f;
    /** Sums of squares this close to 1 count as already normalized. */
    private static final float NORMALIZED_TOLERANCE = 1.0e-6f;

    private static final int AVX_LANES = 8;
    private static final int SSE_LANES = 4;
    /** Both SIMD paths keep four independent accumulators. */
    private static final int ACCUMULATORS = 4;

    private VectorPreprocessing() {
    }

    /**
     * The dense vector as Qdrant stores it, for a CPU with AVX and FMA (see the class documentation).
     *
     * @param distance the vector's distance function
     * @param datatype the storage's element type
     * @param raw the vector as received; not modified
     */
    public static float[] preprocess(Distance distance, VectorDatatype datatype, float[] raw) {
        return preprocess(distance, datatype, raw, SimdPath.AVX_FMA);
    }

    /** The dense vector as Qdrant stores it on a CPU whose best SIMD path is {@code simd}. */
    public static float[] preprocess(Distance distance, VectorDatatype datatype, float[] raw, SimdPath simd) {
        Objects.requireNonNull(distance, "distance");
        Objects.requireNonNull(datatype, "datatype");
        Objects.requireNonNull(simd, "simd");
        float[] values = distance == Distance.COSINE && datatype != VectorDatatype.UINT8
                ? normalizeCosine(raw, simd)
                : raw.clone();
        for (int i = 0; i < values.length; i++) {
            values[i] = toStoredPrecision(datatype, values[i]);
        }
        return values;
    }

    /**
     * A multivector as Qdrant stores it, for a CPU with AVX and FMA: every inner vector preprocessed on
     * its own, as {@link #preprocess(Distance, VectorDatatype, float[])} does.
     */
    public static float[][] preprocess(Distance distance, VectorDatatype datatype, float[][] raw) {
        return preprocess(distance, datatype, raw, SimdPath.AVX_FMA);
    }

    /** A multivector as Qdrant stores it on a CPU whose best SIMD path is {@code simd}. */
    public static float[][] preprocess(Distance distance, VectorDatatype datatype, float[][] raw, SimdPath simd) {
        float[][] result = new float[raw.length][];
        for (int i = 0; i < raw.length; i++) {
            result[i] = preprocess(distance, datatype, raw[i], simd);
        }
        return result;
    }

    /** {@link #preprocess(Distance, VectorDatatype, float[][])} for a {@link MultiDenseVector}. */
    public static MultiDenseVector preprocess(Distance distance, VectorDatatype datatype, MultiDenseVector raw) {
        return new MultiDenseVector(preprocess(distance, datatype, raw.vectors()));
    }

    /**
     * The sparse vector as Qdrant stores it: entries sorted by unsigned index, values moving with their
     * indices, nothing else changed. Entries with equal indices keep their input order here; Qdrant
     * does not promise an order for them, so do not rely on it.
     */
    public static SparseVector preprocess(SparseVector raw) {
        int[] indices = raw.indices();
        float[] values = raw.values();
        int n = indices.length;
        boolean sorted = true;
        for (int i = 1; i < n && sorted; i++) {
            sorted = Integer.compareUnsigned(indices[i - 1], indices[i]) < 0;
        }
        if (sorted) {
            return new SparseVector(indices.clone(), values.clone());
        }
        // index in the high half, input position in the low half: a stable sort by index. Flipping the
        // top bit makes the signed order of the keys the unsigned order of the indices.
        long[] keys = new long[n];
        for (int i = 0; i < n; i++) {
            keys[i] = ((long) (indices[i] ^ Integer.MIN_VALUE) << 32) | i;
        }
        Arrays.sort(keys);
        int[] sortedIndices = new int[n];
        float[] sortedValues = new float[n];
        for (int i = 0; i < n; i++) {
            int from = (int) keys[i];
            sortedIndices[i] = indices[from];
            sortedValues[i] = values[from];
        }
        return new SparseVector(sortedIndices, sortedValues);
    }

    /**
     * Cosine normalization in {@code float} as Qdrant does it for {@code float32} and {@code float16}
     * storages (before the conversion to the datatype), on the given SIMD path. Returns a copy of
     * {@code raw} unchanged when the sum of squares counts as zero or as already 1.
     */
    public static float[] normalizeCosine(float[] raw, SimdPath simd) {
        SimdPath path = effectivePath(simd, raw.length);
        float sumOfSquares = sumOfSquares(raw, path);
        if (sumOfSquares < ZERO_LENGTH || Math.abs(sumOfSquares - 1.0f) <= NORMALIZED_TOLERANCE) {
            return raw.clone();
        }
        // the double square root of a float, rounded to float, is the correctly rounded float square root
        float length = (float) Math.sqrt(sumOfSquares);
        float[] normalized = new float[raw.length];
        if (path == SimdPath.AVX_FMA) {
            // the AVX path multiplies every element by the rounded reciprocal of the length
            float inverse = 1.0f / length;
            for (int i = 0; i < raw.length; i++) {
                normalized[i] = raw[i] * inverse;
            }
        } else {
            for (int i = 0; i < raw.length; i++) {
                normalized[i] = raw[i] / length;
            }
        }
        return normalized;
    }

    /**
     * {@code value} converted to the storage's element type and read back as a float, as described in
     * the class documentation.
     */
    public static float toStoredPrecision(VectorDatatype datatype, float value) {
        switch (datatype) {
            case FLOAT32:
                return value;
            case FLOAT16:
                return Float16.toFloat(Float16.fromFloat(value));
            case UINT8:
                return toUint8(value);
            default:
                throw new IllegalArgumentException("unsupported datatype " + datatype);
        }
    }

    /** The byte Qdrant stores for {@code value} in a {@code uint8} storage (0 to 255). */
    public static int toUint8(float value) {
        if (!(value > 0.0f)) {
            return 0; // negative, zero or NaN
        }
        if (value >= 255.0f) {
            return 255;
        }
        return (int) value; // truncates toward zero
    }

    /** The path Qdrant takes for a vector of {@code dimension} elements on a CPU whose best path is {@code simd}. */
    static SimdPath effectivePath(SimdPath simd, int dimension) {
        if (simd == SimdPath.AVX_FMA && dimension >= MIN_DIMENSION_AVX) {
            return SimdPath.AVX_FMA;
        }
        if (simd != SimdPath.SCALAR && dimension >= MIN_DIMENSION_SSE) {
            return SimdPath.SSE;
        }
        return SimdPath.SCALAR;
    }

    /** The sum of squares in the order of {@code path}, which must be the effective path for {@code v}. */
    static float sumOfSquares(float[] v, SimdPath path) {
        switch (path) {
            case AVX_FMA:
                return sumOfSquaresAvxFma(v);
            case SSE:
                return sumOfSquaresSse(v);
            default:
                return sumOfSquaresScalar(v, 0, 0.0f);
        }
    }

    /** Adds the squares of {@code v[from..]} one by one, each square rounded before it is added. */
    private static float sumOfSquaresScalar(float[] v, int from, float start) {
        float sum = start;
        for (int i = from; i < v.length; i++) {
            float square = v[i] * v[i];
            sum += square;
        }
        return sum;
    }

    /**
     * Four 8-lane accumulators take 32 consecutive elements per round, each lane updated with one fused
     * multiply-add. They are combined lane-wise as {@code (a + b) + (c + d)}, the 8 lanes folded as
     * {@code ((l0 + l4) + (l1 + l5)) + ((l2 + l6) + (l3 + l7))}, and the elements after the last full
     * round are added one square at a time.
     */
    private static float sumOfSquaresAvxFma(float[] v) {
        int rounds = v.length - v.length % (ACCUMULATORS * AVX_LANES);
        float[] acc = new float[ACCUMULATORS * AVX_LANES]; // accumulator r, lane l at r * 8 + l
        for (int base = 0; base < rounds; base += ACCUMULATORS * AVX_LANES) {
            for (int k = 0; k < ACCUMULATORS * AVX_LANES; k++) {
                float x = v[base + k];
                acc[k] = Math.fma(x, x, acc[k]);
            }
        }
        float[] total = new float[AVX_LANES];
        for (int l = 0; l < AVX_LANES; l++) {
            float ab = acc[l] + acc[AVX_LANES + l];
            float cd = acc[2 * AVX_LANES + l] + acc[3 * AVX_LANES + l];
            total[l] = ab + cd;
        }
        float[] halves = new float[4];
        for (int l = 0; l < 4; l++) {
            halves[l] = total[l + 4] + total[l];
        }
        float sum = (halves[0] + halves[1]) + (halves[2] + halves[3]);
        return sumOfSquaresScalar(v, rounds, sum);
    }

    /**
     * Four 4-lane accumulators take 16 consecutive elements per round, each lane adding a rounded
     * square. Each accumulator is folded as {@code (l0 + l2) + (l1 + l3)}, the four results added left
     * to right, and the elements after the last full round are added one square at a time.
     */
    private static float sumOfSquaresSse(float[] v) {
        int rounds = v.length - v.length % (ACCUMULATORS * SSE_LANES);
        float[] acc = new float[ACCUMULATORS * SSE_LANES]; // accumulator r, lane l at r * 4 + l
        for (int base = 0; base < rounds; base += ACCUMULATORS * SSE_LANES) {
            for (int k = 0; k < ACCUMULATORS * SSE_LANES; k++) {
                float x = v[base + k];
                float square = x * x;
                acc[k] = square + acc[k];
            }
        }
        float sum = 0.0f;
        for (int r = 0; r < ACCUMULATORS; r++) {
            int o = r * SSE_LANES;
            float folded = (acc[o] + acc[o + 2]) + (acc[o + 1] + acc[o + 3]);
            sum = r == 0 ? folded : sum + folded;
        }
        return sumOfSquaresScalar(v, rounds, sum);
    }
}
