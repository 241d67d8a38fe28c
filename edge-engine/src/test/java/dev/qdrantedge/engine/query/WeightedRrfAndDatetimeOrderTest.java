package dev.qdrantedge.engine.query;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

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
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

/**
 * Weighted reciprocal rank fusion worked out by hand ({@code 1 / (rank / weight + k - 1)}), and order_by over
 * datetime strings in Qdrant's several forms, from a datetime {@code start_from}.
 */
class WeightedRrfAndDatetimeOrderTest {

    private static final JsonMapper JSON = JsonMapper.builder().build();

    @TempDir
    Path temp;

    @Test
    void weightedRrfStretchesEachPrefetchsRanksByItsWeight() {
        PointId a = PointId.of(1);
        PointId b = PointId.of(2);
        PointId c = PointId.of(3);
        List<List<ScoredPoint>> sources = List.of(List.of(hit(a), hit(b)), List.of(hit(b), hit(c)));
        List<ScoredPoint> fused = ScoreFusion.rrf(sources, 2, List.of(2.0f, 0.0f));
        // a: 1 / (1/2 + 1); b: 1 / (2/2 + 1) and nothing from the weight-0 list; c: nothing
        assertThat(fused).extracting(ScoredPoint::id).containsExactly(a, b, c);
        assertThat(fused).extracting(ScoredPoint::score).containsExactly(1 / 1.5f, 0.5f, 0.0f);
        assertThat(ScoreFusion.rrf(sources, 5, List.of(1.0f, 1.0f))).extracting(ScoredPoint::score)
                .containsExactly(1 / 6f + 1 / 5f, 1 / 5f, 1 / 6f);
        assertThatThrownBy(() -> ScoreFusion.rrf(sources, 2, List.of(1.0f)))
                .isInstanceOf(InvalidSearchException.class)
                .hasMessage("RRF weights length (1) does not match number of prefetches (2)");
    }

    @Test
    void orderByADatetimeFieldFromADatetimeStartFrom() {
        String[] when = {"2026-01-15T08:30:00Z", "2026-01-15 10:30:00+02:00", "2026-03-01", "2026-02-28T23:59:59.5Z",
            "not a date", "2025-12-31T23:00:00-05:00"};
        try (EdgeShard shard = EdgeShard.create(temp.resolve("s"), new EdgeConfig(Map.of("v",
                new VectorParams(2, Distance.DOT)), Map.of()))) {
            List<PointStruct> points = new ArrayList<>();
            for (int i = 0; i < when.length; i++) {
                points.add(new PointStruct(PointId.of(i + 1), Map.of("v", new DenseVector(new float[] {1, 0})),
                        Optional.of((ObjectNode) JSON.readTree("{\"when\": \"" + when[i] + "\"}"))));
            }
            shard.update(new UpsertPoints(points));
            // 1 and 2 are the same instant (ties go by id); 6 is 2026-01-01T04:00Z; 5 is no datetime
            assertThat(ids(shard, "{\"order_by\": \"when\"}")).containsExactly(6L, 1L, 2L, 4L, 3L);
            assertThat(ids(shard, "{\"order_by\": {\"key\": \"when\", \"direction\": \"desc\"}}"))
                    .containsExactly(3L, 4L, 2L, 1L, 6L);
            assertThat(ids(shard, "{\"order_by\": {\"key\": \"when\", \"start_from\": \"2026-01-15T09:30:00+01:00\"}}"))
                    .containsExactly(1L, 2L, 4L, 3L);
            assertThat(ids(shard, "{\"order_by\": {\"key\": \"when\", \"start_from\": \"2026-02-28T23:59:59.500001Z\"}}"))
                    .containsExactly(3L);
            assertThat(ids(shard, "{\"order_by\": {\"key\": \"when\", \"direction\": \"desc\", "
                    + "\"start_from\": \"2026-02-28 23:59:59.5\"}}")).containsExactly(4L, 2L, 1L, 6L);
        }
    }

    private static List<Long> ids(EdgeShard shard, String query) {
        List<Long> out = new ArrayList<>();
        for (ScoredPoint p : QueryExecutor.run(shard, RestRequests.parseQuery(JSON.readTree("{\"query\": " + query
                + "}")))) {
            out.add(Long.parseLong(p.id().toString()));
        }
        return out;
    }

    private static ScoredPoint hit(PointId id) {
        return new ScoredPoint(id, 0, 1.0f, null, null);
    }
}
