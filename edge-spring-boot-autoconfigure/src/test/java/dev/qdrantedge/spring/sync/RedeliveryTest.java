package dev.qdrantedge.spring.sync;

import static dev.qdrantedge.spring.sync.SyncFixtures.COLLECTION;
import static dev.qdrantedge.spring.sync.SyncFixtures.config;
import static org.assertj.core.api.Assertions.assertThat;

import dev.qdrantedge.engine.idtracker.PointId;
import dev.qdrantedge.engine.operation.ClearPayload;
import dev.qdrantedge.engine.operation.DeletePayload;
import dev.qdrantedge.engine.operation.DeletePoints;
import dev.qdrantedge.engine.operation.DeleteVectors;
import dev.qdrantedge.engine.operation.OverwritePayload;
import dev.qdrantedge.engine.operation.PointStruct;
import dev.qdrantedge.engine.operation.PointVectors;
import dev.qdrantedge.engine.operation.SetPayload;
import dev.qdrantedge.engine.operation.UpdateOperation;
import dev.qdrantedge.engine.operation.UpdateVectors;
import dev.qdrantedge.engine.operation.UpsertPoints;
import dev.qdrantedge.engine.shard.EdgeShard;
import dev.qdrantedge.engine.sync.OutboxEntry;
import dev.qdrantedge.engine.sync.OutboxState;
import dev.qdrantedge.engine.sync.PublisherOptions;
import dev.qdrantedge.engine.vectors.DenseVector;
import dev.qdrantedge.spring.testsupport.FakeQdrantServer;
import io.qdrant.client.grpc.Points;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Delivering a batch again must leave the server as delivering it once did, even when the batch's own later
 * operations deleted points its earlier operations changed: on the second delivery the server no longer has
 * those points, and a payload or vector change of a point it does not have is {@code NOT_FOUND} in Qdrant.
 * Such an operation was applied the first time; it must not be dead-lettered (a dead entry would keep its
 * point's local copy over the mirror until purged, and resubmitting it would apply an old change after newer
 * ones).
 */
class RedeliveryTest {

    private static final Duration LATENCY = Duration.ofMillis(800);

    @TempDir
    Path temp;

    @Test
    void aBatchDeliveredAgainAfterARestartIsNotRefusedForPointsItsOwnLaterOperationsDeleted() throws Exception {
        Path storeDir = temp.resolve("store");
        List<OperationMarks.Mark> accepted = new ArrayList<>();
        PublisherOptions options = SyncFixtures.publisherOptions(20).withLinger(Duration.ofMillis(300))
                .withStopTimeout(Duration.ofMillis(100));
        try (FakeQdrantServer server = FakeQdrantServer.builder(COLLECTION, config()).tcp().start();
                EdgeShard model = EdgeShard.create(temp.resolve("model"), config(), SyncFixtures.storeOptions().writes())) {
            List<UpdateOperation> changes = List.of(
                    new SetPayload(SyncFixtures.JSON.createObjectNode().put("x", 1), Optional.of(ids(1)),
                            Optional.empty(), Optional.empty()),
                    new OverwritePayload(SyncFixtures.JSON.createObjectNode().put("y", 2), Optional.of(ids(2)),
                            Optional.empty(), Optional.empty()),
                    new DeletePayload(List.of("n"), Optional.of(ids(3)), Optional.empty()),
                    new ClearPayload(ids(4)),
                    new UpdateVectors(List.of(new PointVectors(PointId.of(5), Map.of("w", new DenseVector(new float[] {9, 9})))),
                            Optional.empty()),
                    new DeleteVectors(ids(6, 7), List.of("w")),
                    new DeletePoints(ids(1, 2, 3, 4, 5, 6)));
            try (SyncApp first = SyncApp.start(storeDir, server.host(), server.port(), "first", options)) {
                apply(first, model, upsert(1, 2, 3, 4, 5, 6, 7), accepted);
                assertThat(first.publisher.awaitDrained(Duration.ofSeconds(30))).isTrue();
                server.latency(LATENCY);
                for (UpdateOperation op : changes) {
                    apply(first, model, op, accepted);
                }
                server.awaitRequests(r -> r.request() instanceof Points.UpdateBatchPoints b
                        && b.getOperationsCount() == changes.size(), 1, Duration.ofSeconds(10));
            } // stopped while the server holds the batch: its acknowledgement is lost
            Thread.sleep(LATENCY.toMillis() + 300); // the server applies it meanwhile
            server.latency(Duration.ZERO);
            assertThat(PointsView.of(server.shard())).as("the batch was applied once").isEqualTo(PointsView.of(model));

            try (SyncApp second = SyncApp.start(storeDir, server.host(), server.port(), "second", options)) {
                assertThat(second.publisher.awaitDrained(Duration.ofSeconds(30))).isTrue();
                assertThat(second.store.outbox().list(OutboxState.DEAD, 0, 100)).extracting(OutboxEntry::lastError)
                        .as("nothing is dead").isEmpty();
                assertThat(second.store.status().outbox().delivered()).isEqualTo(1 + changes.size());
                assertThat(PointsView.of(second.store)).isEqualTo(PointsView.of(model));
            }
            assertThat(PointsView.of(server.shard())).as("the server as after one delivery")
                    .isEqualTo(PointsView.of(model));
            assertThat(server.requests()).as("the second instance delivered the batch again")
                    .anySatisfy(r -> {
                        assertThat(SyncApp.instanceOf(r)).isEqualTo("second");
                        assertThat(r.request()).isInstanceOfSatisfying(Points.UpdateBatchPoints.class,
                                b -> assertThat(OperationMarks.of(b)).isEqualTo(accepted.subList(1, accepted.size())));
                    });
        }
    }

    private static void apply(SyncApp app, EdgeShard model, UpdateOperation op, List<OperationMarks.Mark> accepted) {
        app.store.update(op);
        model.update(op);
        accepted.add(OperationMarks.of(op));
    }

    private static UpsertPoints upsert(long... ids) {
        List<PointStruct> points = new ArrayList<>();
        for (long id : ids) {
            points.add(new PointStruct(PointId.of(id), Map.of("text", new DenseVector(new float[] {id, 1, 0, 0}),
                    "w", new DenseVector(new float[] {id, 0})),
                    Optional.of(SyncFixtures.JSON.createObjectNode().put("n", id).put("op", 0))));
        }
        return new UpsertPoints(points);
    }

    private static List<PointId> ids(long... ids) {
        List<PointId> out = new ArrayList<>();
        for (long id : ids) {
            out.add(PointId.of(id));
        }
        return out;
    }
}
