package dev.qdrantedge.spring.sync;

import java.util.Optional;
import java.util.HashMap;
import static dev.qdrantedge.spring.sync.SyncFixtures.COLLECTION;
import static dev.qdrantedge.spring.sync.SyncFixtures.config;
import static org.assertj.core.api.Assertions.assertThat;

import dev.qdrantedge.engine.idtracker.PointId;
import dev.qdrantedge.engine.shard.EdgeShard;
import dev.qdrantedge.engine.sync.StoreStatus;
import dev.qdrantedge.spring.testsupport.FakeQdrantServer;
import dev.qdrantedge.spring.testsupport.ReceivedRequest;
import io.grpc.Status;
import io.qdrant.client.grpc.Points;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Ten thousand mixed operations through an outage of the server and a restart of the application, over gRPC
 * on a loopback TCP port: a store with a publisher delivering through a {@code QdrantOutboxSink} to a
 * {@link FakeQdrantServer}.
 *
 * <p>After 4,000 operations the server answers every request {@code UNAVAILABLE} for 30 s; the application
 * goes on writing (3,000 more), is restarted in the middle of the outage (publisher stopped, store and client
 * closed, all opened again from the same directory), and writes the last 3,000. Once the outage is over, the
 * backlog drains; then every operation arrived exactly once in effect and in order:
 * <ul>
 *   <li>the server's points (ids, vectors, payloads) equal those of a model shard that applied the 10,000
 *       operations once, in order, and so do the store's;</li>
 *   <li>the requests the server applied carried exactly the accepted operations, in order, each once, but for
 *       whole-batch redeliveries right after the restart ({@link DeliveryOrder}): per point, the server
 *       applied the operations in the order the application made them;</li>
 *   <li>the outage was felt by both application instances, and nothing is left to deliver or dead.</li>
 * </ul>
 */
class OutageAndRestartTest {

    private static final long SEED = 4_211L;
    private static final int OPERATIONS = 10_000;
    private static final int BEFORE_OUTAGE = 4_000;
    private static final int BEFORE_RESTART = 7_000;
    private static final int POINTS = 300;
    private static final int BATCH = 100;
    private static final Duration OUTAGE = Duration.ofSeconds(30);

    @TempDir
    Path temp;

    @Test
    void everyOperationArrivesOnceAndInOrderThroughAnOutageAndARestart() throws Exception {
        long started = System.nanoTime();
        Path storeDir = temp.resolve("store");
        List<OperationMarks.Mark> accepted = new ArrayList<>();
        Map<OperationMarks.Mark, Optional<OperationMarks.Mark>> restricted = new HashMap<>();
        try (FakeQdrantServer server = FakeQdrantServer.builder(COLLECTION, config()).tcp().start();
                EdgeShard model = EdgeShard.create(temp.resolve("model"), config(),
                        SyncFixtures.storeOptions().writes())) {
            MixedOperations operations = new MixedOperations(SEED, POINTS, model);
            RecordedFailures outage;
            try (SyncApp app = SyncApp.start(storeDir, server.host(), server.port(), "before-restart",
                    SyncFixtures.publisherOptions(BATCH))) {
                app.write(model, operations, 0, BEFORE_OUTAGE, accepted, restricted);
                outage = RecordedFailures.outage(server, OUTAGE, Status.UNAVAILABLE.withDescription("maintenance"));
                app.write(model, operations, BEFORE_OUTAGE, BEFORE_RESTART, accepted, restricted);
                awaitFailures(outage, 2);
            }
            assertThat(outage.ongoing()).as("the application restarts during the outage").isTrue();

            Map<PointId, String> expected = PointsView.of(model);
            StoreStatus drained;
            try (SyncApp app = SyncApp.start(storeDir, server.host(), server.port(), "after-restart",
                    SyncFixtures.publisherOptions(BATCH))) {
                assertThat(PointsView.of(app.store)).as("the reopened store reads every write").isEqualTo(expected);
                assertThat(app.store.status().outbox().backlog()).as("the backlog survived the restart")
                        .isGreaterThanOrEqualTo(BEFORE_RESTART - BEFORE_OUTAGE);
                app.write(model, operations, BEFORE_RESTART, OPERATIONS, accepted, restricted);
                outage.awaitEnd();
                assertThat(app.publisher.awaitDrained(Duration.ofMinutes(3))).as("the backlog drains").isTrue();
                drained = app.store.status();
                expected = PointsView.of(model);
                assertThat(PointsView.of(app.store)).as("the store reads as the model").isEqualTo(expected);
            }
            outage.close();
            assertThat(accepted).hasSize(OPERATIONS);
            assertThat(drained.outbox().backlog()).isZero();
            assertThat(drained.outbox().dead()).isZero();
            assertThat(expected.size()).as("points left in the end").isGreaterThan(POINTS / 3);
            assertThat(PointsView.of(server.shard())).as("the server holds what the operations made, applied once"
                    + " in order").isEqualTo(expected);

            List<DeliveryOrder.Received> received = new ArrayList<>();
            Map<String, Integer> refused = new TreeMap<>();
            for (ReceivedRequest r : server.requests()) {
                if (r.methodName().equals("HealthCheck")) {
                    continue;
                }
                assertThat(r.request()).as("every delivery is one UpdateBatch").isInstanceOf(Points.UpdateBatchPoints.class);
                if (outage.failed(r)) {
                    refused.merge(SyncApp.instanceOf(r), 1, Integer::sum);
                } else {
                    received.add(new DeliveryOrder.Received(r.sequence(), SyncApp.instanceOf(r),
                            OperationMarks.of((Points.UpdateBatchPoints) r.request())));
                }
            }
            DeliveryOrder.Result order = DeliveryOrder.check(accepted, restricted, received);
            assertThat(order.retries()).as("the server refused no operation").isZero();
            assertThat(refused).as("both instances met the outage").containsOnlyKeys("before-restart", "after-restart");
            assertThat(received).as("deliveries before the outage").anySatisfy(a -> assertThat(a.client())
                    .isEqualTo("before-restart"));
            System.out.printf("[sync] %d operations, %d points, %d requests delivered (%d redelivered batches, %d"
                    + " operations again), refused during the outage %s, %.1f s%n", accepted.size(), expected.size(),
                    order.requests(), order.redeliveries(), order.redeliveredOperations(), refused,
                    (System.nanoTime() - started) / 1e9);
        }
    }

    private static void awaitFailures(RecordedFailures failures, int count) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
        while (failures.count() < count) {
            assertThat(System.nanoTime() - deadline).as("the publisher meets the outage").isNegative();
            Thread.sleep(20);
        }
    }
}
