package dev.qdrantedge.engine.query;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.qdrantedge.engine.filter.FieldCondition;
import dev.qdrantedge.engine.filter.Geo;
import dev.qdrantedge.engine.filter.JsonPath;
import dev.qdrantedge.engine.search.SearchParams;
import java.time.Instant;
import java.util.List;
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
        assertError("{\"prefetch\": {\"query\": [1]}, \"query\": {\"rrf\": {\"weights\": 1}}}", "query.rrf.weights",
                "expected a list of numbers, found an integer (1)");
        assertError("{\"prefetch\": {\"query\": [1]}, \"query\": {\"rrf\": {\"weights\": [1, \"2\"]}}}",
                "query.rrf.weights[1]", "expected a number, found a string");
        assertError("{\"query\": {\"order_by\": {\"key\": \"n\", \"direction\": \"up\"}}}", "query.order_by.direction",
                "expected \"asc\" or \"desc\", found \"up\"");
        assertError("{\"query\": {\"order_by\": {\"key\": \"n\", \"start_from\": \"2026-13-01\"}}}",
                "query.order_by.start_from",
                "'2026-13-01' does not match accepted datetime format (RFC3339). Example: 2014-01-01T00:00:00Z");
        assertError("{\"query\": {\"order_by\": {\"key\": \"n\", \"start_from\": true}}}",
                "query.order_by.start_from", "expected a number or a datetime string, found a boolean");
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

    @Test
    void geoDistanceDatetimeAndDecayExpressionsWithQdrantsDefaults() {
        ScoringQuery.Formula f = formula("{\"sum\": [{\"geo_distance\": {\"origin\": {\"lat\": 52.5, \"lon\": 13.4}, "
                + "\"to\": \"a.loc\"}}, {\"datetime\": \"2026-03-01 10:00:00+02\"}, {\"datetime_key\": \"when\"}, "
                + "{\"lin_decay\": {\"x\": \"n\"}}, {\"exp_decay\": {\"x\": \"n\", \"target\": 3, \"scale\": 2, "
                + "\"midpoint\": 0.25}}, {\"gauss_decay\": {\"x\": \"$score\", \"scale\": 10, \"midpoint\": null}}]}");
        List<FormulaExpression> terms = ((FormulaExpression.Sum) f.expression()).terms();
        assertThat(terms.get(0)).isEqualTo(new FormulaExpression.GeoDistance(new Geo.Point(13.4, 52.5),
                JsonPath.parse("a.loc")));
        assertThat(terms.get(1)).isEqualTo(new FormulaExpression.DateTime(Instant.parse("2026-03-01T08:00:00Z")));
        assertThat(terms.get(2)).isEqualTo(new FormulaExpression.DateTimeKey(JsonPath.parse("when")));
        // defaults: target 0 (absent), scale 1, midpoint 0.5
        assertThat(terms.get(3)).isEqualTo(new FormulaExpression.Decay(FormulaExpression.DecayKind.LIN,
                new FormulaExpression.Payload(JsonPath.parse("n")), null, 0.5));
        assertThat(terms.get(4)).isEqualTo(new FormulaExpression.Decay(FormulaExpression.DecayKind.EXP,
                new FormulaExpression.Payload(JsonPath.parse("n")), new FormulaExpression.Constant(3),
                Math.log(0.25) / 2));
        assertThat(terms.get(5)).isEqualTo(new FormulaExpression.Decay(FormulaExpression.DecayKind.GAUSS,
                new FormulaExpression.Score(0), null, Math.log(0.5) / 100));
        // constants are single precision, as Qdrant reads them
        assertThat(formula("0.1").expression()).isEqualTo(new FormulaExpression.Constant(0.1f));
    }

    @Test
    void weightedRrfAndDatetimeStartFrom() {
        assertThat(parse("{\"prefetch\": [{\"query\": [1]}, {\"query\": [2]}], \"query\": {\"rrf\": {\"k\": 3, "
                + "\"weights\": [0.1, 2]}}}").query())
                .isEqualTo(new ScoringQuery.Fusion(ScoringQuery.FusionMethod.RRF, 3, List.of(0.1f, 2.0f)));
        assertThat(parse("{\"query\": {\"order_by\": {\"key\": \"t\", \"start_from\": \"2026-01-02T03:04:05.678901234Z\"}}}")
                .query()).isEqualTo(new ScoringQuery.OrderBy(JsonPath.parse("t"), false, 1767323045678901.0));
        assertThat(parse("{\"query\": {\"order_by\": {\"key\": \"t\", \"direction\": \"desc\", "
                + "\"start_from\": \"2026-01-02\"}}}").query())
                .isEqualTo(new ScoringQuery.OrderBy(JsonPath.parse("t"), true, 1767312000000000.0));
    }

    @Test
    void malformedNewExpressionsAreRefusedNamingThePath() {
        String prefix = "{\"prefetch\": {\"query\": [1]}, \"query\": {\"formula\": ";
        assertError(prefix + "{\"sum\": [1, {\"geo_distance\": {\"to\": \"loc\"}}]}}}",
                "query.formula.sum[1].geo_distance.origin", "missing field");
        assertError(prefix + "{\"geo_distance\": {\"origin\": {\"lat\": 91, \"lon\": 0}, \"to\": \"loc\"}}}}",
                "query.formula.geo_distance.origin",
                "Wrong format of GeoPoint payload: expected lat = 91.0 within [-90;90] and lon = 0.0 within [-180;180]");
        assertError(prefix + "{\"geo_distance\": {\"origin\": {\"lat\": 1, \"lon\": 0}}}}}",
                "query.formula.geo_distance.to", "missing field");
        assertError(prefix + "{\"geo_distance\": {\"origin\": {\"lat\": 1}, \"to\": \"loc\"}}}}",
                "query.formula.geo_distance.origin.lon", "missing field");
        assertError(prefix + "{\"datetime\": \"yesterday\"}}}", "query.formula.datetime",
                "failed to parse date-time yesterday: expected an RFC 3339 datetime (or one of Qdrant's other "
                        + "datetime forms), e.g. 2014-01-01T00:00:00Z");
        assertError(prefix + "{\"datetime\": 5}}}", "query.formula.datetime", "expected a string, found an integer (5)");
        assertError(prefix + "{\"datetime_key\": \"a..b\"}}}", "query.formula.datetime_key",
                "Invalid json path: 'a..b'");
        assertError(prefix + "{\"lin_decay\": {\"target\": 1}}}}", "query.formula.lin_decay.x", "missing field");
        assertError(prefix + "{\"lin_decay\": {\"x\": 1, \"midpoint\": 1.5}}}}", "query.formula.lin_decay.midpoint",
                "Linear decay midpoint should be in the range [0.0, 1.0], got 1.5.");
        assertError(prefix + "{\"exp_decay\": {\"x\": 1, \"midpoint\": 1}}}}", "query.formula.exp_decay.midpoint",
                "Decay midpoint should be in the range (0.0, 1.0), got 1.0.");
        assertError(prefix + "{\"gauss_decay\": {\"x\": 1, \"midpoint\": 0}}}}", "query.formula.gauss_decay.midpoint",
                "Decay midpoint should be in the range (0.0, 1.0), got 0.0.");
        assertError(prefix + "{\"gauss_decay\": {\"x\": 1, \"scale\": 0}}}}", "query.formula.gauss_decay.scale",
                "Decay scale should be non-zero positive, got 0.0.");
        assertError(prefix + "{\"exp_decay\": {\"x\": 1, \"scale\": -2}}}}", "query.formula.exp_decay.scale",
                "Decay scale should be non-zero positive, got -2.0.");
        assertError(prefix + "{\"exp_decay\": {\"x\": {\"sum\": 2}}}}}", "query.formula.exp_decay.x.sum",
                "expected a list of expressions, found an integer (2)");
        assertError(prefix + "{\"gauss_decay\": [1]}}}", "query.formula.gauss_decay",
                "expected a JSON object, found an array");
        assertError(prefix + "{\"max\": [1, 2]}}}", "query.formula.max", "not an expression of Qdrant's REST "
                + "formula grammar; expected a number, a variable, a condition, or one of sum, mult, neg, abs, div, "
                + "sqrt, pow, exp, log10, ln, geo_distance, datetime, datetime_key, lin_decay, exp_decay, gauss_decay");
    }

    private static ScoringQuery.Formula formula(String expression) {
        return (ScoringQuery.Formula) parse("{\"prefetch\": {\"query\": [1]}, \"query\": {\"formula\": " + expression
                + "}}").query();
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
