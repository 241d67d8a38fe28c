package dev.qdrantedge.engine.vectors;

import static org.assertj.core.api.Assertions.assertThat;

import dev.qdrantedge.engine.compat.ReferenceEngine;
import dev.qdrantedge.engine.compat.ReferenceShard;
import dev.qdrantedge.engine.vectors.VectorPreprocessing.SimdPath;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Vectors preprocessed in Java equal, bit for bit, what the reference engine stores for the same raw
 * vectors (scenario {@code preprocess-vectors}), plus the conversions' edge cases that JSON answers cannot
 * carry (NaN, infinities).
 */
class VectorPreprocessingTest {

    private static final String SCENARIO = "preprocess-vectors";

    /** The stored vectors of every point by id, then vector name. */
    private static Map<Long, JsonNode> referencePoints;
    private static JsonNode scenario;

    private record VectorConfig(Distance distance, VectorDatatype datatype, boolean multi, int size) {
    }

    @BeforeAll
    static void buildReference() {
        // scenario.json is read even without the reference engine, but the comparisons need its answers
        scenario = readScenario();
    }

    private static void requireReference() {
        if (referencePoints != null) {
            return;
        }
        ReferenceShard shard = ReferenceEngine.require().build(SCENARIO);
        Map<Long, JsonNode> points = new HashMap<>();
        for (JsonNode point : shard.answers().points()) {
            points.put(point.get("id").asLong(), point.get("vector"));
        }
        referencePoints = points;
    }

    // ---------------------------------------------------------------------------------------------
    // against the reference engine

    @Test
    void denseAndMultiVectorsAreStoredExactlyAsPreprocessedInJava() {
        requireReference();
        Map<String, VectorConfig> configs = vectorConfigs();
        List<String> mismatches = new ArrayList<>();
        int vectors = 0;
        Map<String, Integer> perConfig = new HashMap<>();
        for (RawVector raw : rawVectors()) {
            VectorConfig config = configs.get(raw.name());
            if (config == null) {
                continue; // sparse
            }
            JsonNode stored = referencePoints.get(raw.id()).get(raw.name());
            assertThat(stored).as("point %d vector '%s' stored", raw.id(), raw.name()).isNotNull();
            if (config.multi()) {
                float[][] expected = VectorPreprocessing.preprocess(config.distance(), config.datatype(),
                        toFloatMatrix(raw.value()));
                assertThat(stored.size()).as("point %d '%s' inner vectors", raw.id(), raw.name())
                        .isEqualTo(expected.length);
                for (int i = 0; i < expected.length; i++) {
                    compare(raw.id() + "/" + raw.name() + "[" + i + "]", expected[i], stored.get(i), mismatches);
                    vectors++;
                }
            } else {
                float[] expected = VectorPreprocessing.preprocess(config.distance(), config.datatype(),
                        toFloats(raw.value()));
                compare(raw.id() + "/" + raw.name(), expected, stored, mismatches);
                vectors++;
            }
            perConfig.merge(config.distance() + "/" + config.datatype() + (config.multi() ? "/multi" : ""), 1,
                    Integer::sum);
        }
        assertThat(mismatches).as("vectors that differ from the reference engine's").isEmpty();
        assertThat(vectors).isGreaterThan(300);
        for (Distance distance : Distance.values()) {
            for (VectorDatatype datatype : VectorDatatype.values()) {
                assertThat(perConfig).as("vectors compared").containsKey(distance + "/" + datatype);
            }
        }
        assertThat(perConfig).containsKeys("COSINE/FLOAT32/multi", "COSINE/FLOAT16/multi", "COSINE/UINT8/multi",
                "DOT/UINT8/multi", "EUCLID/FLOAT16/multi");
    }

    @Test
    void cosineDimensionsCoverEverySummingPathAndEachOneMatters() {
        requireReference();
        Map<String, VectorConfig> configs = vectorConfigs();
        // vectors whose stored form only the emulated path reproduces, not a neighbouring one
        int avxNotSse = 0;
        int avxNotScalar = 0;
        int sseNotScalar = 0;
        int avxMultipliesNotDivides = 0;
        int sseDividesNotMultiplies = 0;
        int scalarDividesNotMultiplies = 0;
        List<Integer> dimensions = new ArrayList<>();
        for (RawVector raw : rawVectors()) {
            VectorConfig config = configs.get(raw.name());
            if (config == null || config.multi() || config.distance() != Distance.COSINE
                    || config.datatype() != VectorDatatype.FLOAT32) {
                continue;
            }
            if (!dimensions.contains(config.size())) {
                dimensions.add(config.size());
            }
            float[] input = toFloats(raw.value());
            int[] stored = bits(toFloats(referencePoints.get(raw.id()).get(raw.name())));
            int[] sse = bits(VectorPreprocessing.preprocess(Distance.COSINE, VectorDatatype.FLOAT32, input,
                    SimdPath.SSE));
            int[] scalar = bits(VectorPreprocessing.preprocess(Distance.COSINE, VectorDatatype.FLOAT32, input,
                    SimdPath.SCALAR));
            SimdPath path = VectorPreprocessing.effectivePath(SimdPath.AVX_FMA, input.length);
            boolean multiplyWouldDiffer = !Arrays.equals(bits(scaled(input, path, true)), stored);
            boolean divideWouldDiffer = !Arrays.equals(bits(scaled(input, path, false)), stored);
            switch (path) {
                case AVX_FMA:
                    avxNotSse += Arrays.equals(sse, stored) ? 0 : 1;
                    avxNotScalar += Arrays.equals(scalar, stored) ? 0 : 1;
                    avxMultipliesNotDivides += divideWouldDiffer ? 1 : 0;
                    assertThat(multiplyWouldDiffer).isFalse();
                    break;
                case SSE:
                    sseNotScalar += Arrays.equals(scalar, stored) ? 0 : 1;
                    sseDividesNotMultiplies += multiplyWouldDiffer ? 1 : 0;
                    assertThat(divideWouldDiffer).isFalse();
                    break;
                default:
                    assertThat(sse).isEqualTo(scalar); // below 16 elements every path is the scalar one
                    scalarDividesNotMultiplies += multiplyWouldDiffer ? 1 : 0;
                    assertThat(divideWouldDiffer).isFalse();
            }
        }
        assertThat(dimensions).contains(1, 3, 7, 8, 15, 16, 17, 31, 32, 33, 100, 384, 1536);
        assertThat(avxNotSse).as("vectors of 32+ elements the SSE order gets wrong").isPositive();
        assertThat(avxNotScalar).as("vectors of 32+ elements the scalar order gets wrong").isPositive();
        assertThat(sseNotScalar).as("vectors of 16 to 31 elements the scalar order gets wrong").isPositive();
        assertThat(avxMultipliesNotDivides).as("AVX: dividing by the length would be wrong").isPositive();
        assertThat(sseDividesNotMultiplies).as("SSE: multiplying by the reciprocal would be wrong").isPositive();
        assertThat(scalarDividesNotMultiplies).as("scalar: multiplying by the reciprocal would be wrong")
                .isPositive();
    }

    /** Normalization with the path's sum of squares, by reciprocal multiplication or by division. */
    private static float[] scaled(float[] input, SimdPath path, boolean multiply) {
        float sum = VectorPreprocessing.sumOfSquares(input, path);
        if (sum < 0x1p-23f || Math.abs(sum - 1f) <= 1e-6f) {
            return input.clone();
        }
        float length = (float) Math.sqrt(sum);
        float inverse = 1f / length;
        float[] result = new float[input.length];
        for (int i = 0; i < input.length; i++) {
            result[i] = multiply ? input[i] * inverse : input[i] / length;
        }
        return result;
    }

    @Test
    void sparseVectorsAreSortedByIndexWithTheirValues() {
        requireReference();
        int compared = 0;
        for (RawVector raw : rawVectors()) {
            if (!raw.name().equals("sparse")) {
                continue;
            }
            SparseVector expected = VectorPreprocessing.preprocess(toSparse(raw.value()));
            SparseVector stored = toSparse(referencePoints.get(raw.id()).get("sparse"));
            assertThat(expected.indices()).as("point %d indices", raw.id()).isEqualTo(stored.indices());
            assertThat(bits(expected.values())).as("point %d values", raw.id()).isEqualTo(bits(stored.values()));
            compared++;
        }
        assertThat(compared).isEqualTo(5);
    }

    // ---------------------------------------------------------------------------------------------
    // semantics the JSON answers cannot show (non-finite results), observed with the reference engine

    @Test
    void cosineWithNanOrInfinityFollowsFloatArithmetic() {
        float nan = Float.NaN;
        float inf = Float.POSITIVE_INFINITY;
        assertThat(VectorPreprocessing.preprocess(Distance.COSINE, VectorDatatype.FLOAT32, new float[] {nan, 1, 2, 3}))
                .containsExactly(nan, nan, nan, nan);
        assertThat(VectorPreprocessing.preprocess(Distance.COSINE, VectorDatatype.FLOAT32, new float[] {inf, 1, 2, 3}))
                .containsExactly(nan, 0f, 0f, 0f);
        assertThat(VectorPreprocessing.preprocess(Distance.DOT, VectorDatatype.FLOAT32, new float[] {nan, 1}))
                .containsExactly(nan, 1f);
    }

    @Test
    void uint8SaturatesTruncatesAndMapsNanToZero() {
        assertThat(VectorPreprocessing.preprocess(Distance.DOT, VectorDatatype.UINT8,
                new float[] {Float.NaN, 1e10f, -1e10f, 0.99f, Float.POSITIVE_INFINITY, Float.NEGATIVE_INFINITY,
                    -0.0f, 254.999f, 255f, 256f}))
                .containsExactly(0f, 255f, 0f, 0f, 255f, 0f, 0f, 254f, 255f, 255f);
        // no normalization for uint8 Cosine
        assertThat(VectorPreprocessing.preprocess(Distance.COSINE, VectorDatatype.UINT8, new float[] {-3.7f, 255.9f, 256f, 12.5f}))
                .containsExactly(0f, 255f, 255f, 12f);
        assertThat(VectorPreprocessing.toUint8(Float.MIN_VALUE)).isZero();
    }

    @Test
    void float16OverflowGivesInfinity() {
        assertThat(VectorPreprocessing.preprocess(Distance.DOT, VectorDatatype.FLOAT16,
                new float[] {1e-8f, 65520f, -65519f, 6e-8f, 70000f, Float.NEGATIVE_INFINITY}))
                .containsExactly(0f, Float.POSITIVE_INFINITY, -65504f, 0x1p-24f, Float.POSITIVE_INFINITY,
                        Float.NEGATIVE_INFINITY);
        // Cosine normalizes before converting: 70000 alone would overflow, normalized it is about 1
        assertThat(VectorPreprocessing.preprocess(Distance.COSINE, VectorDatatype.FLOAT16, new float[] {1, 2, 3, 70000}))
                .containsExactly(1.430511474609375e-05f, 2.855062484741211e-05f, 4.285573959350586e-05f, 1.0f);
    }

    // ---------------------------------------------------------------------------------------------
    // Float16.fromFloat

    @Test
    void float16FromFloatRoundTripsEveryHalf() {
        for (int h = 0; h < 0x10000; h++) {
            float f = Float16.toFloat((short) h);
            short back = Float16.fromFloat(f);
            if (Float.isNaN(f)) {
                // quiet NaN with the same sign and payload; signalling halves come back quiet
                assertThat(back & 0xFFFF).as("NaN %04x", h).isEqualTo(h | 0x0200);
            } else {
                assertThat(back & 0xFFFF).as("half %04x", h).isEqualTo(h);
            }
        }
    }

    @Test
    void float16FromFloatRoundsToNearestTiesToEven() {
        for (int h = 0; h < 0x7C00; h++) { // every finite non-negative half and the next one up
            float low = Float16.toFloat((short) h);
            float high = h + 1 == 0x7C00 ? 65536f : Float16.toFloat((short) (h + 1));
            float mid = (low + high) / 2; // exact: halves have 11 significant bits, floats 24
            int even = (h & 1) == 0 ? h : h + 1;
            assertThat(Float16.fromFloat(mid) & 0xFFFF).as("midpoint above %04x", h).isEqualTo(even);
            assertThat(Float16.fromFloat(Math.nextDown(mid)) & 0xFFFF).as("below midpoint %04x", h).isEqualTo(h);
            assertThat(Float16.fromFloat(Math.nextUp(mid)) & 0xFFFF).as("above midpoint %04x", h).isEqualTo(h + 1);
            assertThat(Float16.fromFloat(-mid) & 0xFFFF).isEqualTo(even | 0x8000);
        }
        assertThat(Float16.fromFloat(0x1p-25f)).isEqualTo((short) 0);
        assertThat(Float16.fromFloat(Float.MIN_VALUE)).isEqualTo((short) 0);
        assertThat(Float16.fromFloat(-Float.MIN_VALUE)).isEqualTo((short) 0x8000);
        assertThat(Float16.fromFloat(Float.MAX_VALUE)).isEqualTo((short) 0x7C00);
        assertThat(Float16.fromFloat(Float.NEGATIVE_INFINITY)).isEqualTo((short) 0xFC00);
        assertThat(Float16.fromFloat(Float.intBitsToFloat(0x7F80_0001))).isEqualTo((short) 0x7E00);
        assertThat(Float16.fromFloat(Float.intBitsToFloat(0xFFC0_2000))).isEqualTo((short) 0xFE01);
    }

    @Test
    void float16FromFloatMatchesExactRoundingOnRandomFloats() {
        Random random = new Random(5);
        for (int i = 0; i < 200_000; i++) {
            float f = Float.intBitsToFloat(random.nextInt());
            if (Float.isNaN(f) || Math.abs(f) >= 65520f) {
                continue;
            }
            float rounded = Float16.toFloat(Float16.fromFloat(f));
            // no half is strictly closer, and on a tie the chosen one has an even significand
            short h = Float16.fromFloat(f);
            double error = Math.abs((double) rounded - f);
            for (int neighbour : new int[] {(h & 0xFFFF) - 1, (h & 0xFFFF) + 1}) {
                if ((neighbour & 0x7FFF) >= 0x7C00 || neighbour < 0 || neighbour > 0xFFFF) {
                    continue;
                }
                double other = Math.abs((double) Float16.toFloat((short) neighbour) - f);
                assertThat(error).as("float %s", f).isLessThanOrEqualTo(other);
                if (error == other && ((h ^ neighbour) & 0x8000) == 0) {
                    assertThat(h & 1).as("tie at %s", f).isZero();
                }
            }
        }
    }

    // ---------------------------------------------------------------------------------------------
    // Cosine details

    @Test
    void zeroAndAlreadyNormalizedVectorsAreLeftAlone() {
        float[] zero = {0f, -0f, 0f};
        assertThat(bits(VectorPreprocessing.preprocess(Distance.COSINE, VectorDatatype.FLOAT32, zero)))
                .isEqualTo(bits(zero));
        float[] underflow = {1e-30f, -1e-30f};
        assertThat(VectorPreprocessing.preprocess(Distance.COSINE, VectorDatatype.FLOAT32, underflow))
                .containsExactly(underflow);
        float[] nearlyUnit = {0.6f, 0.8000002f};
        assertThat(VectorPreprocessing.preprocess(Distance.COSINE, VectorDatatype.FLOAT32, nearlyUnit))
                .containsExactly(nearlyUnit);
        assertThat(VectorPreprocessing.preprocess(Distance.COSINE, VectorDatatype.FLOAT32, new float[] {3, 4}))
                .containsExactly(0.6f, 0.8f);
    }

    @Test
    void preprocessingNeverModifiesItsInput() {
        float[] raw = {3, 4, 12};
        float[][] multi = {{3, 4}, {0, 5}};
        SparseVector sparse = new SparseVector(new int[] {3, 1}, new float[] {1f, 2f});
        VectorPreprocessing.preprocess(Distance.COSINE, VectorDatatype.FLOAT32, raw);
        VectorPreprocessing.preprocess(Distance.COSINE, VectorDatatype.FLOAT16, multi);
        SparseVector sorted = VectorPreprocessing.preprocess(sparse);
        assertThat(raw).containsExactly(3, 4, 12);
        assertThat(multi[0]).containsExactly(3, 4);
        assertThat(sparse.indices()).containsExactly(3, 1);
        assertThat(sorted).isEqualTo(new SparseVector(new int[] {1, 3}, new float[] {2f, 1f}));
    }

    @Test
    void sparseSortIsUnsignedAndKeepsDuplicatesInInputOrder() {
        SparseVector sorted = VectorPreprocessing.preprocess(new SparseVector(
                new int[] {-1, 5, 2, 2, Integer.MIN_VALUE}, new float[] {1f, 2f, 3f, 4f, 5f}));
        assertThat(sorted.indices()).containsExactly(2, 2, 5, Integer.MIN_VALUE, -1);
        assertThat(sorted.values()).containsExactly(3f, 4f, 2f, 5f, 1f);
    }

    @Test
    void multiDenseVectorOverloadPreprocessesEachInnerVector() {
        MultiDenseVector result = VectorPreprocessing.preprocess(Distance.COSINE, VectorDatatype.FLOAT32,
                new MultiDenseVector(new float[][] {{3, 4}, {0, 0}}));
        assertThat(result).isEqualTo(new MultiDenseVector(new float[][] {{0.6f, 0.8f}, {0, 0}}));
    }

    // ---------------------------------------------------------------------------------------------
    // scenario and answer reading

    private record RawVector(long id, String name, JsonNode value) {
    }

    private static List<RawVector> rawVectors() {
        List<RawVector> result = new ArrayList<>();
        for (JsonNode op : scenario.get("operations")) {
            assertThat(op.get("op").asString()).isEqualTo("upsert");
            for (JsonNode point : op.get("points")) {
                long id = point.get("id").asLong();
                for (Map.Entry<String, JsonNode> entry : point.get("vector").properties()) {
                    result.add(new RawVector(id, entry.getKey(), entry.getValue()));
                }
            }
        }
        return result;
    }

    private static Map<String, VectorConfig> vectorConfigs() {
        Map<String, VectorConfig> configs = new HashMap<>();
        for (Map.Entry<String, JsonNode> entry : scenario.get("config").get("vectors").properties()) {
            JsonNode v = entry.getValue();
            configs.put(entry.getKey(), new VectorConfig(Distance.fromJson(v.get("distance").asString()),
                    v.has("datatype") ? VectorDatatype.fromJson(v.get("datatype").asString()) : VectorDatatype.FLOAT32,
                    v.has("multivector") && v.get("multivector").asBoolean(), v.get("size").asInt()));
        }
        return configs;
    }

    private static JsonNode readScenario() {
        for (Path dir = Path.of("").toAbsolutePath(); dir != null; dir = dir.getParent()) {
            Path file = dir.resolve("compat/scenarios/" + SCENARIO + ".json");
            if (Files.isRegularFile(file)) {
                return JsonMapper.builder().build().readTree(file.toFile());
            }
        }
        throw new IllegalStateException("compat/scenarios/" + SCENARIO + ".json not found");
    }

    /** JSON numbers as the reference harness hands them to the engine: parsed as double, rounded to float. */
    private static float[] toFloats(JsonNode array) {
        float[] result = new float[array.size()];
        for (int i = 0; i < result.length; i++) {
            result[i] = (float) array.get(i).asDouble();
        }
        return result;
    }

    private static float[][] toFloatMatrix(JsonNode rows) {
        float[][] result = new float[rows.size()][];
        for (int i = 0; i < result.length; i++) {
            result[i] = toFloats(rows.get(i));
        }
        return result;
    }

    private static SparseVector toSparse(JsonNode node) {
        JsonNode indices = node.get("indices");
        int[] idx = new int[indices.size()];
        for (int i = 0; i < idx.length; i++) {
            idx[i] = (int) indices.get(i).asLong();
        }
        return new SparseVector(idx, toFloats(node.get("values")));
    }

    private static int[] bits(float[] values) {
        int[] result = new int[values.length];
        for (int i = 0; i < values.length; i++) {
            result[i] = Float.floatToIntBits(values[i]);
        }
        return result;
    }

    private static void compare(String what, float[] expected, JsonNode stored, List<String> mismatches) {
        float[] actual = toFloats(stored);
        if (actual.length != expected.length) {
            mismatches.add(what + ": " + actual.length + " elements stored, " + expected.length + " expected");
            return;
        }
        for (int i = 0; i < expected.length; i++) {
            if (Float.floatToIntBits(expected[i]) != Float.floatToIntBits(actual[i])) {
                mismatches.add(what + "[" + i + "]: stored " + actual[i] + " (" + Integer.toHexString(
                        Float.floatToIntBits(actual[i])) + "), Java " + expected[i] + " ("
                        + Integer.toHexString(Float.floatToIntBits(expected[i])) + ")");
                return;
            }
        }
    }
}
