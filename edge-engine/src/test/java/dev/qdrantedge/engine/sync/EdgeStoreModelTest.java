package dev.qdrantedge.engine.sync;

import static dev.qdrantedge.engine.sync.SyncTestSupport.canonical;
import static dev.qdrantedge.engine.sync.SyncTestSupport.contents;
import static org.assertj.core.api.Assertions.assertThat;

import dev.qdrantedge.engine.EdgeOperations;
import dev.qdrantedge.engine.filter.Filter;
import dev.qdrantedge.engine.filter.FilterParser;
import dev.qdrantedge.engine.idtracker.PointId;
import dev.qdrantedge.engine.operation.PointStruct;
import dev.qdrantedge.engine.operation.UpdateOperation;
import dev.qdrantedge.engine.operation.UpsertPoints;
import dev.qdrantedge.engine.query.ScrollRequest;
import dev.qdrantedge.engine.search.ScoredPoint;
import dev.qdrantedge.engine.search.SearchRequest;
import dev.qdrantedge.engine.search.WithPayload;
import dev.qdrantedge.engine.search.WithVector;
import dev.qdrantedge.engine.shard.EdgeShard;
import dev.qdrantedge.engine.shard.PointNotFoundException;
import dev.qdrantedge.engine.shard.Record;
import dev.qdrantedge.engine.shard.ScrollPage;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The merged view against a model: random operations of every kind go to an {@link EdgeStore} (with a server
 * mirror, deliveries and refreshes at random moments) and to a plain shard that applies each one at once.
 * After every few operations every read of the store (retrieve, scroll page by page, count, search) must
 * answer as the model does, whatever was delivered or refreshed so far.
 */
class EdgeStoreModelTest {

    private static final Backoff QUICK = new Backoff(Duration.ofMillis(1), 1.0, Duration.ofMillis(1), 0.0);

    @TempDir
    Path temp;

    @ParameterizedTest
    @ValueSource(longs = {1, 2, 3})
    void theMergedViewReadsAsOneShardThatAppliedEveryWrite(long seed) throws Exception {
        RandomOperations ops = new RandomOperations(seed, 40);
        Random random = new Random(seed * 31);
        try (TestServer server = TestServer.create(temp.resolve("server"), SyncTestSupport.config());
                EdgeShard model = EdgeShard.create(temp.resolve("model"), SyncTestSupport.config());
                EdgeStore store = EdgeStore.open(temp.resolve("store"), SyncTestSupport.config())) {
            List<PointStruct> initial = new ArrayList<>();
            for (long id = 1; id <= 30; id++) {
                initial.add(ops.point(id));
            }
            server.apply(new UpsertPoints(initial));
            model.update(new UpsertPoints(initial));
            assertThat(store.refresh(server.source()).kind()).isEqualTo(RefreshResult.Kind.FULL);
            compare(store, model, random, "after the bootstrap");

            int refused = 0;
            int refreshes = 0;
            for (int step = 1; step <= 240; step++) {
                UpdateOperation op = ops.next();
                try {
                    store.update(op);
                } catch (MissingPointException e) {
                    assertThat(model.retrieve(List.of(e.pointId()), false, false))
                            .as("step %d: %s refused for %s", step, op.variant(), e.pointId()).isEmpty();
                    refused++;
                    continue;
                }
                try {
                    model.update(op);
                } catch (PointNotFoundException e) {
                    throw new AssertionError("step " + step + ": the store took " + op + " naming missing point "
                            + e.pointId());
                }
                if (random.nextInt(6) == 0) {
                    deliverAll(store, server);
                }
                if (random.nextInt(10) == 0) {
                    store.refresh(server.source());
                    refreshes++;
                }
                if (step % 6 == 0) {
                    compare(store, model, random, "step " + step + " (" + op.variant() + ")");
                }
            }
            compare(store, model, random, "after the last operation");
            deliverAll(store, server);
            store.refresh(server.source());
            compare(store, model, random, "after delivering everything and refreshing");
            assertThat(contents(server.shard())).isEqualTo(contents(model));
            StoreStatus status = store.status();
            assertThat(status.localPoints()).as("every local copy is reflected and dropped").isZero();
            assertThat(status.shadowedPoints()).isZero();
            assertThat(status.outbox().backlog()).isZero();
            assertThat(refused).as("some operations named missing points").isPositive();
            assertThat(refreshes).isPositive();
        }
    }

    @Test
    void readsAreTheLocalShardsBeforeAnyMirrorExists() {
        RandomOperations ops = new RandomOperations(9, 30);
        Random random = new Random(9);
        try (EdgeShard model = EdgeShard.create(temp.resolve("model"), SyncTestSupport.config());
                EdgeStore store = EdgeStore.open(temp.resolve("store"), SyncTestSupport.config())) {
            for (int step = 1; step <= 120; step++) {
                UpdateOperation op = ops.next();
                try {
                    store.update(op);
                } catch (MissingPointException e) {
                    continue;
                }
                model.update(op);
            }
            compare(store, model, random, "without a mirror");
            assertThat(store.hasMirror()).isFalse();
        }
    }

    static void deliverAll(EdgeStore store, TestServer server) throws InterruptedException {
        try (OutboxPublisher publisher = new OutboxPublisher(store.outbox(), server.sink(),
                new PublisherOptions(16, Duration.ZERO, QUICK, Duration.ofSeconds(5)), Clock.systemUTC())) {
            publisher.start();
            assertThat(publisher.awaitDrained(Duration.ofSeconds(30))).as("delivered").isTrue();
        }
    }

    /** Every read of {@code store} answers as {@code model}'s. */
    static void compare(EdgeOperations store, EdgeOperations model, Random random, String at) {
        assertThat(contents(store)).as(at + ": all points").isEqualTo(contents(model));
        assertThat(store.count(null)).as(at + ": count").isEqualTo(model.count(null));
        RandomOperations filters = new RandomOperations(random.nextLong(), 40);
        for (int i = 0; i < 3; i++) {
            Filter filter = FilterParser.parse(filters.filter());
            assertThat(store.count(filter)).as(at + ": count " + filter).isEqualTo(model.count(filter));
            int pageSize = 1 + random.nextInt(5);
            assertThat(scrollAll(store, filter, pageSize)).as(at + ": scroll " + filter + " by " + pageSize)
                    .isEqualTo(scrollAll(model, filter, pageSize));
            List<PointId> ids = new ArrayList<>();
            for (int k = 0; k < 8; k++) {
                ids.add(PointId.of(1 + random.nextInt(45)));
            }
            assertThat(canonicals(store.retrieve(ids, true, true))).as(at + ": retrieve " + ids)
                    .isEqualTo(canonicals(model.retrieve(ids, true, true)));
            for (String using : List.of("", "w")) {
                SearchRequest search = new SearchRequest(using, filters.vector(using.isEmpty() ? 4 : 2),
                        random.nextBoolean() ? null : filter, 1 + random.nextInt(8), random.nextInt(4), null,
                        WithPayload.ALL, WithVector.ALL, null);
                assertThat(scored(store.search(search))).as(at + ": search " + using + " " + search)
                        .isEqualTo(scored(model.search(search)));
            }
        }
    }

    /** The points matching {@code filter}, page by page; every page checked for overlaps with earlier ones. */
    static List<String> scrollAll(EdgeOperations points, Filter filter, int pageSize) {
        List<String> out = new ArrayList<>();
        PointId offset = null;
        PointId last = null;
        do {
            ScrollPage page = points.scroll(new ScrollRequest(offset, pageSize, filter, WithPayload.ALL,
                    WithVector.NONE));
            for (Record r : page.points()) {
                assertThat(last == null || last.compareTo(r.id()) < 0).as("ids ascend across pages").isTrue();
                last = r.id();
                out.add(canonical(r));
            }
            assertThat(page.points().size() == pageSize || page.nextOffset() == null).isTrue();
            offset = page.nextOffset();
        } while (offset != null);
        return out;
    }

    private static List<String> canonicals(List<Record> records) {
        return records.stream().map(SyncTestSupport::canonical).toList();
    }

    private static List<String> scored(List<ScoredPoint> points) {
        return points.stream().map(p -> p.id() + " " + p.score() + " "
                + canonical(new Record(p.id(), p.version(), p.vectors(), p.payload()))).toList();
    }
}
