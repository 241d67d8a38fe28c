package dev.qdrantedge.engine.shard;

import static org.assertj.core.api.Assertions.assertThat;

import dev.qdrantedge.engine.config.EdgeConfig;
import dev.qdrantedge.engine.config.VectorParams;
import dev.qdrantedge.engine.filter.FilterParser;
import dev.qdrantedge.engine.idtracker.PointId;
import dev.qdrantedge.engine.operation.DeletePoints;
import dev.qdrantedge.engine.operation.PointStruct;
import dev.qdrantedge.engine.operation.UpsertPoints;
import dev.qdrantedge.engine.search.ScoredPoint;
import dev.qdrantedge.engine.search.SearchRequest;
import dev.qdrantedge.engine.vectors.DenseVector;
import dev.qdrantedge.engine.vectors.Distance;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.JsonNodeFactory;

/** Search, count and filtered reads over a shard open for writing see every update, before and after reopening. */
class WritableShardSearchTest {

    @TempDir
    Path temp;

    @Test
    void searchSeesUpsertsDeletesAndMovesOfTheWritePath() {
        Random random = new Random(5);
        Map<PointId, float[]> expected = new LinkedHashMap<>();
        Path dir = temp.resolve("shard");
        float[] query = {0.5f, -0.25f, 1f, 0.125f};
        try (EdgeShard shard = EdgeShard.create(dir, EdgeConfig.of(new VectorParams(4, Distance.DOT)))) {
            List<PointStruct> points = new ArrayList<>();
            for (int i = 1; i <= 200; i++) {
                float[] v = {random.nextFloat(), random.nextFloat(), random.nextFloat(), random.nextFloat()};
                expected.put(PointId.of(i), v);
                points.add(new PointStruct(PointId.of(i), Map.of("", new DenseVector(v)),
                        Optional.of(JsonNodeFactory.instance.objectNode().put("even", i % 2 == 0))));
            }
            shard.update(new UpsertPoints(points));
            List<PointId> best = best(expected, query, 5);
            shard.update(new DeletePoints(List.of(best.get(0))));
            expected.remove(best.get(0));
            float[] moved = {10f, 10f, 10f, 10f};
            shard.update(new UpsertPoints(List.of(new PointStruct(PointId.of(7), Map.of("", new DenseVector(moved)),
                    Optional.empty()))));
            expected.put(PointId.of(7), moved);

            assertThat(ids(shard.search(SearchRequest.of("", new DenseVector(query), 10))))
                    .containsExactlyElementsOf(best(expected, query, 10));
            assertThat(shard.count(FilterParser.parse(JsonMapper.builder().build()
                    .readTree("{\"must\":[{\"key\":\"even\",\"match\":{\"value\":true}}]}")))).isEqualTo(
                    expected.keySet().stream().filter(id -> id.compareTo(PointId.of(7)) != 0
                            && ((PointId.Num) id).value() % 2 == 0).count());
        }
        try (EdgeShard shard = EdgeShard.load(dir)) {
            assertThat(ids(shard.search(SearchRequest.of("", new DenseVector(query), 10))))
                    .containsExactlyElementsOf(best(expected, query, 10));
        }
    }

    private static List<PointId> ids(List<ScoredPoint> hits) {
        return hits.stream().map(ScoredPoint::id).toList();
    }

    private static List<PointId> best(Map<PointId, float[]> points, float[] query, int k) {
        return points.entrySet().stream()
                .sorted(Comparator.comparingDouble((Map.Entry<PointId, float[]> e) -> -dot(e.getValue(), query))
                        .thenComparing(Map.Entry::getKey))
                .limit(k).map(Map.Entry::getKey).toList();
    }

    private static double dot(float[] a, float[] b) {
        double s = 0;
        for (int i = 0; i < a.length; i++) {
            s += (double) a[i] * b[i];
        }
        return s;
    }
}
