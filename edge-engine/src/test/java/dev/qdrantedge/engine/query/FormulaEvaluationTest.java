package dev.qdrantedge.engine.query;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import dev.qdrantedge.engine.config.EdgeConfig;
import dev.qdrantedge.engine.config.VectorParams;
import dev.qdrantedge.engine.idtracker.PointId;
import dev.qdrantedge.engine.operation.PointStruct;
import dev.qdrantedge.engine.operation.UpsertPoints;
import dev.qdrantedge.engine.search.InvalidSearchException;
import dev.qdrantedge.engine.search.ScoredPoint;
import dev.qdrantedge.engine.shard.EdgeShard;
import dev.qdrantedge.engine.vectors.DenseVector;
import dev.qdrantedge.engine.vectors.Distance;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

/**
 * Values of geo distance, datetime and decay formulas on a real shard, against values worked out by hand
 * (the haversine distance Berlin-Paris on a sphere of radius 6371008.8 m, epoch seconds, decays at their
 * midpoint), and how payload values that are arrays, null or missing are read.
 */
class FormulaEvaluationTest {

    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final String BERLIN = "{\"lat\": 52.52, \"lon\": 13.405}";

    @TempDir
    Path temp;

    private EdgeShard shard;

    @BeforeEach
    void points() {
        shard = EdgeShard.create(temp.resolve("s"), new EdgeConfig(Map.of("v", new VectorParams(2, Distance.DOT)),
                Map.of()));
        shard.update(new UpsertPoints(List.of(
                point(1, "{\"loc\": {\"lat\": 48.8566, \"lon\": 2.3522}, \"when\": \"2026-01-02T03:04:05.5Z\", \"x\": 3}"),
                point(2, "{\"loc\": [{\"lat\": 0, \"lon\": 0}], \"when\": null, \"x\": [1, 2], \"two\": [{\"lat\": 0, "
                        + "\"lon\": 0}, {\"lat\": 1, \"lon\": 1}]}"),
                point(3, "{\"x\": []}"))));
    }

    @AfterEach
    void close() {
        shard.close();
    }

    @Test
    void geoDistanceIsTheHaversineDistanceInMetersToThePayloadPoint() {
        assertThat(score(1, "{\"geo_distance\": {\"origin\": " + BERLIN + ", \"to\": \"loc\"}}", null))
                .isCloseTo(877464.54f, within(0.1f));
        // an array of one point is that point; a missing one takes the default
        assertThat(score(2, "{\"geo_distance\": {\"origin\": " + BERLIN + ", \"to\": \"loc\"}}", null))
                .isCloseTo(5972017.5f, within(0.5f));
        assertThat(score(3, "{\"geo_distance\": {\"origin\": " + BERLIN + ", \"to\": \"loc\"}}",
                "{\"loc\": {\"lat\": 0, \"lon\": 0}}")).isCloseTo(5972017.5f, within(0.5f));
        assertRefused(3, "{\"geo_distance\": {\"origin\": " + BERLIN + ", \"to\": \"loc\"}}", null,
                "'loc'", "no value found in the payload nor in defaults");
        assertRefused(2, "{\"geo_distance\": {\"origin\": " + BERLIN + ", \"to\": \"two\"}}",
                "{\"two\": {\"lat\": 0, \"lon\": 0}}", "'two'", "geo point");
        assertRefused(1, "{\"geo_distance\": {\"origin\": " + BERLIN + ", \"to\": \"x\"}}", null, "'x'", "geo point");
    }

    @Test
    void datetimesAreSecondsSinceTheEpoch() {
        assertThat(score(1, "{\"datetime_key\": \"when\"}", null)).isEqualTo((float) 1767323045.5);
        assertThat(score(1, "{\"sum\": [{\"datetime\": \"2026-01-02T03:04:05.5Z\"}, {\"neg\": {\"datetime\": "
                + "\"2026-01-02 04:04:00+01:00\"}}]}", null)).isEqualTo(5.5f);
        assertThat(score(3, "{\"datetime_key\": \"when\"}", "{\"when\": \"1970-01-01T00:01:00Z\"}")).isEqualTo(60f);
        // null is a value, and not a datetime: the default does not replace it
        assertRefused(2, "{\"datetime_key\": \"when\"}", "{\"when\": \"1970-01-01T00:01:00Z\"}", "'when'",
                "expected a datetime string, found null");
        assertRefused(1, "{\"datetime_key\": \"x\"}", null, "'x'", "datetime");
    }

    @Test
    void decaysAreOneAtTheTargetAndTheMidpointAtScaleAway() {
        assertThat(score(1, "{\"lin_decay\": {\"x\": \"x\", \"target\": 1, \"scale\": 4}}", null)).isEqualTo(0.75f);
        assertThat(score(1, "{\"lin_decay\": {\"x\": \"x\", \"target\": 20, \"scale\": 4}}", null)).isEqualTo(0.0f);
        assertThat(score(1, "{\"exp_decay\": {\"x\": \"x\", \"target\": 1, \"scale\": 2}}", null))
                .isCloseTo(0.5f, within(1e-6f));
        assertThat(score(1, "{\"gauss_decay\": {\"x\": \"x\", \"target\": 5, \"scale\": 2, \"midpoint\": 0.25}}",
                null)).isCloseTo(0.25f, within(1e-6f));
        assertThat(score(1, "{\"gauss_decay\": {\"x\": \"x\", \"target\": {\"mult\": [1, \"x\"]}}}", null))
                .isEqualTo(1.0f);
        // target absent: 0; scale 1 and midpoint 0.5 by default
        assertThat(score(1, "{\"exp_decay\": {\"x\": {\"neg\": 1}}}", null)).isCloseTo(0.5f, within(1e-6f));
        // an empty array is no value (the default is used); several values are refused
        assertThat(score(3, "{\"lin_decay\": {\"x\": \"x\", \"scale\": 10}}", "{\"x\": 5}")).isEqualTo(0.75f);
        assertRefused(2, "{\"lin_decay\": {\"x\": \"x\"}}", "{\"x\": 5}", "'x'", "expected a number, found [1,2]");
    }

    private float score(int id, String formula, String defaults) {
        List<ScoredPoint> hits = QueryExecutor.run(shard, RestRequests.parseQuery(JSON.readTree(body(id, formula,
                defaults))));
        assertThat(hits).singleElement().extracting(ScoredPoint::id).isEqualTo(PointId.of(id));
        return hits.get(0).score();
    }

    private void assertRefused(int id, String formula, String defaults, String... problem) {
        QueryRequest request = RestRequests.parseQuery(JSON.readTree(body(id, formula, defaults)));
        assertThatThrownBy(() -> QueryExecutor.run(shard, request)).isInstanceOf(InvalidSearchException.class)
                .hasMessageContainingAll(problem);
    }

    private static String body(int id, String formula, String defaults) {
        return "{\"prefetch\": {\"query\": [1, 0], \"using\": \"v\"}, \"filter\": {\"must\": [{\"has_id\": [" + id
                + "]}]}, \"query\": {\"formula\": " + formula + (defaults == null ? "" : ", \"defaults\": " + defaults)
                + "}}";
    }

    private static PointStruct point(long id, String payload) {
        return new PointStruct(PointId.of(id), Map.of("v", new DenseVector(new float[] {1, (float) id})),
                Optional.of((ObjectNode) JSON.readTree(payload)));
    }
}
