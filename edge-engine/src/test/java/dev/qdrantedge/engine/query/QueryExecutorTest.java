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

/** Query forms the reference engine's Python API has no counterpart for: by point id, and without a query. */
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

    private static List<PointId> ids(List<ScoredPoint> points) {
        List<PointId> out = new ArrayList<>();
        points.forEach(p -> out.add(p.id()));
        return out;
    }
}
