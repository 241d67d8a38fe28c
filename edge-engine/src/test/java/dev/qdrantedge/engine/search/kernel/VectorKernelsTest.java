package dev.qdrantedge.engine.search.kernel;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.SplittableRandom;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every kernel implementation the JVM offers (the scalar one always, the Vector API one when the module is
 * present, which the build requires) against a double-precision reference, for lengths 1 to 1000 and arrays
 * that hold the operands at arbitrary offsets between NaN padding (so a read outside the operands shows).
 */
class VectorKernelsTest {

    private static final float EPS = Math.ulp(1.0f);
    private static final int MAX_LENGTH = 1000;

    /** Set by the build, which runs the tests with the module: then a missing Vector API is a failure. */
    private static final boolean VECTOR_API_REQUIRED = Boolean.getBoolean("qdrant.edge.test.requireVectorApi");

    enum Metric {
        DOT, SQUARED_EUCLID, MANHATTAN
    }

    static Stream<Arguments> kernels() {
        List<Arguments> all = new ArrayList<>();
        all.add(Arguments.of(VectorKernels.scalar()));
        VectorKernels.vectorApi().ifPresent(k -> all.add(Arguments.of(k)));
        return all.stream();
    }

    @Test
    void vectorApiKernelsArePresentWhenTheBuildRequiresThem() {
        Optional<VectorKernels> vectorApi = VectorKernels.vectorApi();
        if (VECTOR_API_REQUIRED) {
            assertThat(vectorApi).as("the test JVM runs with --add-modules jdk.incubator.vector").isPresent();
        }
        vectorApi.ifPresent(k -> {
            assertThat(k.name()).matches("vector-api-\\d+");
            assertThat(VectorKernels.get()).as("selected by default").isSameAs(k);
        });
        assertThat(VectorKernels.scalar().name()).isEqualTo("scalar");
    }

    @Test
    void propertyForcesScalarKernels() {
        assertThat(KernelSelection.select("scalar")).isSameAs(VectorKernels.scalar());
        assertThat(KernelSelection.select(" Scalar ")).isSameAs(VectorKernels.scalar());
        VectorKernels auto = VectorKernels.vectorApi().orElse(VectorKernels.scalar());
        assertThat(KernelSelection.select("auto")).isSameAs(auto);
        assertThat(KernelSelection.select("no-such-kernels")).as("unknown values mean auto").isSameAs(auto);
    }

    @ParameterizedTest
    @MethodSource("kernels")
    void pairKernelsMatchDoublePrecisionForEveryLength(VectorKernels kernels) {
        SplittableRandom random = new SplittableRandom(0x5EED);
        for (int length = 1; length <= MAX_LENGTH; length++) {
            Operands ops = Operands.random(random, length);
            for (Metric metric : Metric.values()) {
                double[] reference = reference(metric, ops.a, ops.aOffset, ops.b, ops.bOffset, length);
                float actual = pair(kernels, metric, ops.a, ops.aOffset, ops.b, ops.bOffset, length);
                assertThat((double) actual)
                        .as("%s %s, length %d", kernels.name(), metric, length)
                        .isCloseTo(reference[0], within(tolerance(length, reference[1])));
            }
        }
    }

    /**
     * Small integers make every product and partial sum exact in float, so any summation order must give the
     * exact answer: a skipped, repeated or misplaced element cannot hide inside the rounding tolerance.
     */
    @ParameterizedTest
    @MethodSource("kernels")
    void pairKernelsAreExactOnSmallIntegers(VectorKernels kernels) {
        SplittableRandom random = new SplittableRandom(17);
        for (int length = 1; length <= MAX_LENGTH; length++) {
            Operands ops = Operands.integers(random, length);
            for (Metric metric : Metric.values()) {
                double expected = reference(metric, ops.a, ops.aOffset, ops.b, ops.bOffset, length)[0];
                float actual = pair(kernels, metric, ops.a, ops.aOffset, ops.b, ops.bOffset, length);
                assertThat((double) actual).as("%s %s, length %d", kernels.name(), metric, length)
                        .isEqualTo(expected);
            }
        }
    }

    @ParameterizedTest
    @MethodSource("kernels")
    void blockKernelsScoreEveryVectorOfTheBlock(VectorKernels kernels) {
        SplittableRandom random = new SplittableRandom(99);
        int[] dims = {1, 2, 3, 7, 8, 15, 16, 17, 31, 33, 63, 64, 65, 100, 127, 128, 129, 255, 384, 385, 768, 1000};
        for (int dim : dims) {
            for (int count = 0; count <= 13; count++) {
                float[] query = gaussians(random, dim);
                int blockOffset = random.nextInt(40);
                float[] block = new float[blockOffset + count * dim + random.nextInt(40)];
                Arrays.fill(block, Float.NaN);
                for (int i = 0; i < count * dim; i++) {
                    block[blockOffset + i] = (float) gaussian(random);
                }
                int outOffset = random.nextInt(5);
                for (Metric metric : Metric.values()) {
                    float[] out = new float[outOffset + count + 3];
                    Arrays.fill(out, -12345f);
                    block(kernels, metric, query, block, blockOffset, count, out, outOffset);
                    for (int j = 0; j < out.length; j++) {
                        if (j < outOffset || j >= outOffset + count) {
                            assertThat(out[j]).as("untouched output slot %d", j).isEqualTo(-12345f);
                            continue;
                        }
                        int vector = blockOffset + (j - outOffset) * dim;
                        double[] reference = reference(metric, query, 0, block, vector, dim);
                        assertThat((double) out[j])
                                .as("%s %s block, dim %d, count %d, vector %d", kernels.name(), metric, dim, count,
                                        j - outOffset)
                                .isCloseTo(reference[0], within(tolerance(dim, reference[1])));
                    }
                }
            }
        }
    }

    @ParameterizedTest
    @MethodSource("kernels")
    void blockKernelsAreExactOnSmallIntegers(VectorKernels kernels) {
        SplittableRandom random = new SplittableRandom(5);
        for (int dim = 1; dim <= 130; dim++) {
            int count = 1 + random.nextInt(9);
            float[] query = integers(random, dim);
            float[] block = integers(random, count * dim);
            for (Metric metric : Metric.values()) {
                float[] out = new float[count];
                block(kernels, metric, query, block, 0, count, out, 0);
                for (int j = 0; j < count; j++) {
                    assertThat((double) out[j]).as("%s %s block, dim %d, vector %d", kernels.name(), metric, dim, j)
                            .isEqualTo(reference(metric, query, 0, block, j * dim, dim)[0]);
                }
            }
        }
    }

    @Test
    void vectorApiAndScalarKernelsAgreeOnEmbeddingSizedVectors() {
        VectorKernels scalar = VectorKernels.scalar();
        VectorKernels vector = VectorKernels.vectorApi().orElse(scalar);
        SplittableRandom random = new SplittableRandom(384);
        for (int dim : new int[] {128, 384, 768, 1536}) {
            float[] a = gaussians(random, dim);
            float[] b = gaussians(random, dim);
            for (Metric metric : Metric.values()) {
                double[] reference = reference(metric, a, 0, b, 0, dim);
                float s = pair(scalar, metric, a, 0, b, 0, dim);
                float v = pair(vector, metric, a, 0, b, 0, dim);
                assertThat((double) v).as("%s dim %d", metric, dim)
                        .isCloseTo(s, within(2 * tolerance(dim, reference[1])));
            }
        }
    }

    /**
     * Bound on the rounding error of a float sum of {@code n} terms computed in any order, with the terms
     * themselves rounded (products, differences): a few units in the last place per term, relative to the sum
     * of the terms' magnitudes.
     */
    private static double tolerance(int n, double sumOfMagnitudes) {
        return (n + 3) * (double) EPS * sumOfMagnitudes + Float.MIN_NORMAL;
    }

    /** {value, sum of the magnitudes of the terms}, in double precision from the float operands. */
    private static double[] reference(Metric metric, float[] a, int aOffset, float[] b, int bOffset, int length) {
        double sum = 0;
        double magnitudes = 0;
        for (int i = 0; i < length; i++) {
            double x = a[aOffset + i];
            double y = b[bOffset + i];
            double term;
            switch (metric) {
                case DOT:
                    term = x * y;
                    break;
                case SQUARED_EUCLID:
                    term = (x - y) * (x - y);
                    break;
                default:
                    term = Math.abs(x - y);
                    break;
            }
            sum += term;
            magnitudes += Math.abs(term);
        }
        return new double[] {sum, magnitudes};
    }

    private static float pair(VectorKernels k, Metric metric, float[] a, int aOffset, float[] b, int bOffset,
            int length) {
        switch (metric) {
            case DOT:
                return k.dot(a, aOffset, b, bOffset, length);
            case SQUARED_EUCLID:
                return k.squaredEuclid(a, aOffset, b, bOffset, length);
            default:
                return k.manhattan(a, aOffset, b, bOffset, length);
        }
    }

    private static void block(VectorKernels k, Metric metric, float[] query, float[] block, int blockOffset,
            int count, float[] out, int outOffset) {
        switch (metric) {
            case DOT:
                k.dotBlock(query, block, blockOffset, count, out, outOffset);
                break;
            case SQUARED_EUCLID:
                k.squaredEuclidBlock(query, block, blockOffset, count, out, outOffset);
                break;
            default:
                k.manhattanBlock(query, block, blockOffset, count, out, outOffset);
                break;
        }
    }

    private static double gaussian(SplittableRandom random) {
        // Box-Muller; SplittableRandom has no nextGaussian on Java 17.
        double u = 1.0 - random.nextDouble();
        double v = random.nextDouble();
        return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * v);
    }

    private static float[] gaussians(SplittableRandom random, int n) {
        float[] values = new float[n];
        for (int i = 0; i < n; i++) {
            values[i] = (float) gaussian(random);
        }
        return values;
    }

    private static float[] integers(SplittableRandom random, int n) {
        float[] values = new float[n];
        for (int i = 0; i < n; i++) {
            values[i] = random.nextInt(-8, 9);
        }
        return values;
    }

    /** Two operands of one length placed at random offsets in arrays padded with NaN. */
    private static final class Operands {
        final float[] a;
        final int aOffset;
        final float[] b;
        final int bOffset;

        private Operands(float[] a, int aOffset, float[] b, int bOffset) {
            this.a = a;
            this.aOffset = aOffset;
            this.b = b;
            this.bOffset = bOffset;
        }

        static Operands random(SplittableRandom random, int length) {
            return place(random, gaussians(random, length), gaussians(random, length));
        }

        static Operands integers(SplittableRandom random, int length) {
            return place(random, VectorKernelsTest.integers(random, length), VectorKernelsTest.integers(random, length));
        }

        private static Operands place(SplittableRandom random, float[] x, float[] y) {
            int aOffset = random.nextInt(20);
            int bOffset = random.nextInt(20);
            float[] a = padded(x, aOffset, random.nextInt(20));
            float[] b = padded(y, bOffset, random.nextInt(20));
            return new Operands(a, aOffset, b, bOffset);
        }

        private static float[] padded(float[] values, int before, int after) {
            float[] array = new float[before + values.length + after];
            Arrays.fill(array, Float.NaN);
            System.arraycopy(values, 0, array, before, values.length);
            return array;
        }
    }
}
