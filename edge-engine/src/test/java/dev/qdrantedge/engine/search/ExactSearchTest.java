package dev.qdrantedge.engine.search;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.qdrantedge.engine.config.EdgeConfig;
import dev.qdrantedge.engine.config.SparseVectorParams;
import dev.qdrantedge.engine.config.VectorParams;
import dev.qdrantedge.engine.filter.Filter;
import dev.qdrantedge.engine.filter.FilterParser;
import dev.qdrantedge.engine.filter.JsonPath;
import dev.qdrantedge.engine.idtracker.PointId;
import dev.qdrantedge.engine.vectors.DenseVector;
import dev.qdrantedge.engine.vectors.Distance;
import dev.qdrantedge.engine.vectors.MultiDenseVector;
import dev.qdrantedge.engine.vectors.SparseVector;
import dev.qdrantedge.engine.vectors.VectorDatatype;
import dev.qdrantedge.engine.vectors.VectorValue;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

/** Exact search on small hand-made sources: scores, thresholds, offsets, vector kinds and errors. */
class ExactSearchTest {

    private static final JsonMapper JSON = JsonMapper.builder().build();

    @Test
    void euclidAndManhattanReportDistancesAndOrderNearestFirst() {
        Part part = new Part().add(1, "v", dense(0, 0)).add(2, "v", dense(3, 4)).add(3, "v", dense(1, 1));
        List<ScoredPoint> l2 = search(part, params(2, Distance.EUCLID), "v", dense(0, 0), 3);
        assertThat(ids(l2)).containsExactly(1L, 3L, 2L);
        assertThat(scores(l2)).containsExactly(0f, (float) Math.sqrt(2), 5f);

        List<ScoredPoint> l1 = search(part, params(2, Distance.MANHATTAN), "v", dense(0, 0), 3);
        assertThat(scores(l1)).containsExactly(0f, 2f, 7f);
        List<ScoredPoint> dot = search(part, params(2, Distance.DOT), "v", dense(1, 1), 3);
        assertThat(ids(dot)).containsExactly(2L, 3L, 1L);
        assertThat(scores(dot)).containsExactly(7f, 2f, 0f);
    }

    @Test
    void cosineNormalizesTheQueryAndThresholdsAreStrict() {
        Part part = new Part().add(1, "v", dense(1, 0)).add(2, "v", dense(0, 1)).add(3, "v",
                dense((float) Math.sqrt(0.5), (float) Math.sqrt(0.5)));
        EdgeConfig config = params(2, Distance.COSINE);
        List<ScoredPoint> all = search(part, config, "v", dense(10, 0), 3);
        assertThat(ids(all)).containsExactly(1L, 3L, 2L);
        assertThat(all.get(0).score()).isEqualTo(1.0f);

        SearchRequest atScore = SearchRequest.of("v", dense(10, 0), 3).withScoreThreshold(all.get(1).score());
        assertThat(ids(ExactSearch.search(part, config, atScore))).containsExactly(1L);

        Part near = new Part().add(1, "v", dense(0, 0)).add(2, "v", dense(3, 4)).add(3, "v", dense(0, 2));
        SearchRequest distance = SearchRequest.of("v", dense(0, 0), 3).withScoreThreshold(2.0f);
        assertThat(ids(ExactSearch.search(near, params(2, Distance.EUCLID), distance))).containsExactly(1L);
        SearchRequest offset = SearchRequest.of("v", dense(0, 0), 2).withOffset(1);
        assertThat(ids(ExactSearch.search(near, params(2, Distance.EUCLID), offset))).containsExactly(3L, 2L);
    }

    @Test
    void uint8VectorsScoreInExactIntegerArithmetic() {
        VectorParams cos = new VectorParams(3, Distance.COSINE, VectorDatatype.UINT8, false, null);
        Part part = new Part().add(1, "b", dense(1, 2, 3)).add(2, "b", dense(0, 0, 0)).add(3, "b", dense(255, 0, 7));
        List<ScoredPoint> hits = ExactSearch.search(part, new EdgeConfig(Map.of("b", cos), Map.of()),
                SearchRequest.of("b", dense(3.9f, -5, 300), 3));
        // the query becomes (3, 0, 255) as Rust's `as u8` converts it
        assertThat(ids(hits)).containsExactly(1L, 3L, 2L);
        float expected1 = (float) 768 / (float) Math.sqrt((float) 65034 * (float) 14);
        assertThat(hits.get(0).score()).isEqualTo(expected1);
        assertThat(hits.get(2).score()).isZero();

        // long vectors (over 258 elements) sum in long: the same scores as the float kernels where both are exact
        int dim = 300;
        float[] a = new float[dim];
        float[] b = new float[dim];
        for (int i = 0; i < dim; i++) {
            a[i] = 255;
            b[i] = i % 256;
        }
        VectorParams l2 = new VectorParams(dim, Distance.EUCLID, VectorDatatype.UINT8, false, null);
        List<ScoredPoint> far = ExactSearch.search(new Part().add(1, "b", new DenseVector(b)),
                new EdgeConfig(Map.of("b", l2), Map.of()), SearchRequest.of("b", new DenseVector(a), 1));
        long sum = 0;
        for (int i = 0; i < dim; i++) {
            sum += (long) (255 - i % 256) * (255 - i % 256);
        }
        assertThat(far.get(0).score()).isEqualTo((float) Math.sqrt((float) sum));
    }

    @Test
    void multivectorsScoreMaxSimAndDenseQueriesCountAsOneVector() {
        VectorParams multi = new VectorParams(2, Distance.DOT, VectorDatatype.FLOAT32, true, null);
        EdgeConfig config = new EdgeConfig(Map.of("m", multi), Map.of());
        Part part = new Part().add(1, "m", new MultiDenseVector(new float[][] {{1, 0}, {0, 2}}))
                .add(2, "m", new MultiDenseVector(new float[][] {{3, 3}}));
        List<ScoredPoint> hits = ExactSearch.search(part, config,
                SearchRequest.of("m", new MultiDenseVector(new float[][] {{1, 0}, {0, 1}}), 2));
        // point 1: max(1, 0) + max(0, 2) = 3; point 2: 3 + 3 = 6
        assertThat(ids(hits)).containsExactly(2L, 1L);
        assertThat(scores(hits)).containsExactly(6f, 3f);
        assertThat(scores(ExactSearch.search(part, config, SearchRequest.of("m", dense(1, 0), 2))))
                .containsExactly(3f, 1f);
    }

    @Test
    void sparseSearchSkipsPointsSharingNoDimensionAndWeighsByIdf() {
        Part part = new Part().add(1, "s", sparse(new int[] {1, 5}, 1, 2)).add(2, "s", sparse(new int[] {5}, 3))
                .add(3, "s", sparse(new int[] {9}, 4)).add(4, "s", sparse(new int[] {}));
        EdgeConfig plain = new EdgeConfig(Map.of(), Map.of("s", new SparseVectorParams(false)));
        List<ScoredPoint> hits = ExactSearch.search(part, plain,
                SearchRequest.of("s", sparse(new int[] {5, 1}, 1, 10), 10));
        assertThat(ids(hits)).containsExactly(1L, 2L);
        assertThat(scores(hits)).containsExactly(12f, 3f);

        EdgeConfig idf = new EdgeConfig(Map.of(), Map.of("s", new SparseVectorParams(true)));
        List<ScoredPoint> weighted = ExactSearch.search(part, idf,
                SearchRequest.of("s", sparse(new int[] {1, 5}, 1, 1), 10));
        // three non-empty vectors; dimension 1 in one of them, dimension 5 in two
        float idf1 = (float) Math.log((3f - 1f + 0.5f) / (1f + 0.5f) + 1f);
        float idf5 = (float) Math.log((3f - 2f + 0.5f) / (2f + 0.5f) + 1f);
        assertThat(scores(weighted)).containsExactly(idf1 + 2 * idf5, 3 * idf5);
        assertThat(ExactSearch.search(part, plain, SearchRequest.of("s", sparse(new int[] {}), 3))).isEmpty();
    }

    @Test
    void filtersStaleCopiesAndMissingVectorsLimitTheCandidates() {
        Part part = new Part().add(1, "v", dense(1, 0)).add(2, "v", dense(2, 0)).add(3, "w", dense(3, 0))
                .add(4, "v", dense(4, 0));
        part.payloads.get(1L).put("k", "a");
        part.payloads.get(2L).put("k", "b");
        part.stale.add(3L);
        EdgeConfig config = new EdgeConfig(Map.of("v", new VectorParams(2, Distance.DOT),
                "w", new VectorParams(2, Distance.DOT)), Map.of());
        assertThat(ids(search(part, config, "v", dense(1, 0), 10))).containsExactly(4L, 2L, 1L);
        Filter filter = FilterParser.parse(
                JSON.readTree("{\"must_not\": [{\"key\": \"k\", \"match\": {\"value\": \"b\"}}]}"));
        assertThat(ids(ExactSearch.search(part, config, SearchRequest.of("v", dense(1, 0), 10).withFilter(filter))))
                .containsExactly(4L, 1L);
        assertThat(search(part, config, "w", dense(1, 0), 10)).isEmpty();
    }

    @Test
    void resultsDoNotDependOnHowPartsAreSplitIntoRanges() {
        Random random = new Random(5);
        EdgeConfig config = params(3, Distance.EUCLID);
        List<Part> parts = new ArrayList<>();
        int id = 0;
        for (int p = 0; p < 3; p++) {
            Part part = new Part();
            for (int i = 0; i < 200; i++) {
                part.add(id++, "v", dense(random.nextInt(3), random.nextInt(3), random.nextInt(3)));
            }
            parts.add(part);
        }
        SearchSource source = () -> parts;
        for (int limit : new int[] {1, 5, 40}) {
            SearchRequest request = SearchRequest.of("v", dense(1, 1, 1), limit).withOffset(3);
            List<ScoredPoint> whole = ExactSearch.search(source, config, request);
            for (int range : new int[] {1, 7, 64}) {
                assertThat(ids(ExactSearch.search(source, config, request, range))).as("range %d", range)
                        .isEqualTo(ids(whole));
            }
        }
    }

    @Test
    void payloadAndVectorSelection() {
        Part part = new Part().add(1, "v", dense(1, 0)).add(1, "w", dense(0, 1));
        ObjectNode payload = part.payloads.get(1L);
        payload.put("a", 1);
        payload.putObject("b").put("c", 2).put("d", 3);
        payload.putArray("e").addObject().put("f", 4).put("g", 5);
        EdgeConfig config = new EdgeConfig(Map.of("v", new VectorParams(2, Distance.DOT),
                "w", new VectorParams(2, Distance.DOT)), Map.of());
        ScoredPoint hit = ExactSearch.search(part, config, SearchRequest.of("v", dense(1, 0), 1).with(
                WithPayload.include(List.of(JsonPath.parse("b.c"), JsonPath.parse("e[].f"))),
                WithVector.names(List.of("w", "x")))).get(0);
        assertThat(hit.payload().toString()).isEqualTo("{\"b\":{\"c\":2},\"e\":[{\"f\":4}]}");
        assertThat(hit.vectors()).containsOnlyKeys("w");

        ScoredPoint excluded = ExactSearch.search(part, config, SearchRequest.of("v", dense(1, 0), 1).with(
                WithPayload.exclude(List.of(JsonPath.parse("b.c"), JsonPath.parse("a"))), WithVector.ALL)).get(0);
        assertThat(excluded.payload().toString()).isEqualTo("{\"b\":{\"d\":3},\"e\":[{\"f\":4,\"g\":5}]}");
        assertThat(excluded.vectors()).containsOnlyKeys("v", "w");
        assertThat(payload.toString()).as("the stored payload is untouched").contains("\"a\":1");

        ScoredPoint bare = search(part, config, "v", dense(1, 0), 1).get(0);
        assertThat(bare.payload()).isNull();
        assertThat(bare.vectors()).isNull();
    }

    @Test
    void queriesThatDoNotFitTheVectorAreRefused() {
        Part part = new Part().add(1, "v", dense(1, 0));
        EdgeConfig config = new EdgeConfig(Map.of("v", new VectorParams(2, Distance.DOT)),
                Map.of("s", new SparseVectorParams(false)));
        assertThatThrownBy(() -> search(part, config, "x", dense(1, 0), 1))
                .isInstanceOf(InvalidSearchException.class).hasMessageContaining("Not existing vector name error: x");
        assertThatThrownBy(() -> search(part, config, "v", dense(1, 0, 0), 1))
                .hasMessage("Vector dimension error: expected dim: 2, got 3");
        assertThatThrownBy(() -> search(part, config, "v", sparse(new int[] {1}, 1), 1))
                .hasMessageContaining("is dense but the query is a sparse vector");
        assertThatThrownBy(() -> search(part, config, "v", new MultiDenseVector(new float[][] {{1, 0}}), 1))
                .hasMessageContaining("single dense vector but the query is a multi-dense vector");
        assertThatThrownBy(() -> search(part, config, "s", dense(1, 0), 1))
                .hasMessageContaining("is sparse but the query is a dense vector");
        assertThatThrownBy(() -> search(part, config, "s", sparse(new int[] {4, 2, 4}, 1, 2, 3), 1))
                .hasMessageContaining("indices must be unique, 4 appears more than once");
    }

    // -----------------------------------------------------------------------------------------------

    private static List<ScoredPoint> search(Part part, EdgeConfig config, String name, VectorValue query, int limit) {
        return ExactSearch.search(part, config, SearchRequest.of(name, query, limit));
    }

    private static EdgeConfig params(int dim, Distance distance) {
        return new EdgeConfig(Map.of("v", new VectorParams(dim, distance)), Map.of());
    }

    private static DenseVector dense(float... values) {
        return new DenseVector(values);
    }

    private static SparseVector sparse(int[] indices, float... values) {
        return new SparseVector(indices, values);
    }

    private static List<Long> ids(List<ScoredPoint> hits) {
        List<Long> out = new ArrayList<>();
        hits.forEach(h -> out.add(((PointId.Num) h.id()).value()));
        return out;
    }

    private static List<Float> scores(List<ScoredPoint> hits) {
        List<Float> out = new ArrayList<>();
        hits.forEach(h -> out.add(h.score()));
        return out;
    }

    /** Points in memory; an id added twice gets both vectors. Ids in {@code stale} are not current. */
    private static final class Part implements SearchSource, SearchPart {
        final List<Long> order = new ArrayList<>();
        final Map<Long, Map<String, VectorValue>> vectors = new HashMap<>();
        final Map<Long, ObjectNode> payloads = new HashMap<>();
        final List<Long> stale = new ArrayList<>();

        Part add(long id, String name, VectorValue value) {
            if (!vectors.containsKey(id)) {
                order.add(id);
                vectors.put(id, new LinkedHashMap<>());
                payloads.put(id, JSON.createObjectNode());
            }
            vectors.get(id).put(name, value);
            return this;
        }

        @Override
        public List<? extends SearchPart> parts() {
            return List.of(this);
        }

        @Override
        public int size() {
            return order.size();
        }

        @Override
        public boolean isCurrent(int position) {
            return !stale.contains(order.get(position));
        }

        @Override
        public PointId id(int position) {
            return PointId.of(order.get(position));
        }

        @Override
        public long version(int position) {
            return 7;
        }

        @Override
        public ObjectNode payload(int position) {
            return payloads.get(order.get(position));
        }

        @Override
        public Map<String, VectorValue> vectors(int position) {
            return vectors.get(order.get(position));
        }

        @Override
        public VectorValue vector(int position, String name) {
            return vectors(position).get(name);
        }

        @Override
        public void forEachIndexedSparse(String name, Consumer<SparseVector> action) {
            for (Long id : order) {
                if (vectors.get(id).get(name) instanceof SparseVector s) {
                    action.accept(s);
                }
            }
        }
    }
}
