package dev.qdrantedge.engine.optimize;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.qdrantedge.engine.config.EdgeConfig;
import dev.qdrantedge.engine.config.HnswConfig;
import dev.qdrantedge.engine.config.OptimizersConfig;
import dev.qdrantedge.engine.config.VectorParams;
import dev.qdrantedge.engine.idtracker.IdTracker;
import dev.qdrantedge.engine.idtracker.PointId;
import dev.qdrantedge.engine.operation.DeletePoints;
import dev.qdrantedge.engine.operation.PointStruct;
import dev.qdrantedge.engine.operation.UpsertPoints;
import dev.qdrantedge.engine.search.ScoredPoint;
import dev.qdrantedge.engine.search.SearchRequest;
import dev.qdrantedge.engine.segment.Segment;
import dev.qdrantedge.engine.segment.SegmentDirectories;
import dev.qdrantedge.engine.shard.EdgeShard;
import dev.qdrantedge.engine.shard.Record;
import dev.qdrantedge.engine.vectors.DenseVector;
import dev.qdrantedge.engine.vectors.Distance;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.json.JsonMapper;

/**
 * An optimization stopped at each step of its switch leaves a shard that opens with every point exactly once
 * (physically: one live copy over all segments once opening completed or discarded the switch) and unchanged;
 * and updates and searches made while an optimization runs are neither lost nor wrong.
 */
public class OptimizeCrashTest {

    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final int POINTS = 600;
    private static final int DIM = 8;

    @TempDir
    Path temp;

    @AfterEach
    void resetListener() {
        OptimizeJournal.stepListener = step -> { };
    }

    /** A shard configuration whose optimizers index any segment: one 8-dimensional Dot vector {@code v}. */
    public static EdgeConfig config() {
        Map<String, VectorParams> vectors = new LinkedHashMap<>();
        vectors.put("v", new VectorParams(DIM, Distance.DOT));
        return new EdgeConfig(vectors, Map.of(), null, new HnswConfig(8, 32, 1, 0, null, null, null),
                new OptimizersConfig(null, null, null, null, 1, null), null);
    }

    /** Upserts points {@code from .. from + count - 1} with seeded vectors and payload {@code n}; returns them. */
    public static Map<PointId, float[]> fill(EdgeShard shard, int from, int count, long seed) {
        Random random = new Random(seed);
        Map<PointId, float[]> written = new HashMap<>();
        List<PointStruct> batch = new ArrayList<>();
        for (int i = from; i < from + count; i++) {
            float[] v = new float[DIM];
            for (int j = 0; j < DIM; j++) {
                v[j] = random.nextFloat() - 0.5f;
            }
            written.put(PointId.of(i), v);
            batch.add(new PointStruct(PointId.of(i), Map.of("v", new DenseVector(v)),
                    Optional.of(JSON.createObjectNode().put("n", i))));
            if (batch.size() == 100) {
                shard.update(new UpsertPoints(batch));
                batch = new ArrayList<>();
            }
        }
        if (!batch.isEmpty()) {
            shard.update(new UpsertPoints(batch));
        }
        return written;
    }

    /** Live copies of each point over all segment directories. */
    static Map<PointId, Integer> physicalCopies(Path shardDir) {
        Map<PointId, Integer> copies = new HashMap<>();
        for (Path dir : SegmentDirectories.scan(shardDir.resolve("segments"))) {
            try (Segment segment = Segment.open(dir)) {
                IdTracker tracker = segment.idTracker();
                for (int i = 0; i < tracker.totalPointCount(); i++) {
                    if (tracker.isLive(i)) {
                        copies.merge(tracker.externalId(i), 1, Integer::sum);
                    }
                }
            }
        }
        return copies;
    }

    static void assertHolds(EdgeShard shard, Map<PointId, float[]> expected) {
        assertThat(shard.count()).isEqualTo(expected.size());
        List<Record> records = shard.retrieve(expected.keySet(), true, true);
        assertThat(records).hasSize(expected.size());
        for (Record r : records) {
            assertThat(((DenseVector) r.vectors().get("v")).values()).as("vector of %s", r.id())
                    .isEqualTo(expected.get(r.id()));
            assertThat(r.payload().get("n").asLong()).isEqualTo(((PointId.Num) r.id()).value());
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"staged", "committed", "moved-in", "moved-out", "marker-removed"})
    void anOptimizationStoppedAtAStepLeavesEveryPointExactlyOnce(String stopAt) {
        Path dir = temp.resolve("shard");
        Map<PointId, float[]> written;
        try (EdgeShard shard = EdgeShard.create(dir, config())) {
            written = fill(shard, 0, POINTS, 7);
            shard.update(new DeletePoints(List.of(PointId.of(1_000_000)))); // see OptimizeCompatTest
            shard.flush();
            OptimizeJournal.stepListener = step -> {
                if (step.startsWith(stopAt)) {
                    throw new IllegalStateException("stopped at " + step);
                }
            };
            assertThatThrownBy(shard::optimize).hasMessageContaining("stopped at " + stopAt);
        }
        OptimizeJournal.stepListener = step -> { };
        boolean committed = !stopAt.equals("staged");
        try (EdgeShard shard = EdgeShard.load(dir)) {
            assertHolds(shard, written);
            assertThat(shard.info().indexedVectorsCount()).isEqualTo(committed ? POINTS : 0);
        }
        assertThat(Files.exists(dir.resolve(OptimizeJournal.WORK_DIR))).isFalse();
        Map<PointId, Integer> copies = physicalCopies(dir);
        assertThat(copies).hasSize(POINTS);
        assertThat(copies.values()).containsOnly(1);
        // the interrupted optimization can run again (or find nothing left to do)
        try (EdgeShard shard = EdgeShard.load(dir)) {
            OptimizeReport again = shard.optimize();
            assertThat(again.optimizedAny()).isEqualTo(!committed);
            assertHolds(shard, written);
        }
    }

    @Test
    void pointsOfTheLastWalEntryStayInTheOptimizedSegmentAcrossReopening() {
        Path dir = temp.resolve("last-entry");
        long indexed;
        try (EdgeShard shard = EdgeShard.create(dir, config())) {
            fill(shard, 0, POINTS, 5); // the last WAL entry is an upsert of points the optimization takes in
            assertThat(shard.optimize().optimizedAny()).isTrue();
            assertThat(shard.optimize().optimizedAny()).as("nothing left to do").isFalse();
            indexed = shard.info().indexedVectorsCount();
            assertThat(indexed).isEqualTo(POINTS);
        }
        try (EdgeShard shard = EdgeShard.load(dir)) {
            assertThat(shard.info().indexedVectorsCount()).as("replaying the WAL moved no point out").isEqualTo(indexed);
            assertThat(shard.optimize().optimizedAny()).isFalse();
            assertThat(shard.count(null)).isEqualTo(POINTS);
        }
    }

    @Test
    void updatesAndSearchesDuringAnOptimizationAreNeitherLostNorWrong() throws Exception {
        Path dir = temp.resolve("shard");
        Map<PointId, float[]> expected;
        try (EdgeShard shard = EdgeShard.create(dir, config())) {
            expected = new HashMap<>(fill(shard, 0, POINTS, 11));
            float[] query = {1, 0, 0, 0, 0, 0, 0, 0};
            List<PointId> before = shard.search(SearchRequest.of("v", new DenseVector(query), 5)).stream()
                    .map(ScoredPoint::id).toList();
            AtomicReference<Throwable> failure = new AtomicReference<>();
            List<List<PointId>> seen = new ArrayList<>();
            OptimizeJournal.stepListener = step -> {
                if (step.equals("staging")) {
                    // reads go on while the optimized segment is built (updates wait); checked as it starts
                    seen.add(shard.search(SearchRequest.of("v", new DenseVector(query), 5)).stream()
                            .map(ScoredPoint::id).toList());
                }
            };
            Thread writer = new Thread(() -> {
                try {
                    expected.putAll(fill(shard, POINTS, 200, 12));
                } catch (Throwable t) {
                    failure.set(t);
                }
            });
            Thread optimizer = new Thread(() -> {
                try {
                    shard.optimize();
                } catch (Throwable t) {
                    failure.set(t);
                }
            });
            optimizer.start();
            writer.start();
            optimizer.join();
            writer.join();
            assertThat(failure.get()).isNull();
            assertThat(seen).allSatisfy(ids -> assertThat(ids).hasSize(5));
            assertHolds(shard, expected);
            List<PointId> after = shard.search(SearchRequest.of("v", new DenseVector(query), 5)).stream()
                    .map(ScoredPoint::id).toList();
            assertThat(after).hasSize(5);
            assertThat(before).isNotEmpty();
        }
        try (EdgeShard shard = EdgeShard.load(dir)) {
            assertHolds(shard, expected);
        }
    }
}
