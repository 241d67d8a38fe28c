package dev.qdrantedge.spring.client;

import static dev.qdrantedge.spring.client.Json.object;
import static dev.qdrantedge.spring.client.QdrantOutboxSinkRoundTripTest.NAMED;
import static dev.qdrantedge.spring.client.QdrantOutboxSinkRoundTripTest.all;
import static dev.qdrantedge.spring.client.QdrantOutboxSinkRoundTripTest.point;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.qdrantedge.engine.idtracker.PointId;
import dev.qdrantedge.engine.operation.PointVectors;
import dev.qdrantedge.engine.operation.SetPayload;
import dev.qdrantedge.engine.operation.UpdateVectors;
import dev.qdrantedge.engine.operation.UpsertPoints;
import dev.qdrantedge.engine.sync.DeliveryException;
import dev.qdrantedge.engine.vectors.DenseVector;
import dev.qdrantedge.spring.testsupport.FakeQdrantServer;
import dev.qdrantedge.spring.testsupport.ReceivedRequest;
import io.grpc.Status;
import io.qdrant.client.QdrantClient;
import io.qdrant.client.grpc.Points;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * A payload or vector change of listed points the server does not have (deleted since, by another writer or by
 * a later operation of a batch delivered again) is applied to the listed points the server has, not refused:
 * Qdrant's {@code NOT_FOUND} for it is resolved by reading which points exist. Every other {@code NOT_FOUND}
 * stays a permanent failure.
 */
class QdrantOutboxSinkMissingPointsTest {

    private FakeQdrantServer server;
    private QdrantClient client;
    private QdrantOutboxSink sink;

    @BeforeEach
    void start() throws Exception {
        server = FakeQdrantServer.builder("items", NAMED).start();
        client = server.newClient();
        sink = new QdrantOutboxSink(client, QdrantSinkOptions.forCollection("items"));
        sink.deliver(List.of(new UpsertPoints(List.of(point(1, all(1), "{'n': 1}"), point(2, all(2), "{'n': 2}")))));
        server.clearRequests();
    }

    @AfterEach
    void stop() {
        client.close();
        server.close();
    }

    @Test
    void aPayloadChangeIsAppliedToTheListedPointsTheServerHas() throws Exception {
        sink.deliver(List.of(setPayload("{'x': 1}", 1, 99, 2)));

        assertThat(ShardContents.of(server.shard()).get(PointId.of(1))).contains("x=int:1");
        assertThat(ShardContents.of(server.shard()).get(PointId.of(2))).contains("x=int:1");
        assertThat(ShardContents.of(server.shard())).containsOnlyKeys(PointId.of(1), PointId.of(2));
        assertThat(server.requests()).extracting(ReceivedRequest::methodName)
                .containsExactly("UpdateBatch", "Get", "UpdateBatch");
        Points.UpdateBatchPoints restricted = server.requests(Points.UpdateBatchPoints.class).get(1);
        assertThat(restricted.getOperations(0).getSetPayload().getPointsSelector().getPoints().getIdsList())
                .extracting(id -> id.getNum()).containsExactly(1L, 2L);
        assertThat(restricted.getWait()).isTrue();
    }

    @Test
    void aVectorUpdateOfMissingPointsOnlyChangesNothingAndIsDelivered() throws Exception {
        sink.deliver(List.of(new UpdateVectors(List.of(new PointVectors(PointId.of(99),
                Map.of("text", new DenseVector(new float[] {1, 0, 0, 0})))), Optional.empty())));

        assertThat(server.requests()).extracting(ReceivedRequest::methodName).containsExactly("UpdateBatch", "Get");
        assertThat(ShardContents.of(server.shard())).containsOnlyKeys(PointId.of(1), PointId.of(2));
    }

    @Test
    void aLargerRequestFailingSoStaysPermanent() {
        assertThatThrownBy(() -> sink.deliver(List.of(setPayload("{'x': 1}", 1), setPayload("{'x': 2}", 99))))
                .isInstanceOfSatisfying(DeliveryException.class, d -> assertThat(d.isTransient()).isFalse())
                .hasMessageContaining("NOT_FOUND (No point with id 99 found)");
        assertThat(server.requests()).extracting(ReceivedRequest::methodName).containsExactly("UpdateBatch");
    }

    @Test
    void notFoundWhileEveryListedPointExistsStaysPermanent() {
        server.failNext(1, Status.NOT_FOUND.withDescription("something else is missing"));

        assertThatThrownBy(() -> sink.deliver(List.of(setPayload("{'x': 1}", 1))))
                .isInstanceOfSatisfying(DeliveryException.class, d -> assertThat(d.isTransient()).isFalse())
                .hasMessageContaining("something else is missing");
        assertThat(server.requests()).extracting(ReceivedRequest::methodName).containsExactly("UpdateBatch", "Get");
    }

    @Test
    void aMissingCollectionStaysPermanent() {
        QdrantOutboxSink lost = new QdrantOutboxSink(client, QdrantSinkOptions.forCollection("missing"));

        assertThatThrownBy(() -> lost.deliver(List.of(setPayload("{'x': 1}", 1))))
                .isInstanceOfSatisfying(DeliveryException.class, d -> {
                    assertThat(d.isTransient()).isFalse();
                    assertThat(d.getSuppressed()).singleElement().satisfies(s -> assertThat(s)
                            .hasMessageContaining("Get of the points of operation 1 of 1 (set_payload)"));
                })
                .hasMessageContaining("UpdateBatch of operation 1 of 1 (set_payload)")
                .hasMessageContaining("Collection `missing` doesn't exist");
    }

    @Test
    void whenTheServersPointsCannotBeReadTheFailureIsTransient() {
        server.failWhile(r -> r.methodName().equals("Get"), Status.UNAVAILABLE.withDescription("overloaded"));

        assertThatThrownBy(() -> sink.deliver(List.of(setPayload("{'x': 1}", 99))))
                .isInstanceOfSatisfying(DeliveryException.class, d -> assertThat(d.isTransient()).isTrue())
                .hasMessageContaining("overloaded");
    }

    private static SetPayload setPayload(String payload, long... ids) {
        return new SetPayload(object(payload), Optional.of(Arrays.stream(ids).mapToObj(PointId::of).toList()),
                Optional.empty(), Optional.empty());
    }
}
