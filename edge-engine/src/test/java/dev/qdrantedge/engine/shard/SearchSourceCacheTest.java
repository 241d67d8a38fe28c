package dev.qdrantedge.engine.shard;

import static org.assertj.core.api.Assertions.assertThat;

import dev.qdrantedge.engine.config.EdgeConfig;
import dev.qdrantedge.engine.config.VectorParams;
import dev.qdrantedge.engine.filter.Filter;
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
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.JsonNodeFactory;

/**
 * Search and filtered count keep what they build from the point map between writes; every update, flush and
 * snapshot update must be seen by the next read, also while other threads read.
 */
class SearchSourceCacheTest {

    private static final float[] QUERY = {1f, 0f};
    private static final Filter ALL = FilterParser.parse(JsonMapper.builder().build()
            .readTree("{\"must\":[{\"key\":\"n\",\"range\":{\"gte\":0}}]}"));

    @TempDir
    Path temp;

    @Test
    void everyReadAfterAWriteSeesIt() throws Exception {
        Path dir = temp.resolve("shard");
        try (EdgeShard shard = EdgeShard.create(dir, EdgeConfig.of(new VectorParams(2, Distance.DOT)))) {
            List<Long> live = new ArrayList<>();
            for (long i = 1; i <= 60; i++) {
                shard.update(upsert(i));
                live.add(i);
                if (i % 4 == 0) {
                    shard.update(new DeletePoints(List.of(PointId.of(i - 2))));
                    live.remove(Long.valueOf(i - 2));
                }
                if (i % 10 == 0) {
                    shard.flush();
                }
                assertThat(ids(shard.search(SearchRequest.of("", new DenseVector(QUERY), 100))))
                        .as("after point %d", i).isEqualTo(live.stream().sorted((a, b) -> Long.compare(b, a)).toList());
                assertThat(shard.count(ALL)).as("after point %d", i).isEqualTo(live.size());
            }
            Path archive = temp.resolve("snapshot.tar");
            shard.createSnapshot(archive);
            shard.update(upsert(100));
            assertThat(shard.count(ALL)).isEqualTo(live.size() + 1);
            shard.updateFromSnapshot(archive);
            assertThat(shard.count(ALL)).isEqualTo(live.size());
            assertThat(ids(shard.search(SearchRequest.of("", new DenseVector(QUERY), 1)))).containsExactly(60L);
        }
    }

    /**
     * A writer appends point i and deletes point i - 3, so the live points are always a window of up to four
     * consecutive ids; readers searching meanwhile must always see such a window, never a deleted point or a
     * gap, and the writer's own reads see its last write.
     */
    @Test
    void readersRacingAWriterSeeWholeStates() throws Exception {
        Path dir = temp.resolve("shard");
        try (EdgeShard shard = EdgeShard.create(dir, EdgeConfig.of(new VectorParams(2, Distance.DOT)))) {
            AtomicBoolean done = new AtomicBoolean();
            ConcurrentLinkedQueue<String> problems = new ConcurrentLinkedQueue<>();
            List<Thread> readers = new ArrayList<>();
            for (int r = 0; r < 2; r++) {
                Thread reader = new Thread(() -> {
                    try {
                        while (!done.get()) {
                            List<Long> ids = ids(shard.search(SearchRequest.of("", new DenseVector(QUERY), 10)));
                            if (ids.size() > 4 || !contiguousDescending(ids)) {
                                problems.add("search returned " + ids);
                            }
                            long count = shard.count(ALL);
                            if (count > 4) {
                                problems.add("count " + count);
                            }
                        }
                    } catch (RuntimeException e) {
                        problems.add(e.toString());
                    }
                });
                reader.start();
                readers.add(reader);
            }
            try {
                for (long i = 1; i <= 300; i++) {
                    shard.update(upsert(i));
                    if (i > 3) {
                        shard.update(new DeletePoints(List.of(PointId.of(i - 3))));
                    }
                    if (i % 50 == 0) {
                        shard.flush();
                    }
                    assertThat(ids(shard.search(SearchRequest.of("", new DenseVector(QUERY), 1)))).containsExactly(i);
                }
            } finally {
                done.set(true);
                for (Thread reader : readers) {
                    reader.join();
                }
            }
            assertThat(problems).isEmpty();
        }
    }

    private static UpsertPoints upsert(long id) {
        return new UpsertPoints(List.of(new PointStruct(PointId.of(id), Map.of("", new DenseVector(new float[] {id, 0f})),
                Optional.of(JsonNodeFactory.instance.objectNode().put("n", id)))));
    }

    private static boolean contiguousDescending(List<Long> ids) {
        for (int i = 1; i < ids.size(); i++) {
            if (ids.get(i) != ids.get(i - 1) - 1) {
                return false;
            }
        }
        return true;
    }

    private static List<Long> ids(List<ScoredPoint> hits) {
        List<Long> out = new ArrayList<>();
        for (ScoredPoint p : hits) {
            out.add(((PointId.Num) p.id()).value());
        }
        return out;
    }
}
