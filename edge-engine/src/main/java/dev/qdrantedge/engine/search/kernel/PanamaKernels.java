package dev.qdrantedge.engine.search.kernel;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/**
 * Kernels on the JDK's incubating Vector API ({@code jdk.incubator.vector}), using the widest float species
 * the CPU supports. Loaded reflectively by {@link KernelSelection} and only when that module is in the boot
 * layer, so nothing else in the engine links against it.
 *
 * <p>Only {@link FloatVector#fromArray} is used to load data: it is the one loader whose signature is the same
 * from JDK 17 to the newest JDK (the buffer and memory-segment loaders changed between releases). This class
 * is compiled by its own compiler execution; see {@code edge-engine/pom.xml}.
 *
 * <p>Every loop runs whole vectors with four independent accumulators (to hide the latency of the fused
 * multiply-add), then whole vectors with one, then finishes the remaining elements with scalar code rather
 * than masked loads, which are slow on some CPUs. (The scalar tail avoids {@link Math#fma}, which falls back to
 * slow software arithmetic on CPUs without an FMA unit.)
 */
final class PanamaKernels implements VectorKernels {

    private static final VectorSpecies<Float> SPECIES = FloatVector.SPECIES_PREFERRED;
    private static final int LANES = SPECIES.length();

    /**
     * Whether the JIT emits fused multiply-add instructions ({@code -XX:+UseFMA}, on by default where the
     * CPU has them). Without them {@link FloatVector#fma} is emulated and far slower than a multiply and an
     * add, so the kernels use those instead.
     */
    private static final boolean FMA = VmFlags.booleanOrDefault("UseFMA", true);

    /** Below this width the Vector API gains nothing over the scalar loops. */
    private static final int MIN_BITS = 128;

    private final String name;

    private PanamaKernels() {
        this.name = "vector-api-" + SPECIES.vectorBitSize();
    }

    /**
     * Called reflectively by {@link KernelSelection}: the kernels, or {@code null} when the preferred
     * species is too narrow to help.
     */
    static VectorKernels create() {
        if (SPECIES.vectorBitSize() < MIN_BITS) {
            return null;
        }
        return new PanamaKernels();
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public float dot(float[] a, int aOffset, float[] b, int bOffset, int length) {
        int i = 0;
        float sum = 0;
        int wide = length - length % (4 * LANES);
        if (wide > 0) {
            FloatVector acc0 = FloatVector.zero(SPECIES);
            FloatVector acc1 = FloatVector.zero(SPECIES);
            FloatVector acc2 = FloatVector.zero(SPECIES);
            FloatVector acc3 = FloatVector.zero(SPECIES);
            for (; i < wide; i += 4 * LANES) {
                acc0 = fma(load(a, aOffset + i), load(b, bOffset + i), acc0);
                acc1 = fma(load(a, aOffset + i + LANES), load(b, bOffset + i + LANES), acc1);
                acc2 = fma(load(a, aOffset + i + 2 * LANES), load(b, bOffset + i + 2 * LANES), acc2);
                acc3 = fma(load(a, aOffset + i + 3 * LANES), load(b, bOffset + i + 3 * LANES), acc3);
            }
            sum = acc0.add(acc1).add(acc2.add(acc3)).reduceLanes(VectorOperators.ADD);
        }
        int whole = length - length % LANES;
        if (i < whole) {
            FloatVector acc = FloatVector.zero(SPECIES);
            for (; i < whole; i += LANES) {
                acc = fma(load(a, aOffset + i), load(b, bOffset + i), acc);
            }
            sum += acc.reduceLanes(VectorOperators.ADD);
        }
        for (; i < length; i++) {
            sum += a[aOffset + i] * b[bOffset + i];
        }
        return sum;
    }

    @Override
    public float squaredEuclid(float[] a, int aOffset, float[] b, int bOffset, int length) {
        int i = 0;
        float sum = 0;
        int wide = length - length % (4 * LANES);
        if (wide > 0) {
            FloatVector acc0 = FloatVector.zero(SPECIES);
            FloatVector acc1 = FloatVector.zero(SPECIES);
            FloatVector acc2 = FloatVector.zero(SPECIES);
            FloatVector acc3 = FloatVector.zero(SPECIES);
            for (; i < wide; i += 4 * LANES) {
                FloatVector d0 = load(a, aOffset + i).sub(load(b, bOffset + i));
                FloatVector d1 = load(a, aOffset + i + LANES).sub(load(b, bOffset + i + LANES));
                FloatVector d2 = load(a, aOffset + i + 2 * LANES).sub(load(b, bOffset + i + 2 * LANES));
                FloatVector d3 = load(a, aOffset + i + 3 * LANES).sub(load(b, bOffset + i + 3 * LANES));
                acc0 = fma(d0, d0, acc0);
                acc1 = fma(d1, d1, acc1);
                acc2 = fma(d2, d2, acc2);
                acc3 = fma(d3, d3, acc3);
            }
            sum = acc0.add(acc1).add(acc2.add(acc3)).reduceLanes(VectorOperators.ADD);
        }
        int whole = length - length % LANES;
        if (i < whole) {
            FloatVector acc = FloatVector.zero(SPECIES);
            for (; i < whole; i += LANES) {
                FloatVector d = load(a, aOffset + i).sub(load(b, bOffset + i));
                acc = fma(d, d, acc);
            }
            sum += acc.reduceLanes(VectorOperators.ADD);
        }
        for (; i < length; i++) {
            float d = a[aOffset + i] - b[bOffset + i];
            sum += d * d;
        }
        return sum;
    }

    @Override
    public float manhattan(float[] a, int aOffset, float[] b, int bOffset, int length) {
        int i = 0;
        float sum = 0;
        int wide = length - length % (4 * LANES);
        if (wide > 0) {
            FloatVector acc0 = FloatVector.zero(SPECIES);
            FloatVector acc1 = FloatVector.zero(SPECIES);
            FloatVector acc2 = FloatVector.zero(SPECIES);
            FloatVector acc3 = FloatVector.zero(SPECIES);
            for (; i < wide; i += 4 * LANES) {
                acc0 = acc0.add(load(a, aOffset + i).sub(load(b, bOffset + i)).abs());
                acc1 = acc1.add(load(a, aOffset + i + LANES).sub(load(b, bOffset + i + LANES)).abs());
                acc2 = acc2.add(load(a, aOffset + i + 2 * LANES).sub(load(b, bOffset + i + 2 * LANES)).abs());
                acc3 = acc3.add(load(a, aOffset + i + 3 * LANES).sub(load(b, bOffset + i + 3 * LANES)).abs());
            }
            sum = acc0.add(acc1).add(acc2.add(acc3)).reduceLanes(VectorOperators.ADD);
        }
        int whole = length - length % LANES;
        if (i < whole) {
            FloatVector acc = FloatVector.zero(SPECIES);
            for (; i < whole; i += LANES) {
                acc = acc.add(load(a, aOffset + i).sub(load(b, bOffset + i)).abs());
            }
            sum += acc.reduceLanes(VectorOperators.ADD);
        }
        for (; i < length; i++) {
            sum += Math.abs(a[aOffset + i] - b[bOffset + i]);
        }
        return sum;
    }

    /*
     * Block kernels: four vectors at a time, so each slice of the query is loaded once for four products and
     * the four sums are independent dependency chains. Vectors left over (fewer than four) use the pair
     * kernels.
     */

    @Override
    public void dotBlock(float[] query, float[] block, int blockOffset, int count, float[] out, int outOffset) {
        int dim = query.length;
        int whole = dim - dim % LANES;
        int j = 0;
        for (; j + 4 <= count; j += 4) {
            int o0 = blockOffset + j * dim;
            int o1 = o0 + dim;
            int o2 = o1 + dim;
            int o3 = o2 + dim;
            FloatVector acc0 = FloatVector.zero(SPECIES);
            FloatVector acc1 = FloatVector.zero(SPECIES);
            FloatVector acc2 = FloatVector.zero(SPECIES);
            FloatVector acc3 = FloatVector.zero(SPECIES);
            for (int i = 0; i < whole; i += LANES) {
                FloatVector q = load(query, i);
                acc0 = fma(q, load(block, o0 + i), acc0);
                acc1 = fma(q, load(block, o1 + i), acc1);
                acc2 = fma(q, load(block, o2 + i), acc2);
                acc3 = fma(q, load(block, o3 + i), acc3);
            }
            float s0 = acc0.reduceLanes(VectorOperators.ADD);
            float s1 = acc1.reduceLanes(VectorOperators.ADD);
            float s2 = acc2.reduceLanes(VectorOperators.ADD);
            float s3 = acc3.reduceLanes(VectorOperators.ADD);
            for (int i = whole; i < dim; i++) {
                float q = query[i];
                s0 += q * block[o0 + i];
                s1 += q * block[o1 + i];
                s2 += q * block[o2 + i];
                s3 += q * block[o3 + i];
            }
            out[outOffset + j] = s0;
            out[outOffset + j + 1] = s1;
            out[outOffset + j + 2] = s2;
            out[outOffset + j + 3] = s3;
        }
        for (; j < count; j++) {
            out[outOffset + j] = dot(query, 0, block, blockOffset + j * dim, dim);
        }
    }

    @Override
    public void squaredEuclidBlock(float[] query, float[] block, int blockOffset, int count, float[] out,
            int outOffset) {
        int dim = query.length;
        int whole = dim - dim % LANES;
        int j = 0;
        for (; j + 4 <= count; j += 4) {
            int o0 = blockOffset + j * dim;
            int o1 = o0 + dim;
            int o2 = o1 + dim;
            int o3 = o2 + dim;
            FloatVector acc0 = FloatVector.zero(SPECIES);
            FloatVector acc1 = FloatVector.zero(SPECIES);
            FloatVector acc2 = FloatVector.zero(SPECIES);
            FloatVector acc3 = FloatVector.zero(SPECIES);
            for (int i = 0; i < whole; i += LANES) {
                FloatVector q = load(query, i);
                FloatVector d0 = q.sub(load(block, o0 + i));
                FloatVector d1 = q.sub(load(block, o1 + i));
                FloatVector d2 = q.sub(load(block, o2 + i));
                FloatVector d3 = q.sub(load(block, o3 + i));
                acc0 = fma(d0, d0, acc0);
                acc1 = fma(d1, d1, acc1);
                acc2 = fma(d2, d2, acc2);
                acc3 = fma(d3, d3, acc3);
            }
            float s0 = acc0.reduceLanes(VectorOperators.ADD);
            float s1 = acc1.reduceLanes(VectorOperators.ADD);
            float s2 = acc2.reduceLanes(VectorOperators.ADD);
            float s3 = acc3.reduceLanes(VectorOperators.ADD);
            for (int i = whole; i < dim; i++) {
                float q = query[i];
                float d0 = q - block[o0 + i];
                float d1 = q - block[o1 + i];
                float d2 = q - block[o2 + i];
                float d3 = q - block[o3 + i];
                s0 += d0 * d0;
                s1 += d1 * d1;
                s2 += d2 * d2;
                s3 += d3 * d3;
            }
            out[outOffset + j] = s0;
            out[outOffset + j + 1] = s1;
            out[outOffset + j + 2] = s2;
            out[outOffset + j + 3] = s3;
        }
        for (; j < count; j++) {
            out[outOffset + j] = squaredEuclid(query, 0, block, blockOffset + j * dim, dim);
        }
    }

    @Override
    public void manhattanBlock(float[] query, float[] block, int blockOffset, int count, float[] out, int outOffset) {
        int dim = query.length;
        int whole = dim - dim % LANES;
        int j = 0;
        for (; j + 4 <= count; j += 4) {
            int o0 = blockOffset + j * dim;
            int o1 = o0 + dim;
            int o2 = o1 + dim;
            int o3 = o2 + dim;
            FloatVector acc0 = FloatVector.zero(SPECIES);
            FloatVector acc1 = FloatVector.zero(SPECIES);
            FloatVector acc2 = FloatVector.zero(SPECIES);
            FloatVector acc3 = FloatVector.zero(SPECIES);
            for (int i = 0; i < whole; i += LANES) {
                FloatVector q = load(query, i);
                acc0 = acc0.add(q.sub(load(block, o0 + i)).abs());
                acc1 = acc1.add(q.sub(load(block, o1 + i)).abs());
                acc2 = acc2.add(q.sub(load(block, o2 + i)).abs());
                acc3 = acc3.add(q.sub(load(block, o3 + i)).abs());
            }
            float s0 = acc0.reduceLanes(VectorOperators.ADD);
            float s1 = acc1.reduceLanes(VectorOperators.ADD);
            float s2 = acc2.reduceLanes(VectorOperators.ADD);
            float s3 = acc3.reduceLanes(VectorOperators.ADD);
            for (int i = whole; i < dim; i++) {
                float q = query[i];
                s0 += Math.abs(q - block[o0 + i]);
                s1 += Math.abs(q - block[o1 + i]);
                s2 += Math.abs(q - block[o2 + i]);
                s3 += Math.abs(q - block[o3 + i]);
            }
            out[outOffset + j] = s0;
            out[outOffset + j + 1] = s1;
            out[outOffset + j + 2] = s2;
            out[outOffset + j + 3] = s3;
        }
        for (; j < count; j++) {
            out[outOffset + j] = manhattan(query, 0, block, blockOffset + j * dim, dim);
        }
    }

    private static FloatVector fma(FloatVector a, FloatVector b, FloatVector acc) {
        return FMA ? a.fma(b, acc) : a.mul(b).add(acc);
    }

    private static FloatVector load(float[] array, int offset) {
        return FloatVector.fromArray(SPECIES, array, offset);
    }
}
