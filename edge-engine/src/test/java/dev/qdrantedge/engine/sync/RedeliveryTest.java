package dev.qdrantedge.engine.sync;

import static dev.qdrantedge.engine.sync.SyncTestSupport.contents;
import static dev.qdrantedge.engine.sync.SyncTestSupport.encoded;
import static dev.qdrantedge.engine.sync.SyncTestSupport.id;
import static org.assertj.core.api.Assertions.assertThat;

import dev.qdrantedge.engine.idtracker.PointId;
import dev.qdrantedge.engine.operation.ConditionalUpsertPoints;
import dev.qdrantedge.engine.operation.DeletePointsByFilter;
import dev.qdrantedge.engine.operation.UpdateMode;
import dev.qdrantedge.engine.operation.UpdateOperation;
import dev.qdrantedge.engine.shard.EdgeShard;
import dev.qdrantedge.engine.shard.PointNotFoundException;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Batches the server applied but whose acknowledgement was lost are delivered again, and the server still
 * ends as if each operation had been applied once: operations that select points by a filter or a condition
 * go again restricted to the points they selected, not decided again on the server's newer state.
 */
class RedeliveryTest {

    @TempDir
    Path temp;

    /**
     * A sink in front of a server that applies each batch but loses the acknowledgement of some: the
     * publisher must deliver those batches again.
     */
    private static final class LosingAcks implements OutboxSink {
        private final OutboxSink server;
        private final Random random;
        private final double lossRate;
        final List<List<String>> batches = new ArrayList<>();
        int lost;

        private final boolean loseFirst;

        LosingAcks(OutboxSink server, long seed, double lossRate) {
            this(server, seed, lossRate, false);
        }

        private LosingAcks(OutboxSink server, long seed, double lossRate, boolean loseFirst) {
            this.server = server;
            this.random = new Random(seed);
            this.lossRate = lossRate;
            this.loseFirst = loseFirst;
        }

        /** Loses the acknowledgement of the first batch only. */
        static LosingAcks first(OutboxSink server) {
            return new LosingAcks(server, 0, 0, true);
        }

        @Override
        public void deliver(List<UpdateOperation> operations) throws DeliveryException {
            batches.add(SyncTestSupport.encoded(operations));
            server.deliver(operations);
            if (loseFirst ? batches.size() == 1 : random.nextDouble() < lossRate) {
                lost++;
                throw DeliveryException.transientFailure("connection reset before the answer", null);
            }
        }
    }

    private static PublisherOptions options(int batchSize) {
        return new PublisherOptions(batchSize, Duration.ZERO,
                new Backoff(Duration.ofMillis(1), 2, Duration.ofMillis(5), 0), Duration.ofSeconds(5));
    }

    private static void deliver(EdgeStore store, OutboxSink sink, int batchSize) throws InterruptedException {
        try (OutboxPublisher publisher = new OutboxPublisher(store.outbox(), sink, options(batchSize),
                Clock.systemUTC())) {
            publisher.start();
            assertThat(publisher.awaitDrained(Duration.ofSeconds(60))).as("delivered").isTrue();
        }
    }

    @Test
    void aDeleteByFilterDeliveredAgainDoesNotDeleteAPointALaterOperationMadeMatch() throws Exception {
        try (TestServer server = TestServer.create(temp.resolve("server"), SyncTestSupport.config());
                EdgeStore store = EdgeStore.open(temp.resolve("store"), SyncTestSupport.config())) {
            server.apply(SyncTestSupport.upsert("srv", 1, 2, 3));
            store.refresh(server.source());
            store.update(new DeletePointsByFilter(SyncTestSupport.json(
                    "{\"must\":[{\"key\":\"n\",\"match\":{\"value\":100}}]}")));
            store.update(SyncTestSupport.setPayload("{\"n\":100}", 1));

            LosingAcks sink = LosingAcks.first(server.sink());
            deliver(store, sink, 10);

            assertThat(sink.batches).hasSize(2);
            assertThat(sink.batches.get(1)).as("the delete selected no point, so only the payload change goes"
                    + " again").containsExactly(encoded(SyncTestSupport.setPayload("{\"n\":100}", 1)));
            assertThat(contents(server.shard())).containsKey(id(1)).isEqualTo(contents(store));
        }
    }

    @Test
    void aConditionalUpsertDeliveredAgainIsNotDecidedAgain() throws Exception {
        try (TestServer server = TestServer.create(temp.resolve("server"), SyncTestSupport.config());
                EdgeStore store = EdgeStore.open(temp.resolve("store"), SyncTestSupport.config())) {
            server.apply(SyncTestSupport.upsert("srv", 1, 2));
            store.refresh(server.source());
            // point 2 is tagged "srv": the condition fails, the upsert leaves it alone
            store.update(new ConditionalUpsertPoints(List.of(SyncTestSupport.point(2, new float[] {9, 9, 9, 9},
                    "{\"fresh\":true}")),
                    SyncTestSupport.json("{\"must\":[{\"key\":\"tag\",\"match\":{\"value\":\"other\"}}]}"),
                    UpdateMode.UPSERT));
            store.update(SyncTestSupport.setPayload("{\"tag\":\"other\"}", 2));
            String before = contents(store).get(id(2));

            LosingAcks sink = LosingAcks.first(server.sink());
            deliver(store, sink, 10);

            assertThat(contents(server.shard()).get(id(2))).isEqualTo(before);
            assertThat(contents(server.shard())).isEqualTo(contents(store));
        }
    }

    @Test
    void randomOperationsWhoseAcknowledgementsAreOftenLostEndAsAppliedOnce() throws Exception {
        for (long seed = 1; seed <= 12; seed++) {
            Path dir = temp.resolve("run" + seed);
            try (TestServer server = TestServer.create(dir.resolve("server"), SyncTestSupport.config());
                    EdgeStore store = EdgeStore.open(dir.resolve("store"), SyncTestSupport.config());
                    EdgeShard model = EdgeShard.create(dir.resolve("model"), SyncTestSupport.config())) {
                RandomOperations ops = new RandomOperations(seed, 25);
                List<dev.qdrantedge.engine.operation.PointStruct> initial = new ArrayList<>();
                for (long i = 1; i <= 20; i++) {
                    initial.add(ops.point(i));
                }
                server.apply(new dev.qdrantedge.engine.operation.UpsertPoints(initial));
                model.update(new dev.qdrantedge.engine.operation.UpsertPoints(initial));
                store.refresh(server.source());
                LosingAcks sink = new LosingAcks(server.sink(), seed, 0.5);
                Random random = new Random(seed);
                for (int step = 0; step < 120; step++) {
                    UpdateOperation op = ops.next();
                    try {
                        store.update(op);
                    } catch (MissingPointException e) {
                        continue;
                    }
                    try {
                        model.update(op);
                    } catch (PointNotFoundException e) {
                        throw new AssertionError("seed " + seed + " step " + step + ": " + e.getMessage(), e);
                    }
                    if (random.nextInt(15) == 0) {
                        deliver(store, sink, 1 + random.nextInt(8));
                    }
                }
                deliver(store, sink, 8);
                assertThat(sink.lost).as("seed %d: acknowledgements were lost", seed).isPositive();
                assertThat(contents(server.shard())).as("seed %d: the server", seed).isEqualTo(contents(model));
                assertThat(contents(store)).as("seed %d: the store", seed).isEqualTo(contents(model));
            }
        }
    }

    @Test
    void restrictionSelectsTheRecordedPointsOnly() {
        DeletePointsByFilter delete = new DeletePointsByFilter(SyncTestSupport.json("{\"must\":[]}"));
        assertThat(RestrictedOperations.restrict(delete, List.of())).isEmpty();
        assertThat(RestrictedOperations.restrict(delete, List.<PointId>of(id(4), id(7))))
                .contains(SyncTestSupport.delete(4, 7));
        var byFilter = SyncTestSupport.setPayloadByFilter("{\"a\":1}", "{\"must\":[{\"key\":\"a\",\"match\":{\"value\":2}}]}");
        UpdateOperation restricted = RestrictedOperations.restrict(byFilter, List.of(id(3))).orElseThrow();
        assertThat(encoded(restricted)).isEqualTo(encoded(SyncTestSupport.setPayloadByFilter("{\"a\":1}",
                "{\"must\":[{\"has_id\":[3]}]}")));
        var byIds = SyncTestSupport.setPayload("{\"a\":1}", 3, 4);
        assertThat(RestrictedOperations.restrict(byIds, List.of(id(3)))).contains(byIds);
    }
}
