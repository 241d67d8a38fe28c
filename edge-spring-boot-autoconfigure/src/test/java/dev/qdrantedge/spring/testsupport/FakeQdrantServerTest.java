package dev.qdrantedge.spring.testsupport;

import static io.qdrant.client.PointIdFactory.id;
import static io.qdrant.client.ValueFactory.value;
import static io.qdrant.client.VectorsFactory.vectors;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.qdrantedge.engine.config.EdgeConfig;
import dev.qdrantedge.engine.config.VectorParams;
import dev.qdrantedge.engine.idtracker.PointId;
import dev.qdrantedge.engine.shard.Record;
import dev.qdrantedge.engine.vectors.DenseVector;
import dev.qdrantedge.engine.vectors.Distance;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.qdrant.client.ConditionFactory;
import io.qdrant.client.QdrantClient;
import io.qdrant.client.QdrantGrpcClient;
import io.qdrant.client.grpc.Collections;
import io.qdrant.client.grpc.Common;
import io.qdrant.client.grpc.Points;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FakeQdrantServerTest {

    static final EdgeConfig CONFIG = EdgeConfig.of(new VectorParams(2, Distance.EUCLID));

    @TempDir
    Path temp;

    @Test
    void onTcpAClientBuiltFromHostAndPortWritesAndReadsTheCollection() throws Exception {
        try (FakeQdrantServer server = FakeQdrantServer.builder("items", CONFIG).tcp().start();
                QdrantClient client = new QdrantClient(
                        QdrantGrpcClient.newBuilder(server.host(), server.port(), false).build())) {
            assertThat(server.isTcp()).isTrue();
            assertThat(server.host()).isEqualTo("127.0.0.1");
            assertThat(server.port()).isPositive();

            assertThat(client.healthCheckAsync().get().getVersion()).isEqualTo(FakeQdrantServer.DEFAULT_VERSION);
            assertThat(client.collectionExistsAsync("items").get()).isTrue();
            assertThat(client.collectionExistsAsync("other").get()).isFalse();
            client.upsertAsync("items", List.of(point(1, 1f, 2f, Map.of("city", value("Berlin"))),
                    point(2, 3f, 4f, Map.of("city", value("Paris"), "n", value(5))))).get();
            client.setPayloadAsync("items", Map.of("tag", value("x")), List.of(id(2)), true, null, null).get();
            client.deleteAsync("items", Common.Filter.newBuilder()
                    .addMust(ConditionFactory.matchKeyword("city", "Berlin")).build()).get();

            Collections.CollectionInfo info = client.getCollectionInfoAsync("items").get();
            assertThat(info.getPointsCount()).isEqualTo(1);
            assertThat(info.getConfig().getParams().getVectorsConfig().getParams().getSize()).isEqualTo(2);
            List<Record> points = server.shard().retrieve(List.of(PointId.of(1), PointId.of(2)), true, true);
            assertThat(points).hasSize(1);
            assertThat(points.get(0).payload().properties()).hasSize(3);
            assertThat(points.get(0).payload().get("city").asString()).isEqualTo("Paris");
            assertThat(points.get(0).payload().get("n").isIntegralNumber()).isTrue();
            assertThat(points.get(0).payload().get("n").longValue()).isEqualTo(5);
            assertThat(points.get(0).payload().get("tag").asString()).isEqualTo("x");
            assertThat(points.get(0).vectors().get("")).isEqualTo(new DenseVector(new float[] {3f, 4f}));
        }
    }

    @Test
    void recordsRequestsInOrderWithTheirHeaders() throws Exception {
        try (FakeQdrantServer server = FakeQdrantServer.builder("items", CONFIG).start();
                QdrantClient client = new QdrantClient(
                        QdrantGrpcClient.newBuilder(server.newChannel(), true, false).withApiKey("secret").build())) {
            client.upsertAsync("items", List.of(point(1, 1f, 1f, Map.of()))).get();
            client.deleteAsync("items", List.of(id(1))).get();

            List<ReceivedRequest> requests = server.requests();
            assertThat(requests).extracting(ReceivedRequest::methodName).containsExactly("Upsert", "Delete");
            assertThat(requests).extracting(ReceivedRequest::sequence).containsExactly(1L, 2L);
            assertThat(requests.get(0).method()).isEqualTo("qdrant.Points/Upsert");
            assertThat(requests.get(1).pointIds()).containsExactly(PointId.of(1));
            assertThat(requests.get(0).headers().get(
                    io.grpc.Metadata.Key.of("api-key", io.grpc.Metadata.ASCII_STRING_MARSHALLER))).isEqualTo("secret");
            assertThat(server.requests(Points.DeletePoints.class)).hasSize(1);
        }
    }

    @Test
    void failNextFailsExactlyThatManyRequestsWithoutApplyingThem() throws Exception {
        try (FakeQdrantServer server = FakeQdrantServer.builder("items", CONFIG).start();
                QdrantClient client = server.newClient()) {
            FailureRule rule = server.failNext(2, Status.UNAVAILABLE.withDescription("down"));

            assertThat(statusOf(() -> client.upsertAsync("items", List.of(point(1, 1f, 1f, Map.of()))).get()))
                    .isEqualTo(Status.Code.UNAVAILABLE);
            assertThat(statusOf(() -> client.upsertAsync("items", List.of(point(1, 1f, 1f, Map.of()))).get()))
                    .isEqualTo(Status.Code.UNAVAILABLE);
            assertThat(server.shard().count()).isZero();
            client.upsertAsync("items", List.of(point(1, 1f, 1f, Map.of()))).get();

            assertThat(rule.failures()).isEqualTo(2);
            assertThat(server.shard().count()).isEqualTo(1);
        }
    }

    @Test
    void failWhileFailsWhileTheConditionHoldsAndAPoisonRuleOnlyItsPoint() throws Exception {
        try (FakeQdrantServer server = FakeQdrantServer.builder("items", CONFIG).start();
                QdrantClient client = server.newClient()) {
            AtomicBoolean down = new AtomicBoolean(true);
            FailureRule outage = server.failWhile(down::get, Status.UNAVAILABLE);
            assertThat(statusOf(() -> client.upsertAsync("items", List.of(point(1, 1f, 1f, Map.of()))).get()))
                    .isEqualTo(Status.Code.UNAVAILABLE);
            down.set(false);
            client.upsertAsync("items", List.of(point(1, 1f, 1f, Map.of()))).get();
            outage.close();

            try (FailureRule poison = server.failWhile(ReceivedRequest.mentioning(PointId.of(13)),
                    Status.INVALID_ARGUMENT)) {
                assertThat(statusOf(() -> client.upsertAsync("items", List.of(point(13, 1f, 1f, Map.of()))).get()))
                        .isEqualTo(Status.Code.INVALID_ARGUMENT);
                client.upsertAsync("items", List.of(point(14, 1f, 1f, Map.of()))).get();
                assertThat(poison.failures()).isEqualTo(1);
            }
            client.upsertAsync("items", List.of(point(13, 1f, 1f, Map.of()))).get();
            assertThat(server.shard().count()).isEqualTo(3);
            assertThat(outage.failures()).isEqualTo(1);
        }
    }

    @Test
    void failForFailsUntilTheTimeIsUpButNeverTheHealthCheck() throws Exception {
        try (FakeQdrantServer server = FakeQdrantServer.builder("items", CONFIG).start();
                QdrantClient client = server.newClient()) {
            FailureRule hour = server.failFor(Duration.ofHours(1), Status.RESOURCE_EXHAUSTED);
            assertThat(statusOf(() -> client.collectionExistsAsync("items").get()))
                    .isEqualTo(Status.Code.RESOURCE_EXHAUSTED);
            assertThat(client.healthCheckAsync().get().getVersion()).isEqualTo(FakeQdrantServer.DEFAULT_VERSION);
            hour.close();

            FailureRule over = server.failFor(Duration.ZERO, Status.ABORTED);
            assertThat(client.collectionExistsAsync("items").get()).isTrue();
            assertThat(over.failures()).isZero();
        }
    }

    @Test
    void aRestartedServerOnTheSameDirectoryKeepsItsPoints() throws Exception {
        Path dir = temp.resolve("collection");
        try (FakeQdrantServer server = FakeQdrantServer.builder("items", CONFIG).directory(dir).tcp().start();
                QdrantClient client = server.newClient()) {
            client.upsertAsync("items", List.of(point(1, 1f, 1f, Map.of()))).get();
        }
        try (FakeQdrantServer server = FakeQdrantServer.builder("items", CONFIG).directory(dir).tcp().start()) {
            assertThat(server.shard().count()).isEqualTo(1);
        }
    }

    @Test
    void invalidOperationsAreInvalidArgumentsAndMissingPointsNotFound() throws Exception {
        try (FakeQdrantServer server = FakeQdrantServer.builder("items", CONFIG).start();
                QdrantClient client = server.newClient()) {
            Points.PointStruct wrongDimension = Points.PointStruct.newBuilder().setId(id(1))
                    .setVectors(vectors(1f, 2f, 3f)).build();
            assertThat(statusOf(() -> client.upsertAsync("items", List.of(wrongDimension)).get()))
                    .isEqualTo(Status.Code.INVALID_ARGUMENT);
            assertThat(statusOf(() -> client.setPayloadAsync("items", Map.of("a", value(1)), List.of(id(9)), true,
                    null, null).get())).isEqualTo(Status.Code.NOT_FOUND);
            assertThatThrownBy(() -> client.getCollectionInfoAsync("nope").get())
                    .hasMessageContaining("Collection `nope` doesn't exist");
        }
    }

    private static Points.PointStruct point(long id, float x, float y, Map<String, io.qdrant.client.grpc.JsonWithInt.Value> payload) {
        return Points.PointStruct.newBuilder().setId(id(id)).setVectors(vectors(x, y)).putAllPayload(payload).build();
    }

    private interface Call {
        Object run() throws Exception;
    }

    private static Status.Code statusOf(Call call) throws Exception {
        try {
            call.run();
        } catch (ExecutionException e) {
            return Status.fromThrowable(e.getCause()).getCode();
        } catch (StatusRuntimeException e) {
            return e.getStatus().getCode();
        }
        throw new AssertionError("the call succeeded");
    }
}
