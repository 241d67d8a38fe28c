package dev.qdrantedge.engine.query;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.qdrantedge.engine.facet.FacetRequest;
import dev.qdrantedge.engine.filter.FilterParseException;
import dev.qdrantedge.engine.idtracker.PointId;
import dev.qdrantedge.engine.search.WithPayload;
import dev.qdrantedge.engine.search.WithVector;
import dev.qdrantedge.engine.vectors.DenseVector;
import dev.qdrantedge.engine.vectors.MultiDenseVector;
import dev.qdrantedge.engine.vectors.SparseVector;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

class RestRequestsTest {

    private static final JsonMapper JSON = JsonMapper.builder().build();

    @Test
    void searchBodiesTakeAPlainOrNamedVector() {
        QueryRequest plain = RestRequests.parseSearchOrQuery(json("{\"vector\": [1, 2.5], \"top\": 3}"));
        assertThat(plain.queryApi()).isFalse();
        assertThat(plain.using()).isEmpty();
        assertThat(((DenseVector) ((VectorInput.Vector) plain.query()).value()).values()).containsExactly(1f, 2.5f);
        assertThat(plain.limit()).isEqualTo(3);
        assertThat(plain.withPayload()).isEqualTo(WithPayload.NONE);
        assertThat(plain.withVector()).isEqualTo(WithVector.NONE);

        QueryRequest sparse = RestRequests.parseSearch(json("{\"vector\": {\"name\": \"s\", \"vector\": "
                + "{\"indices\": [4294967295, 2], \"values\": [1, 2]}}, \"limit\": 1, \"offset\": 2, "
                + "\"score_threshold\": 0.5, \"with_payload\": [\"a.b\"], \"with_vectors\": [\"s\"], "
                + "\"params\": {\"hnsw_ef\": 128, \"exact\": true}, \"shard_key\": \"ignored\"}"));
        assertThat(sparse.using()).isEqualTo("s");
        SparseVector s = (SparseVector) ((VectorInput.Vector) sparse.query()).value();
        assertThat(s.indices()).containsExactly(-1, 2);
        assertThat(sparse.offset()).isEqualTo(2);
        assertThat(sparse.scoreThreshold()).isEqualTo(0.5f);
        assertThat(sparse.withPayload()).isInstanceOf(WithPayload.Include.class);
        assertThat(sparse.withVector()).isEqualTo(WithVector.names(java.util.List.of("s")));
        assertThat(sparse.params().exact()).isTrue();
        assertThat(sparse.params().hnswEf()).isEqualTo(128);
    }

    @Test
    void queryBodiesTakeVectorsIdsAndNearest() {
        QueryRequest multi = RestRequests.parseQuery(json("{\"query\": {\"nearest\": [[1, 2], [3, 4]]}, "
                + "\"using\": \"m\", \"with_payload\": {\"exclude\": [\"x\"]}, \"with_vector\": true}"));
        assertThat(multi.queryApi()).isTrue();
        assertThat(multi.limit()).isEqualTo(10);
        assertThat(((MultiDenseVector) ((VectorInput.Vector) multi.query()).value()).vectors()).hasNumberOfRows(2);
        assertThat(multi.withPayload()).isInstanceOf(WithPayload.Exclude.class);
        assertThat(multi.withVector()).isEqualTo(WithVector.ALL);

        assertThat(RestRequests.parseQuery(json("{\"query\": 42}")).query())
                .isEqualTo(new VectorInput.Point(PointId.of(42)));
        assertThat(RestRequests.parseQuery(json("{\"query\": \"{550e8400-e29b-41d4-a716-446655440000}\"}")).query())
                .isEqualTo(new VectorInput.Point(PointId.of(UUID.fromString("550e8400-e29b-41d4-a716-446655440000"))));
        assertThat(RestRequests.parseQuery(json("{\"filter\": {\"must\": []}, \"limit\": 3}")).query()).isNull();
    }

    @Test
    void errorsNameTheJsonPath() {
        assertError("{\"vector\": [1, \"x\"], \"limit\": 1}", "vector[1]", "expected a number, found a string");
        assertError("{\"vector\": [1]}", "limit", "missing field");
        assertError("{\"vector\": [1], \"limit\": 0}", "limit", "must be at least 1, was 0");
        assertError("{\"vector\": {\"vector\": [1]}, \"limit\": 1}", "vector.name", "missing field");
        assertError("{\"query\": [[1, 2], [3]]}", "query[1]",
                "all vectors of a multi-dense vector must have the same length: 1 vs 2");
        assertError("{\"query\": {\"indices\": [1, -2], \"values\": [1, 2]}}", "query.indices[1]",
                "expected an unsigned 32-bit integer, found an integer (-2)");
        assertError("{\"query\": {\"indices\": [1], \"values\": [1, 2]}}", "query",
                "indices and values must have the same length: 1 vs 2");
        assertError("{\"query\": {\"recommend\": {}}}", "query.recommend", "recommend queries are not supported by "
                + "this engine; only nearest, mmr (with nearest), fusion, rrf, order_by and formula queries are");
        assertError("{\"query\": -1}", "query", "value -1 is not a valid point ID, valid values are either an "
                + "unsigned integer or a UUID");
        assertError("{\"prefetch\": {\"query\": [1]}}", "query",
                "a query with prefetches needs a query to rescore them with");
        assertError("{\"query\": [1], \"with_payload\": {\"include\": [\"a..b\"]}}", "with_payload.include[0]",
                "Invalid json path: 'a..b'");
        assertError("{\"query\": [1], \"with_vector\": 3}", "with_vector", "expected a boolean or a list of vector "
                + "names, found an integer (3)");
        assertError("{\"query\": [1], \"params\": {\"exact\": \"yes\"}}", "params.exact",
                "expected a boolean, found a string");
        assertError("{\"query\": [1], \"offset\": -1}", "offset",
                "expected a non-negative integer, found an integer (-1)");
        assertThatThrownBy(() -> RestRequests.parseQuery(
                json("{\"query\": [1], \"filter\": {\"must\": [{\"key\": 1}]}}")))
                .isInstanceOf(FilterParseException.class).hasMessageStartingWith("filter.must[0].key:");
        assertThatThrownBy(() -> RestRequests.parseQuery(json("[1, 2]")))
                .hasMessage("body: expected a JSON object, found an array");
    }

    @Test
    void scrollCountAndFacetBodies() {
        ScrollRequest scroll = RestRequests.parseScroll(json("{\"offset\": \"550e8400e29b41d4a716446655440000\"}"));
        assertThat(scroll.offset()).isEqualTo(PointId.of(UUID.fromString("550e8400-e29b-41d4-a716-446655440000")));
        assertThat(scroll.limit()).isEqualTo(ScrollRequest.DEFAULT_LIMIT);
        assertThat(scroll.withPayload()).isEqualTo(WithPayload.ALL);
        assertThat(scroll.withVector()).isEqualTo(WithVector.NONE);
        assertError(() -> RestRequests.parseScroll(json("{\"order_by\": \"n\"}")), "order_by",
                "order_by is not supported by this engine");
        assertError(() -> RestRequests.parseScroll(json("{\"offset\": 1.5}")), "offset",
                "value 1.5 is not a valid point ID, valid values are either an unsigned integer or a UUID");

        CountRequest count = RestRequests.parseCount(json("{}"));
        assertThat(count.exact()).isTrue();
        assertThat(count.filter()).isNull();
        assertThat(RestRequests.parseCount(json("{\"exact\": false}")).exact()).isFalse();

        FacetRequest facet = RestRequests.parseFacet(json("{\"key\": \"a[].b\", \"limit\": 3, \"exact\": true}"));
        assertThat(facet.key().toString()).isEqualTo("a[].b");
        assertThat(facet.limit()).isEqualTo(3);
        assertThat(facet.exact()).isTrue();
        assertThat(RestRequests.parseFacet(json("{\"key\": \"k\"}")).limit()).isEqualTo(FacetRequest.DEFAULT_LIMIT);
        assertError(() -> RestRequests.parseFacet(json("{\"limit\": 3}")), "key", "missing field");
    }

    private static void assertError(String body, String path, String problem) {
        assertError(() -> RestRequests.parseSearchOrQuery(json(body)), path, problem);
    }

    private static void assertError(Runnable parse, String path, String problem) {
        assertThatThrownBy(parse::run).isInstanceOfSatisfying(RequestParseException.class, e -> {
            assertThat(e.path()).isEqualTo(path);
            assertThat(e.problem()).isEqualTo(problem);
        });
    }

    private static JsonNode json(String text) {
        return JSON.readTree(text);
    }
}
