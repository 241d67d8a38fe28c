package dev.qdrantedge.spring.sync;

import java.util.HashMap;
import static dev.qdrantedge.spring.sync.SyncFixtures.COLLECTION;
import static dev.qdrantedge.spring.sync.SyncFixtures.config;
import static org.assertj.core.api.Assertions.assertThat;

import dev.qdrantedge.engine.idtracker.PointId;
import dev.qdrantedge.engine.operation.PointStruct;
import dev.qdrantedge.engine.operation.UpsertPoints;
import dev.qdrantedge.engine.shard.EdgeShard;
import dev.qdrantedge.engine.sync.OutboxEntry;
import dev.qdrantedge.engine.sync.OutboxState;
import dev.qdrantedge.engine.vectors.DenseVector;
import dev.qdrantedge.spring.testsupport.FakeQdrantServer;
import dev.qdrantedge.spring.testsupport.ReceivedRequest;
import io.grpc.Status;
import io.qdrant.client.grpc.Points;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.node.ObjectNode;

/**
 * One operation the server refuses for good among hundreds it takes, over gRPC on a loopback TCP port: the
 * server answers {@code INVALID_ARGUMENT} to every request naming the poison point. The batch holding it is
 * refused whole; the publisher splits it, delivers the good operations around the poison one by one, dead-letters
 * the poison entry with the server's message and goes on in batches. The backlog drains, the server holds
 * exactly the good operations' effect (applied once, in order) and the store still reads the poison point
 * locally. Once the server takes it again, resubmitting the dead entry delivers it.
 */
class PoisonOperationTest {

    private static final long SEED = 77L;
    private static final int BEFORE = 300;
    private static final int AFTER = 300;
    private static final int POINTS = 120;
    private static final int BATCH = 40;
    private static final PointId POISON = PointId.of(999_999);
    private static final String REFUSAL = "Wrong input: point 999999 is refused by the collection's policy";

    @TempDir
    Path temp;

    @Test
    void thePoisonEntryDiesWithTheServersMessageTheOthersArriveInOrderAndAResubmissionDeliversIt() throws Exception {
        List<OperationMarks.Mark> good = new ArrayList<>();
        Map<OperationMarks.Mark, Optional<OperationMarks.Mark>> restricted = new HashMap<>();
        try (FakeQdrantServer server = FakeQdrantServer.builder(COLLECTION, config()).tcp().start();
                EdgeShard model = EdgeShard.create(temp.resolve("model"), config(), SyncFixtures.storeOptions().writes());
                SyncApp app = SyncApp.start(temp.resolve("store"), server.host(), server.port(), "app",
                        SyncFixtures.publisherOptions(BATCH))) {
            RecordedFailures refusals = RecordedFailures.rejecting(server, ReceivedRequest.mentioning(POISON),
                    Status.INVALID_ARGUMENT.withDescription(REFUSAL));
            MixedOperations operations = new MixedOperations(SEED, POINTS, model);
            app.write(model, operations, 0, BEFORE, good, restricted);
            UpsertPoints poison = poison(BEFORE);
            long poisonSeq = app.store.update(poison);
            app.write(model, operations, BEFORE + 1, BEFORE + 1 + AFTER, good, restricted);

            assertThat(app.publisher.awaitDrained(Duration.ofSeconds(60))).as("the backlog drains").isTrue();
            OutboxEntry dead = app.store.outbox().get(poisonSeq).orElseThrow();
            assertThat(dead.state()).isEqualTo(OutboxState.DEAD);
            assertThat(dead.lastError()).hasValueSatisfying(error -> assertThat(error)
                    .contains("INVALID_ARGUMENT").contains(REFUSAL));
            assertThat(app.store.status().outbox().dead()).isEqualTo(1);
            assertThat(app.store.status().outbox().backlog()).isZero();
            assertThat(app.store.outbox().list(OutboxState.DELIVERED, 0, 10_000)).extracting(OutboxEntry::seq)
                    .hasSize(BEFORE + AFTER).doesNotContain(poisonSeq);

            Map<PointId, String> expected = PointsView.of(model);
            assertThat(PointsView.of(server.shard())).as("the server holds the good operations' effect")
                    .isEqualTo(expected);
            Map<PointId, String> local = new TreeMap<>(expected);
            local.put(POISON, PointsView.canonical(app.store.retrieve(List.of(POISON), true, true).get(0)));
            assertThat(PointsView.of(app.store)).as("the store reads the good operations and, locally, the poison"
                    + " point").isEqualTo(local);
            assertThat(local.get(POISON)).contains("poison=true");

            List<List<OperationMarks.Mark>> refused = refusedBatches(server, refusals);
            assertThat(refused).as("the batch with the poison, then the poison alone").hasSizeGreaterThanOrEqualTo(2);
            assertThat(refused.get(0)).as("first refused: a whole batch").hasSizeGreaterThan(1)
                    .contains(OperationMarks.of(poison));
            assertThat(refused.get(refused.size() - 1)).containsExactly(OperationMarks.of(poison));
            DeliveryOrder.check(good, restricted, DeliveryOrder.received(server.requests(), refusals::failed));

            refusals.close();
            app.store.outbox().resubmit(poisonSeq);
            assertThat(app.publisher.awaitDrained(Duration.ofSeconds(30))).as("the resubmitted entry goes").isTrue();
            assertThat(app.store.outbox().get(poisonSeq).orElseThrow().state()).isEqualTo(OutboxState.DELIVERED);
            model.update(poison);
            good.add(OperationMarks.of(poison));
            assertThat(PointsView.of(server.shard())).as("the server has the poison point now")
                    .isEqualTo(PointsView.of(model)).isEqualTo(PointsView.of(app.store));
            DeliveryOrder.check(good, restricted, DeliveryOrder.received(server.requests(), refusals::failed));
        }
    }

    private static UpsertPoints poison(long n) {
        ObjectNode payload = SyncFixtures.JSON.createObjectNode().put("op", n).put("poison", true);
        return new UpsertPoints(List.of(new PointStruct(POISON, Map.of("text", new DenseVector(new float[] {1, 2, 3, 4}),
                "w", new DenseVector(new float[] {5, 6})), Optional.of(payload))));
    }

    private static List<List<OperationMarks.Mark>> refusedBatches(FakeQdrantServer server, RecordedFailures refusals) {
        List<List<OperationMarks.Mark>> out = new ArrayList<>();
        for (ReceivedRequest r : server.requests()) {
            if (refusals.failed(r)) {
                out.add(OperationMarks.of((Points.UpdateBatchPoints) r.request()));
            }
        }
        return out;
    }
}
