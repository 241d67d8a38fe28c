package dev.qdrantedge.spring.sync;

import static dev.qdrantedge.spring.sync.SyncFixtures.COLLECTION;
import static dev.qdrantedge.spring.sync.SyncFixtures.config;
import static org.assertj.core.api.Assertions.assertThat;

import dev.qdrantedge.engine.idtracker.PointId;
import dev.qdrantedge.engine.operation.DeletePoints;
import dev.qdrantedge.engine.operation.PointStruct;
import dev.qdrantedge.engine.operation.SetPayload;
import dev.qdrantedge.engine.operation.UpsertPoints;
import dev.qdrantedge.engine.query.ScrollRequest;
import dev.qdrantedge.engine.search.ScoredPoint;
import dev.qdrantedge.engine.search.SearchRequest;
import dev.qdrantedge.engine.search.WithPayload;
import dev.qdrantedge.engine.search.WithVector;
import dev.qdrantedge.engine.shard.EdgeShard;
import dev.qdrantedge.engine.shard.Record;
import dev.qdrantedge.engine.shard.ScrollPage;
import dev.qdrantedge.engine.sync.EdgeStore;
import dev.qdrantedge.engine.sync.HttpSnapshotOptions;
import dev.qdrantedge.engine.sync.HttpSnapshotSource;
import dev.qdrantedge.engine.sync.RefreshResult;
import dev.qdrantedge.engine.vectors.DenseVector;
import dev.qdrantedge.engine.vectors.VectorValue;
import dev.qdrantedge.spring.testsupport.FakeQdrantServer;
import dev.qdrantedge.spring.testsupport.SnapshotExchange;
import dev.qdrantedge.spring.testsupport.SnapshotRequest;
import io.grpc.Status;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Reads of an edge store around a refresh, against the fake server over gRPC (deliveries) and REST (shard
 * snapshots through a {@link PausingProxy} that stops the download mid-stream):
 * <ul>
 *   <li>writes the server acknowledged before the snapshot request, and writes still waiting for delivery
 *       (the server refuses deliveries meanwhile), are read before the refresh, while its download stands
 *       still, and after it: each point once in retrieve, scroll, count and search;</li>
 *   <li>after the refresh the acknowledged writes are read from the mirror alone (their local copies are
 *       dropped), the waiting ones still from their local copies;</li>
 *   <li>writes applied on the server side (directly to the fake's shard) are not read before the refresh and
 *       are read after it;</li>
 *   <li>the refresh after these few changes is partial and transfers fewer bytes than the full one that
 *       bootstrapped the store; once the waiting writes are delivered, the next refresh reflects them too and
 *       nothing is left local.</li>
 * </ul>
 */
class ReadYourWritesRefreshTest {

    private static final int POINTS = 300;

    @TempDir
    Path temp;

    @Test
    void writesAreReadOnceBeforeDuringAndAfterARefreshAndServerWritesAfterIt() throws Exception {
        ExecutorService background = Executors.newSingleThreadExecutor();
        Path serverDir = twoSegmentShard(temp.resolve("server"), temp.resolve("second"));
        try (FakeQdrantServer server = FakeQdrantServer.builder(COLLECTION, config()).directory(serverDir).tcp()
                        .http().start();
                PausingProxy proxy = PausingProxy.toLoopbackPort(server.httpPort());
                SyncApp app = SyncApp.start(temp.resolve("store"), server.host(), server.port(), "app",
                        SyncFixtures.publisherOptions(20))) {
            HttpSnapshotSource source = new HttpSnapshotSource(HttpSnapshotOptions.builder(proxy.httpUri(),
                    COLLECTION, FakeQdrantServer.SHARD_ID).build());
            EdgeStore store = app.store;

            RefreshResult full = store.refresh(source);
            assertThat(full.kind()).isEqualTo(RefreshResult.Kind.FULL);
            assertThat(store.count(null)).isEqualTo(POINTS);

            // Acknowledged by the server before the next snapshot request: a new point and an edited one.
            store.update(new UpsertPoints(List.of(point(5001, "{'n': 5001, 'from': 'edge, delivered'}"))));
            store.update(setPayload(7, "{'edited': 'delivered'}"));
            assertThat(app.publisher.awaitDrained(Duration.ofSeconds(30))).isTrue();
            // Accepted but not delivered when the refresh runs: the server refuses deliveries meanwhile.
            RecordedFailures refusing = RecordedFailures.rejecting(server, r -> true,
                    Status.UNAVAILABLE.withDescription("maintenance"));
            store.update(new UpsertPoints(List.of(point(5002, "{'n': 5002, 'from': 'edge, waiting'}"))));
            store.update(setPayload(8, "{'edited': 'waiting'}"));
            store.update(new DeletePoints(List.of(PointId.of(9))));
            awaitRefused(refusing);
            // Written on the server side, behind the edge's back.
            server.shard().update(new UpsertPoints(List.of(point(6001, "{'n': 6001, 'from': 'server, later'}"))));
            server.shard().update(setPayload(10, "{'edited': 'on the server'}"));

            Map<Long, String> edgeWrites = new LinkedHashMap<>();
            edgeWrites.put(5001L, "edge, delivered");
            edgeWrites.put(5002L, "edge, waiting");
            Map<Long, String> edits = new LinkedHashMap<>();
            edits.put(7L, "delivered");
            edits.put(8L, "waiting");
            checkReads(store, "before the refresh", edgeWrites, edits, Set.of(9L), POINTS + 2 - 1);
            assertThat(store.retrieve(List.of(PointId.of(6001)), false, false)).as("not refreshed yet").isEmpty();

            proxy.pauseAfter(400);
            server.clearRequests();
            Future<RefreshResult> refreshing = background.submit(() -> store.refresh(source));
            proxy.awaitPaused(Duration.ofSeconds(30));
            assertThat(refreshing.isDone()).isFalse();
            checkReads(store, "while the snapshot downloads", edgeWrites, edits, Set.of(9L), POINTS + 2 - 1);
            proxy.release();
            RefreshResult partial = refreshing.get(60, TimeUnit.SECONDS);

            assertThat(partial.kind()).isEqualTo(RefreshResult.Kind.PARTIAL);
            assertThat(partial.entriesReflected()).as("the two delivered writes").isEqualTo(2);
            assertThat(partial.bytes()).as("a partial snapshot after a few changes").isPositive()
                    .isLessThan(full.bytes());
            List<SnapshotExchange> exchanges = server.snapshotExchanges();
            assertThat(exchanges).extracting(SnapshotExchange::kind).containsExactly(SnapshotRequest.Kind.PARTIAL);
            assertThat(exchanges.get(0).bytes()).isEqualTo(partial.bytes());
            edits.put(10L, "on the server");
            checkReads(store, "after the refresh", edgeWrites, edits, Set.of(9L), POINTS + 3 - 1);
            assertThat(store.retrieve(List.of(PointId.of(6001)), true, false)).singleElement()
                    .satisfies(r -> assertThat(r.payload().get("from").asString()).isEqualTo("server, later"));
            assertThat(store.status().localPoints()).as("only the waiting upsert and edit stay local")
                    .isEqualTo(2);
            assertThat(store.status().shadowedPoints()).as("and the waiting delete's mark").isEqualTo(3);

            refusing.close();
            assertThat(app.publisher.awaitDrained(Duration.ofSeconds(30))).isTrue();
            RefreshResult last = store.refresh(source);
            assertThat(last.kind()).isEqualTo(RefreshResult.Kind.PARTIAL);
            assertThat(last.entriesReflected()).isEqualTo(3);
            checkReads(store, "once everything is reflected", edgeWrites, edits, Set.of(9L), POINTS + 3 - 1);
            assertThat(store.status().localPoints()).isZero();
            assertThat(store.status().shadowedPoints()).isZero();
            assertThat(PointsView.of(store)).as("the store reads as the server").isEqualTo(PointsView.of(server.shard()));
        } finally {
            background.shutdownNow();
        }
    }

    /**
     * Every read of the store agrees: the edge's new points and edits are there once, deleted points are not,
     * and retrieve, scroll, count and search see the same {@code count} points, each once.
     */
    private static void checkReads(EdgeStore store, String when, Map<Long, String> newPoints, Map<Long, String> edits,
            Set<Long> deleted, int count) {
        for (Map.Entry<Long, String> e : newPoints.entrySet()) {
            assertThat(store.retrieve(List.of(PointId.of(e.getKey())), true, false)).as(when + ": point " + e.getKey())
                    .singleElement().satisfies(r -> assertThat(r.payload().get("from").asString())
                            .isEqualTo(e.getValue()));
        }
        for (Map.Entry<Long, String> e : edits.entrySet()) {
            assertThat(store.retrieve(List.of(PointId.of(e.getKey())), true, false)).as(when + ": point " + e.getKey())
                    .singleElement().satisfies(r -> {
                        assertThat(r.payload().get("edited").asString()).isEqualTo(e.getValue());
                        assertThat(r.payload().get("n").asLong()).isEqualTo(e.getKey());
                    });
        }
        for (long id : deleted) {
            assertThat(store.retrieve(List.of(PointId.of(id)), false, false)).as(when + ": deleted " + id).isEmpty();
        }
        assertThat(store.count(null)).as(when + ": count").isEqualTo(count);
        List<PointId> scrolled = new ArrayList<>();
        PointId offset = null;
        do {
            ScrollPage page = store.scroll(new ScrollRequest(offset, 64, null, WithPayload.NONE, WithVector.NONE));
            page.points().stream().map(Record::id).forEach(scrolled::add);
            offset = page.nextOffset();
        } while (offset != null);
        assertThat(scrolled).as(when + ": scroll").hasSize(count).doesNotHaveDuplicates();
        assertThat(new HashSet<>(scrolled)).as(when + ": scroll").containsAll(
                newPoints.keySet().stream().map(PointId::of).toList()).doesNotContainAnyElementsOf(
                deleted.stream().map(PointId::of).toList());
        for (long id : newPoints.keySet()) {
            List<ScoredPoint> hits = store.search(SearchRequest.of("text", vector(id), 5));
            assertThat(hits).as(when + ": search near point " + id).extracting(ScoredPoint::id)
                    .doesNotHaveDuplicates().first().isEqualTo(PointId.of(id));
        }
        List<ScoredPoint> all = store.search(SearchRequest.of("text", vector(1), count + 10));
        assertThat(all).as(when + ": search over everything").hasSize(count).extracting(ScoredPoint::id)
                .doesNotHaveDuplicates();
    }

    /**
     * The server's shard in {@code dir}: two segments, as a Qdrant server has several, points 1 to 100 in one
     * and 101 to {@value #POINTS} in the other (built as two shards whose segments are then put together). The
     * changes of this test touch points of the first one, and new points go there too (the smaller one), so a
     * partial snapshot leaves the second out.
     */
    private static Path twoSegmentShard(Path dir, Path other) throws IOException {
        try (EdgeShard first = EdgeShard.create(dir, config()); EdgeShard second = EdgeShard.create(other, config())) {
            // Operation 0 changes nothing: files at version 0 go into every partial snapshot, as in Qdrant.
            first.update(new DeletePoints(List.of(PointId.of(999_999))));
            second.update(new DeletePoints(List.of(PointId.of(999_999))));
            first.update(new UpsertPoints(points(1, 100)));
            second.update(new UpsertPoints(points(101, POINTS)));
        }
        Path segments = dir.resolve(EdgeShard.SEGMENTS_DIR);
        try (Stream<Path> moved = Files.list(other.resolve(EdgeShard.SEGMENTS_DIR))) {
            for (Path segment : moved.toList()) {
                Files.move(segment, segments.resolve(segment.getFileName()));
            }
        }
        try (EdgeShard shard = EdgeShard.load(dir)) {
            assertThat(shard.count()).isEqualTo(POINTS);
            assertThat(shard.info().segmentsCount()).isEqualTo(2);
        }
        return dir;
    }

    private static List<PointStruct> points(int from, int to) {
        List<PointStruct> points = new ArrayList<>();
        for (int i = from; i <= to; i++) {
            points.add(point(i, "{'n': " + i + ", 'from': 'server'}"));
        }
        return points;
    }

    /** Point {@code id} with the text vector {@link #vector(long)} and w = (id, 0). */
    private static PointStruct point(long id, String payload) {
        Map<String, VectorValue> vectors = Map.of("text", vector(id), "w", new DenseVector(new float[] {id, 0}));
        return new PointStruct(PointId.of(id), vectors, Optional.of(SyncFixtures.JSON.createObjectNode()
                .setAll((tools.jackson.databind.node.ObjectNode) SyncFixtures.json(payload))));
    }

    /** A unit vector of its own for each id, nearest (by Dot) to itself among the others. */
    private static DenseVector vector(long id) {
        double angle = id * 0.7;
        double tilt = (id % 97) * 0.03;
        return new DenseVector(new float[] {(float) (Math.cos(angle) * Math.cos(tilt)),
                (float) (Math.sin(angle) * Math.cos(tilt)), (float) Math.sin(tilt), 0f});
    }

    private static SetPayload setPayload(long id, String payload) {
        return new SetPayload((tools.jackson.databind.node.ObjectNode) SyncFixtures.json(payload),
                Optional.of(List.of(PointId.of(id))), Optional.empty(), Optional.empty());
    }

    private static void awaitRefused(RecordedFailures refusing) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        while (refusing.count() == 0) {
            assertThat(System.nanoTime() < deadline).as("a delivery is refused").isTrue();
            Thread.sleep(10);
        }
    }
}
