package dev.qdrantedge.spring.client;

import static dev.qdrantedge.spring.client.Json.object;
import static dev.qdrantedge.spring.client.Json.tree;
import static dev.qdrantedge.spring.client.QdrantOutboxSinkRoundTripTest.NAMED;
import static dev.qdrantedge.spring.client.QdrantOutboxSinkRoundTripTest.all;
import static dev.qdrantedge.spring.client.QdrantOutboxSinkRoundTripTest.point;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.qdrantedge.engine.idtracker.PointId;
import dev.qdrantedge.engine.operation.CreateFieldIndex;
import dev.qdrantedge.engine.operation.DeletePoints;
import dev.qdrantedge.engine.operation.SetPayload;
import dev.qdrantedge.engine.operation.SyncPoints;
import dev.qdrantedge.engine.operation.UpdateOperation;
import dev.qdrantedge.engine.operation.UpsertPoints;
import dev.qdrantedge.engine.sync.DeliveryException;
import dev.qdrantedge.spring.testsupport.FakeQdrantServer;
import dev.qdrantedge.spring.testsupport.ReceivedRequest;
import io.grpc.Status;
import io.qdrant.client.QdrantClient;
import io.qdrant.client.grpc.Points;
import java.time.Duration;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Order, routing, request options and failure classification of deliveries. */
class QdrantOutboxSinkDeliveryTest {

    private FakeQdrantServer server;
    private QdrantClient client;
    private QdrantOutboxSink sink;

    @BeforeEach
    void start() throws Exception {
        server = FakeQdrantServer.builder("items", NAMED).start();
        client = server.newClient();
        sink = new QdrantOutboxSink(client, QdrantSinkOptions.forCollection("items"));
    }

    @AfterEach
    void stop() {
        client.close();
        server.close();
    }

    @Test
    void aBatchIsAppliedInOrder() throws Exception {
        sink.deliver(List.of(
                new UpsertPoints(List.of(point(1, all(1), "{'v': 'first'}"))),
                new DeletePoints(List.of(PointId.of(1))),
                new UpsertPoints(List.of(point(1, all(2), "{'v': 'second'}"))),
                new UpsertPoints(List.of(point(2, all(3), "{'v': 'kept'}"))),
                new DeletePoints(List.of(PointId.of(2)))));

        assertThat(ShardContents.of(server.shard())).containsOnlyKeys(PointId.of(1));
        assertThat(ShardContents.of(server.shard()).get(PointId.of(1))).contains("v=\"second\"");
        List<Points.UpdateBatchPoints> batches = server.requests(Points.UpdateBatchPoints.class);
        assertThat(batches).hasSize(1);
        assertThat(batches.get(0).getOperationsList()).extracting(Points.PointsUpdateOperation::getOperationCase)
                .containsExactly(Points.PointsUpdateOperation.OperationCase.UPSERT,
                        Points.PointsUpdateOperation.OperationCase.DELETE_POINTS,
                        Points.PointsUpdateOperation.OperationCase.UPSERT,
                        Points.PointsUpdateOperation.OperationCase.UPSERT,
                        Points.PointsUpdateOperation.OperationCase.DELETE_POINTS);
    }

    @Test
    void operationsWithoutBatchFormSplitTheBatchAndKeepTheOrder() throws Exception {
        sink.deliver(List.of(
                new UpsertPoints(List.of(point(1, all(1), "{'city': 'Berlin'}"))),
                new UpsertPoints(List.of(point(2, all(2), "{'city': 'Paris'}"))),
                new CreateFieldIndex("city", Optional.of(tree("'keyword'"))),
                new SetPayload(object("{'indexed': true}"), Optional.of(List.of(PointId.of(1))), Optional.empty(),
                        Optional.empty())));

        assertThat(server.requests()).extracting(ReceivedRequest::methodName)
                .containsExactly("HealthCheck", "UpdateBatch", "CreateFieldIndex", "UpdateBatch");
        assertThat(server.requests(Points.UpdateBatchPoints.class)).extracting(Points.UpdateBatchPoints::getOperationsCount)
                .containsExactly(2, 1);
        Points.CreateFieldIndexCollection index = server.requests(Points.CreateFieldIndexCollection.class).get(0);
        assertThat(index.getFieldType()).isEqualTo(Points.FieldType.FieldTypeKeyword);
        assertThat(index.getWait()).isTrue();
        assertThat(index.getOrdering().getType()).isEqualTo(Points.WriteOrderingType.Medium);
        assertThat(ShardContents.of(server.shard()).get(PointId.of(1))).contains("indexed=true");
    }

    @Test
    void everyRequestWaitsAndCarriesTheConfiguredOrderingAndShardKey() throws Exception {
        QdrantOutboxSink routed = new QdrantOutboxSink(client, QdrantSinkOptions.forCollection("items")
                .withShardKey("tenant-a").withOrdering(Points.WriteOrderingType.Strong));

        routed.deliver(QdrantOutboxSinkRoundTripTest.operations());

        Points.UpdateBatchPoints batch = server.requests(Points.UpdateBatchPoints.class).get(0);
        assertThat(batch.getWait()).isTrue();
        assertThat(batch.getOrdering().getType()).isEqualTo(Points.WriteOrderingType.Strong);
        assertThat(batch.getOperationsList()).hasSize(QdrantOutboxSinkRoundTripTest.operations().size())
                .allSatisfy(op -> assertThat(shardKeySelector(op)).hasValueSatisfying(s -> {
                    assertThat(s.getShardKeysCount()).isEqualTo(1);
                    assertThat(s.getShardKeys(0).getKeyword()).isEqualTo("tenant-a");
                }));
    }

    @Test
    void withoutShardKeyNoRequestCarriesASelector() throws Exception {
        sink.deliver(QdrantOutboxSinkRoundTripTest.operations());

        assertThat(server.requests(Points.UpdateBatchPoints.class).get(0).getOperationsList())
                .allSatisfy(op -> assertThat(shardKeySelector(op)).isEmpty());
    }

    @Test
    void statusCodesAreClassified() {
        Map<Status.Code, DeliveryException.Kind> expected = new EnumMap<>(Status.Code.class);
        for (Status.Code code : List.of(Status.Code.UNAVAILABLE, Status.Code.DEADLINE_EXCEEDED,
                Status.Code.RESOURCE_EXHAUSTED, Status.Code.ABORTED, Status.Code.INTERNAL, Status.Code.UNKNOWN,
                Status.Code.CANCELLED, Status.Code.FAILED_PRECONDITION, Status.Code.UNAUTHENTICATED,
                Status.Code.PERMISSION_DENIED)) {
            expected.put(code, DeliveryException.Kind.TRANSIENT);
        }
        for (Status.Code code : List.of(Status.Code.INVALID_ARGUMENT, Status.Code.NOT_FOUND,
                Status.Code.ALREADY_EXISTS, Status.Code.OUT_OF_RANGE, Status.Code.UNIMPLEMENTED,
                Status.Code.DATA_LOSS)) {
            expected.put(code, DeliveryException.Kind.PERMANENT);
        }
        assertThat(expected).hasSize(Status.Code.values().length - 1);

        for (Map.Entry<Status.Code, DeliveryException.Kind> e : expected.entrySet()) {
            server.failNext(1, Status.fromCode(e.getKey()).withDescription("injected " + e.getKey()));
            assertThatThrownBy(() -> sink.deliver(List.of(new UpsertPoints(List.of(point(1, all(1), null))))))
                    .as("status %s", e.getKey())
                    .isInstanceOfSatisfying(DeliveryException.class, d -> assertThat(d.kind()).isEqualTo(e.getValue()))
                    .hasMessageContaining("operation 1 of 1 (upsert_points)")
                    .hasMessageContaining(e.getKey() + " (injected " + e.getKey() + ")");
        }
        assertThat(server.shard().count()).isZero();
    }

    @Test
    void aCallThatMissesItsDeadlineIsTransientAndMayStillBeApplied() throws Exception {
        QdrantOutboxSink impatient = new QdrantOutboxSink(client,
                QdrantSinkOptions.forCollection("items").withCallTimeout(Duration.ofMillis(100)));
        server.latency(Duration.ofSeconds(2));

        assertThatThrownBy(() -> impatient.deliver(List.of(new UpsertPoints(List.of(point(7, all(7), null))))))
                .isInstanceOfSatisfying(DeliveryException.class, d -> assertThat(d.isTransient()).isTrue())
                .hasMessageContaining("DEADLINE_EXCEEDED")
                .hasMessageContaining("may still apply");
        server.latency(Duration.ZERO);

        awaitPoint(PointId.of(7));
    }

    @Test
    void anUnknownCollectionIsPermanent() {
        QdrantOutboxSink lost = new QdrantOutboxSink(client, QdrantSinkOptions.forCollection("missing"));

        assertThatThrownBy(() -> lost.deliver(List.of(new DeletePoints(List.of(PointId.of(1))))))
                .isInstanceOfSatisfying(DeliveryException.class, d -> assertThat(d.isTransient()).isFalse())
                .hasMessageContaining("NOT_FOUND")
                .hasMessageContaining("Collection `missing` doesn't exist");
    }

    @Test
    void aFailureAfterAcknowledgedRequestsSaysSoAndLeavesTheEarlierOnesApplied() {
        server.failWhile(ReceivedRequest.mentioning(PointId.of(13)), Status.INVALID_ARGUMENT.withDescription("poison"));
        List<UpdateOperation> ops = List.of(
                new UpsertPoints(List.of(point(1, all(1), null))),
                new CreateFieldIndex("n", Optional.of(tree("{'type': 'integer', 'lookup': false, 'range': true}"))),
                new UpsertPoints(List.of(point(13, all(13), null))));

        assertThatThrownBy(() -> sink.deliver(ops))
                .isInstanceOfSatisfying(DeliveryException.class, d -> assertThat(d.isTransient()).isFalse())
                .hasMessageContaining("operation 3 of 3 (upsert_points), after 2 acknowledged")
                .hasMessageContaining("poison");
        assertThat(ShardContents.of(server.shard())).containsOnlyKeys(PointId.of(1));
        assertThat(server.fieldIndexes().get("n").getFieldIndexParams().getIntegerIndexParams().getLookup()).isFalse();
    }

    @Test
    void anOperationWithoutPublicFormFailsPermanentlyBeforeAnythingIsSent() {
        server.clearRequests();

        assertThatThrownBy(() -> sink.deliver(List.of(new UpsertPoints(List.of(point(1, all(1), null))),
                new SyncPoints(Optional.empty(), Optional.empty(), List.of()))))
                .isInstanceOfSatisfying(DeliveryException.class, d -> assertThat(d.isTransient()).isFalse())
                .hasMessageContaining("operation 2 of 2 (sync_points)");
        assertThat(server.requests()).isEmpty();
    }

    @Test
    void anIntegerBeyondSigned64BitsInAPayloadFailsPermanentlyNamingIt() {
        assertThatThrownBy(() -> sink.deliver(List.of(new UpsertPoints(List.of(
                point(1, all(1), "{'ok': 1, 'deep': {'big': [1, 18446744073709551615]}}"))))))
                .isInstanceOfSatisfying(DeliveryException.class, d -> assertThat(d.isTransient()).isFalse())
                .hasMessageContaining("points[0].payload.deep.big[1]: integer 18446744073709551615 is outside");
    }

    @Test
    void anEmptyDeliveryCallsNothing() throws Exception {
        server.clearRequests();

        sink.deliver(List.of());

        assertThat(server.requests()).isEmpty();
    }

    private void awaitPoint(PointId id) throws InterruptedException {
        for (int i = 0; i < 200 && server.shard().retrieve(List.of(id), false, false).isEmpty(); i++) {
            Thread.sleep(50);
        }
        assertThat(server.shard().retrieve(List.of(id), false, false)).hasSize(1);
    }

    private static Optional<Points.ShardKeySelector> shardKeySelector(Points.PointsUpdateOperation op) {
        switch (op.getOperationCase()) {
            case UPSERT:
                return op.getUpsert().hasShardKeySelector() ? Optional.of(op.getUpsert().getShardKeySelector())
                        : Optional.empty();
            case DELETE_POINTS:
                return op.getDeletePoints().hasShardKeySelector()
                        ? Optional.of(op.getDeletePoints().getShardKeySelector()) : Optional.empty();
            case SET_PAYLOAD:
                return op.getSetPayload().hasShardKeySelector()
                        ? Optional.of(op.getSetPayload().getShardKeySelector()) : Optional.empty();
            case OVERWRITE_PAYLOAD:
                return op.getOverwritePayload().hasShardKeySelector()
                        ? Optional.of(op.getOverwritePayload().getShardKeySelector()) : Optional.empty();
            case DELETE_PAYLOAD:
                return op.getDeletePayload().hasShardKeySelector()
                        ? Optional.of(op.getDeletePayload().getShardKeySelector()) : Optional.empty();
            case CLEAR_PAYLOAD:
                return op.getClearPayload().hasShardKeySelector()
                        ? Optional.of(op.getClearPayload().getShardKeySelector()) : Optional.empty();
            case UPDATE_VECTORS:
                return op.getUpdateVectors().hasShardKeySelector()
                        ? Optional.of(op.getUpdateVectors().getShardKeySelector()) : Optional.empty();
            case DELETE_VECTORS:
                return op.getDeleteVectors().hasShardKeySelector()
                        ? Optional.of(op.getDeleteVectors().getShardKeySelector()) : Optional.empty();
            default:
                throw new AssertionError("unexpected operation " + op.getOperationCase());
        }
    }
}
