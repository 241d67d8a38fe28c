package dev.qdrantedge.engine.query;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.qdrantedge.engine.filter.FieldCondition;
import dev.qdrantedge.engine.filter.JsonPath;
import dev.qdrantedge.engine.search.SearchParams;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/** The query API's parts of {@code /points/query} bodies: what they parse to, and the errors for malformed ones. */
class QueryApiParseTest {

    private static final JsonMapper JSON = JsonMapper.builder().build();

    @Test
    void nestedPrefetchesWithTheirOwnQueryFilterLimitThresholdUsingAndParams() {
        QueryRequest request = parse("{\"prefetch\": [{\"prefetch\": {\"query\": [1, 2], \"using\": \"a\", "
                + "\"limit\": 7}, \"query\": {\"nearest\": [3, 4]}, \"using\": \"b\", \"limit\": 5, "
                + "\"score_threshold\": 0.5, \"filter\": {\"must\": [{\"key\": \"n\", \"range\": {\"gt\": 1}}]}, "
                + "\"params\": {\"hnsw_ef\": 32, \"exact\": true}}, {\"query\": [5, 6]}], "
                + "\"query\": {\"fusion\": \"dbsf\"}, \"limit\": 3, \"offset\": 2}");
        assertThat(request.query()).isEqualTo(new ScoringQuery.Fusion(ScoringQuery.FusionMethod.DBSF, 0));
        assertThat(request.prefetches()).hasSize(2);
        Prefetch outer = request.prefetches().get(0);
        assertThat(outer.using()).isEqualTo("b");
        assertThat(outer.limit()).isEqualTo(5);
        assertThat(outer.scoreThreshold()).isEqualTo(0.5f);
        assertThat(outer.filter()).isNotNull();
        assertThat(outer.params()).isEqualTo(new SearchParams(true, 32));
        assertThat(outer.prefetches()).singleElement().satisfies(inner -> {
            assertThat(inner.using()).isEqualTo("a");
            assertThat(inner.limit()).isEqualTo(7);
            assertThat(inner.query()).isInstanceOf(VectorInput.Vector.class);
        });
        Prefetch second = request.prefetches().get(1);
        assertThat(second.limit()).isEqualTo(10);
        assertThat(second.using()).isEmpty();
        assertThat(second.params()).isEqualTo(SearchParams.DEFAULT);
    }

    @Test
    void fusionOrderByMmrAndFormulaQueries() {
        assertThat(parse("{\"prefetch\": {\"query\": [1]}, \"query\": {\"fusion\": \"rrf\"}}").query())
                .isEqualTo(new ScoringQuery.Fusion(ScoringQuery.FusionMethod.RRF, ScoringQuery.DEFAULT_RRF_K));
        assertThat(parse("{\"prefetch\": {\"query\": [1]}, \"query\": {\"rrf\": {\"k\": 60}}}").query())
                .isEqualTo(new ScoringQuery.Fusion(ScoringQuery.FusionMethod.RRF, 60));
        assertThat(parse("{\"query\": {\"order_by\": \"a.b\"}}").query())
                .isEqualTo(new ScoringQuery.OrderBy(JsonPath.parse("a.b"), false, null));
        assertThat(parse("{\"query\": {\"order_by\": {\"key\": \"n\", \"direction\": \"desc\", \"start_from\": 4}}}")
                .query()).isEqualTo(new ScoringQuery.OrderBy(JsonPath.parse("n"), true, 4.0));
        assertThat(parse("{\"query\": {\"nearest\": [1, 2], \"mmr\": {\"diversity\": 0.25, \"candidates_limit\": 9}}}")
                .query()).isInstanceOfSatisfying(ScoringQuery.Mmr.class, mmr -> {
                    assertThat(mmr.diversity()).isEqualTo(0.25f);
                    assertThat(mmr.candidatesLimit()).isEqualTo(9);
                });
        assertThat(parse("{\"query\": {\"nearest\": [1, 2], \"mmr\": {}}}").query())
                .isInstanceOfSatisfying(ScoringQuery.Mmr.class, mmr -> {
                    assertThat(mmr.diversity()).isEqualTo(0.5f);
                    assertThat(mmr.candidatesLimit()).isNull();
                });
        ScoringQuery formula = parse("{\"prefetch\": {\"query\": [1]}, \"query\": {\"formula\": {\"sum\": [\"$score\", "
                + "{\"mult\": [2, \"$score[1]\", \"price\"]}, {\"neg\": {\"key\": \"k\", \"match\": {\"value\": \"x\"}}}, "
                + "{\"div\": {\"left\": 1, \"right\": \"n\", \"by_zero_default\": 5}}]}, "
                + "\"defaults\": {\"$score\": 1, \"price\": 3}}}").query();
        assertThat(formula).isInstanceOfSatisfying(ScoringQuery.Formula.class, f -> {
            FormulaExpression.Sum sum = (FormulaExpression.Sum) f.expression();
            assertThat(sum.terms().get(0)).isEqualTo(new FormulaExpression.Score(0));
            assertThat(((FormulaExpression.Mult) sum.terms().get(1)).factors()).containsExactly(
                    new FormulaExpression.Constant(2), new FormulaExpression.Score(1),
                    new FormulaExpression.Payload(JsonPath.parse("price")));
            FormulaExpression.Unary neg = (FormulaExpression.Unary) sum.terms().get(2);
            assertThat(neg.function()).isEqualTo(FormulaExpression.Function.NEG);
            assertThat(((FormulaExpression.Matches) neg.argument()).condition()).isInstanceOf(FieldCondition.class);
            assertThat(sum.terms().get(3)).isEqualTo(new FormulaExpression.Div(new FormulaExpression.Constant(1),
                    new FormulaExpression.Payload(JsonPath.parse("n")), 5.0));
            assertThat(f.defaults()).containsOnlyKeys("$score[0]", "price");
        });
    }

    @Test
    void malformedBodiesAreRefusedNamingThePath() {
        assertError("{\"prefetch\": [{\"query\": [1]}, 3], \"query\": {\"fusion\": \"rrf\"}}", "prefetch[1]",
                "expected a prefetch object, found an integer (3)");
        assertError("{\"prefetch\": [{\"query\": [1]}, {\"prefetch\": {\"query\": [1], \"limit\": 0}, \"query\": [2]}], "
                + "\"query\": {\"fusion\": \"rrf\"}}", "prefetch[1].prefetch.limit", "must be at least 1, was 0");
        assertError("{\"prefetch\": {\"prefetch\": {\"query\": [1]}}, \"query\": {\"fusion\": \"rrf\"}}",
                "prefetch.query", "a prefetch with prefetches needs a query to rescore them with");
        assertError("{\"prefetch\": {\"query\": [1], \"lookup_from\": {\"collection\": \"c\"}}, \"query\": [1]}",
                "prefetch.lookup_from", "lookup_from is not supported by this engine");
        assertError("{\"prefetch\": {\"query\": [1], \"params\": {\"hnsw_ef\": \"x\"}}, \"query\": [1]}",
                "prefetch.params.hnsw_ef", "expected a non-negative integer, found a string");
        assertError("{\"prefetch\": {\"query\": [1]}, \"query\": {\"fusion\": \"max\"}}", "query.fusion",
                "expected \"rrf\" or \"dbsf\", found \"max\"");
        assertError("{\"prefetch\": {\"query\": [1]}, \"query\": {\"rrf\": {\"weights\": [1]}}}", "query.rrf.weights",
                "weighted RRF is not supported by this engine");
        assertError("{\"query\": {\"order_by\": {\"key\": \"n\", \"direction\": \"up\"}}}", "query.order_by.direction",
                "expected \"asc\" or \"desc\", found \"up\"");
        assertError("{\"query\": {\"order_by\": {\"key\": \"n\", \"start_from\": \"2026-01-01\"}}}",
                "query.order_by.start_from",
                "expected a number (datetime start_from is not supported by this engine), found a string");
        assertError("{\"query\": {\"order_by\": {\"direction\": \"asc\"}}}", "query.order_by.key", "missing field");
        assertError("{\"query\": {\"order_by\": 5}}", "query.order_by",
                "expected a payload key or {\"key\", \"direction\", \"start_from\"}, found an integer (5)");
        assertError("{\"query\": {\"nearest\": [1], \"mmr\": {\"diversity\": 1.5}}}", "query.mmr.diversity",
                "must be between 0 and 1, was 1.5");
        assertError("{\"query\": {\"nearest\": [1], \"mmr\": {\"candidates_limit\": 0}}}",
                "query.mmr.candidates_limit", "must be at least 1, was 0");
        assertError("{\"query\": {\"mmr\": {\"diversity\": 0.5}}}", "query.nearest",
                "an mmr query needs \"nearest\": the vector results are relevant to");
        assertError("{\"query\": {\"sample\": \"random\"}}", "query.sample", "sample queries are not supported by "
                + "this engine; only nearest, mmr (with nearest), fusion, rrf, order_by and formula queries are");
        assertError("{\"prefetch\": {\"query\": [1]}, \"query\": {\"formula\": {\"sum\": [\"$score\", "
                + "{\"geo_distance\": {\"origin\": {\"lat\": 1, \"lon\": 2}, \"to\": \"loc\"}}]}}}",
                "query.formula.sum[1].geo_distance", "geo_distance expressions are not supported by this engine");
        assertError("{\"prefetch\": {\"query\": [1]}, \"query\": {\"formula\": {\"mult\": [\"$scores\"]}}}",
                "query.formula.mult[0]", "unknown variable '$scores': expected $score, $score[i] or a payload key");
        assertError("{\"prefetch\": {\"query\": [1]}, \"query\": {\"formula\": {\"sum\": 1}}}", "query.formula.sum",
                "expected a list of expressions, found an integer (1)");
        assertError("{\"prefetch\": {\"query\": [1]}, \"query\": {\"formula\": {\"div\": {\"left\": 1}}}}",
                "query.formula.div.right", "missing expression");
        assertError("{\"prefetch\": {\"query\": [1]}, \"query\": {\"formula\": true}}", "query.formula",
                "expected an expression (a number, a variable, an object), found a boolean");
        assertError("{\"prefetch\": {\"query\": [1]}, \"query\": {\"formula\": \"$score\", \"defaults\": {\"a..b\": 1}}}",
                "query.defaults.a..b", "Invalid json path: 'a..b'");
    }

    private static QueryRequest parse(String body) {
        return RestRequests.parseQuery(json(body));
    }

    private static void assertError(String body, String path, String problem) {
        assertThatThrownBy(() -> RestRequests.parseQuery(json(body)))
                .isInstanceOfSatisfying(RequestParseException.class, e -> {
                    assertThat(e.path()).isEqualTo(path);
                    assertThat(e.problem()).isEqualTo(problem);
                });
    }

    private static JsonNode json(String text) {
        return JSON.readTree(text);
    }
}
