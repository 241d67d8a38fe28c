package dev.qdrantedge.engine.query;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.qdrantedge.engine.compat.ReferenceEngine;
import dev.qdrantedge.engine.compat.ReferenceShard;
import dev.qdrantedge.engine.idtracker.PointId;
import dev.qdrantedge.engine.search.InvalidSearchException;
import dev.qdrantedge.engine.search.ScoredPoint;
import dev.qdrantedge.engine.search.SearchRequest;
import dev.qdrantedge.engine.shard.EdgeShard;
import dev.qdrantedge.engine.shard.Record;
import dev.qdrantedge.engine.shard.ScrollPage;
import dev.qdrantedge.engine.vectors.VectorValue;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.json.JsonMapper;

/**
 * Query forms the reference engine's Python API has no counterpart for (by point id, without a query), and
 * queries the executor refuses, with messages naming why.
 */
class QueryExecutorTest {

    private static final JsonMapper JSON = JsonMapper.builder().build();

    @TempDir
    Path temp;

    @Test
    void aPointIdQuerySearchesNearItsVectorAndLeavesItOut() {
        ReferenceShard reference = ReferenceEngine.require().build("search-dense");
        try (EdgeShard shard = EdgeShard.load(reference.copyTo(temp.resolve("s")))) {
            PointId id = PointId.of(100);
            VectorValue vector = shard.retrieve(List.of(id), false, true).get(0).vectors().get("l2_32");
            List<ScoredPoint> direct = shard.search(SearchRequest.of("l2_32", vector, 6));
            assertThat(direct.get(0).id()).isEqualTo(id);
            assertThat(direct.get(0).score()).isZero();

            List<ScoredPoint> byId = QueryExecutor.run(shard, RestRequests.parseQuery(JSON.readTree(
                    "{\"query\": 100, \"using\": \"l2_32\", \"limit\": 5}")));
            assertThat(ids(byId)).isEqualTo(ids(direct.subList(1, 6)));

            assertThatThrownBy(() -> QueryExecutor.run(shard, RestRequests.parseQuery(JSON.readTree(
                    "{\"query\": 2, \"using\": \"l2_32\"}")))).isInstanceOf(InvalidSearchException.class)
                    .hasMessage("No point with id 2 found");
        }
    }

    @Test
    void withoutAQueryPointsComeInIdOrderWithScoreOne() {
        ReferenceShard reference = ReferenceEngine.require().build("search-dense");
        try (EdgeShard shard = EdgeShard.load(reference.copyTo(temp.resolve("s")))) {
            List<ScoredPoint> listed = QueryExecutor.run(shard, RestRequests.parseQuery(JSON.readTree(
                    "{\"filter\": {\"must\": [{\"key\": \"n\", \"range\": {\"lt\": 40}}]}, \"offset\": 3, \"limit\": 4, "
                            + "\"with_payload\": [\"n\"]}")));
            ScrollPage page = shard.scroll(RestRequests.parseScroll(JSON.readTree(
                    "{\"filter\": {\"must\": [{\"key\": \"n\", \"range\": {\"lt\": 40}}]}, \"limit\": 7}")));
            List<PointId> expected = new ArrayList<>();
            for (Record r : page.points().subList(3, 7)) {
                expected.add(r.id());
            }
            assertThat(ids(listed)).isEqualTo(expected);
            assertThat(listed).allSatisfy(p -> {
                assertThat(p.score()).isEqualTo(1.0f);
                assertThat(p.payload().propertyNames()).containsExactly("n");
                assertThat(p.vectors()).isNull();
            });
        }
    }

    @Test
    void queriesThatCannotRunAreRefusedNamingWhy() {
        ReferenceShard reference = ReferenceEngine.require().build("query-api");
        try (EdgeShard shard = EdgeShard.load(reference.copyTo(temp.resolve("s")))) {
            assertThatThrownBy(() -> run(shard, "{\"query\": {\"fusion\": \"dbsf\"}}"))
                    .isInstanceOf(InvalidSearchException.class).hasMessage("Cannot apply Fusion without prefetches");
            assertThatThrownBy(() -> run(shard, "{\"query\": {\"formula\": \"$score\"}}"))
                    .isInstanceOf(InvalidSearchException.class).hasMessage("Cannot apply Formula without prefetches");
            assertThatThrownBy(() -> run(shard, "{\"prefetch\": {\"query\": {\"order_by\": \"n\"}, \"limit\": 3}, "
                    + "\"query\": {\"formula\": {\"sum\": [\"$score\", \"absent\"]}}}"))
                    .isInstanceOf(InvalidSearchException.class)
                    .hasMessage("Formula variable 'absent' of point 1: no value found in the payload nor in defaults "
                            + "(expected a number)");
            assertThatThrownBy(() -> run(shard, "{\"prefetch\": {\"query\": {\"order_by\": \"n\"}, \"limit\": 3}, "
                    + "\"query\": {\"formula\": {\"mult\": [\"$score\", \"word\"]}}}"))
                    .isInstanceOf(InvalidSearchException.class)
                    .hasMessage("Formula variable 'word' of point 1: expected a number, found \"bravo\"");
            assertThatThrownBy(() -> run(shard, "{\"prefetch\": {\"query\": {\"order_by\": \"n\"}, \"limit\": 3}, "
                    + "\"query\": {\"formula\": {\"div\": {\"left\": 1, \"right\": {\"mult\": [\"n\", 0]}}}}}"))
                    .isInstanceOf(InvalidSearchException.class)
                    .hasMessage("The formula's value is not finite: 1.0/0.0 = Infinity");
            // with a default for the division by zero, and for the missing variable, the same queries run
            List<ScoredPoint> scored = run(shard, "{\"prefetch\": {\"query\": {\"order_by\": \"n\"}, \"limit\": 3}, "
                    + "\"query\": {\"formula\": {\"sum\": [{\"div\": {\"left\": 1, \"right\": {\"mult\": [\"n\", 0]}, "
                    + "\"by_zero_default\": 2}}, \"absent\", {\"neg\": \"n\"}]}, \"defaults\": {\"absent\": 10}}}");
            assertThat(ids(scored)).containsExactly(PointId.of(1), PointId.of(2), PointId.of(3));
            assertThat(scored).extracting(ScoredPoint::score).containsExactly(11.0f, 10.0f, 9.0f);
        }
    }

    private static List<ScoredPoint> run(EdgeShard shard, String body) {
        return QueryExecutor.run(shard, RestRequests.parseQuery(JSON.readTree(body)));
    }

    private static List<PointId> ids(List<ScoredPoint> points) {
        List<PointId> out = new ArrayList<>();
        points.forEach(p -> out.add(p.id()));
        return out;
    }
}
