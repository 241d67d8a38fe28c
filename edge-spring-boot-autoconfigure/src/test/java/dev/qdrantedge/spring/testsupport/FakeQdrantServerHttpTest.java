package dev.qdrantedge.spring.testsupport;

import static io.qdrant.client.PointIdFactory.id;
import static io.qdrant.client.VectorsFactory.vectors;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.qdrantedge.engine.config.EdgeConfig;
import dev.qdrantedge.engine.config.VectorParams;
import dev.qdrantedge.engine.idtracker.PointId;
import dev.qdrantedge.engine.operation.DeletePoints;
import dev.qdrantedge.engine.operation.PointStruct;
import dev.qdrantedge.engine.operation.UpsertPoints;
import dev.qdrantedge.engine.query.ScrollRequest;
import dev.qdrantedge.engine.search.WithPayload;
import dev.qdrantedge.engine.search.WithVector;
import dev.qdrantedge.engine.shard.EdgeShard;
import dev.qdrantedge.engine.shard.Record;
import dev.qdrantedge.engine.sync.Backoff;
import dev.qdrantedge.engine.sync.HttpSnapshotOptions;
import dev.qdrantedge.engine.sync.HttpSnapshotSource;
import dev.qdrantedge.engine.sync.SnapshotDownloadException;
import dev.qdrantedge.engine.vectors.DenseVector;
import dev.qdrantedge.engine.vectors.Distance;
import io.grpc.Status;
import io.qdrant.client.QdrantClient;
import io.qdrant.client.QdrantGrpcClient;
import io.qdrant.client.grpc.Points;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The fake's REST side, downloaded from by the engine's own {@link HttpSnapshotSource}. */
class FakeQdrantServerHttpTest {

    static final EdgeConfig CONFIG = EdgeConfig.of(new VectorParams(2, Distance.EUCLID));
    /** One attempt per download: a failure is seen as the server answered it. */
    static final Backoff FAST = new Backoff(Duration.ofMillis(1), 1.0, Duration.ofMillis(1), 0.0);

    @TempDir
    Path temp;

    private static HttpSnapshotSource source(FakeQdrantServer server, String collection, int shard, String key) {
        return new HttpSnapshotSource(HttpSnapshotOptions.builder(server.restBaseUri(), collection, shard)
                .apiKey(key).backoff(FAST).maxAttempts(1).build());
    }

    private Path downloads() throws Exception {
        return Files.createDirectories(temp.resolve("downloads"));
    }

    @Test
    void aFullSnapshotHoldsWhatGrpcWroteAndTheExchangeIsRecordedWithItsBytes() throws Exception {
        try (FakeQdrantServer server = FakeQdrantServer.builder("items", CONFIG).tcp().http().start();
                QdrantClient client = server.newClient()) {
            assertThat(server.isHttp()).isTrue();
            assertThat(server.restBaseUri()).isEqualTo(URI.create("http://127.0.0.1:" + server.httpPort()));
            client.upsertAsync("items", List.of(point(1, 1f, 2f), point(2, 3f, 4f))).get();

            Path archive = source(server, "items", FakeQdrantServer.SHARD_ID, null).downloadFull(downloads());

            Path unpacked = temp.resolve("unpacked");
            EdgeShard.unpackSnapshot(archive, unpacked);
            try (EdgeShard copy = EdgeShard.openReadOnly(unpacked)) {
                assertThat(records(copy)).isEqualTo(records(server.shard())).hasSize(2);
            }
            List<SnapshotExchange> exchanges = server.snapshotExchanges();
            assertThat(exchanges).hasSize(1);
            SnapshotExchange exchange = exchanges.get(0);
            assertThat(exchange.kind()).isEqualTo(SnapshotRequest.Kind.FULL);
            assertThat(exchange.status()).isEqualTo(200);
            assertThat(exchange.request().method()).isEqualTo("GET");
            assertThat(exchange.request().path()).isEqualTo("/collections/items/shards/0/snapshot");
            assertThat(exchange.request().sequence()).isEqualTo(1);
            assertThat(exchange.bytes()).isEqualTo(Files.size(archive)).isPositive();
            assertThat(server.snapshotBytesServed()).isEqualTo(Files.size(archive));
        }
    }

    @Test
    void aPartialSnapshotBringsAMirrorToTheShardThenTheServerAnswers304() throws Exception {
        try (FakeQdrantServer server = FakeQdrantServer.builder("items", CONFIG).tcp().http().start();
                QdrantClient client = server.newClient()) {
            client.upsertAsync("items", List.of(point(1, 1f, 2f), point(2, 3f, 4f))).get();
            HttpSnapshotSource source = source(server, "items", 0, null);
            Path mirrorDir = temp.resolve("mirror");
            EdgeShard.unpackSnapshot(source.downloadFull(downloads()), mirrorDir);
            try (EdgeShard mirror = EdgeShard.load(mirrorDir)) {
                // a write of another client, applied to the server's shard directly, and one over gRPC
                server.shard().update(new UpsertPoints(List.of(new PointStruct(PointId.of(3),
                        Map.of("", new DenseVector(new float[] {5, 6})), Optional.empty()))));
                client.deleteAsync("items", List.of(id(1))).get();

                Path partial = source.downloadPartial(mirror.snapshotManifest(), downloads()).orElseThrow();
                mirror.updateFromSnapshot(partial);
                assertThat(records(mirror)).isEqualTo(records(server.shard()));
                assertThat(records(mirror)).extracting(Record::id).containsExactly(PointId.of(2), PointId.of(3));

                assertThat(source.downloadPartial(mirror.snapshotManifest(), downloads())).isEmpty();
            }
            List<SnapshotExchange> exchanges = server.snapshotExchanges();
            assertThat(exchanges).extracting(SnapshotExchange::kind).containsExactly(SnapshotRequest.Kind.FULL,
                    SnapshotRequest.Kind.PARTIAL, SnapshotRequest.Kind.PARTIAL);
            assertThat(exchanges).extracting(SnapshotExchange::status).containsExactly(200, 200, 304);
            assertThat(exchanges.get(1).request().manifest()).isPresent();
            assertThat(exchanges.get(2).bytes()).isZero();
            assertThat(server.snapshotBytesServed()).isEqualTo(exchanges.get(0).bytes() + exchanges.get(1).bytes());
            assertThat(server.awaitSnapshotExchanges(e -> e.status() == 304, 1, Duration.ofSeconds(1))).hasSize(1);
            server.clearRequests();
            assertThat(server.snapshotExchanges()).isEmpty();
        }
    }

    @Test
    void withAnApiKeyRequestsWithoutItAreRefusedOnBothSidesButTheHealthCheck() throws Exception {
        try (FakeQdrantServer server = FakeQdrantServer.builder("items", CONFIG).tcp().http().apiKey("s3cret")
                .start();
                QdrantClient anonymous = new QdrantClient(
                        QdrantGrpcClient.newBuilder(server.newChannel(), true, false).build());
                QdrantClient wrong = new QdrantClient(
                        QdrantGrpcClient.newBuilder(server.newChannel(), true, false).withApiKey("nope").build());
                QdrantClient keyed = new QdrantClient(
                        QdrantGrpcClient.newBuilder(server.newChannel(), true, false).withApiKey("s3cret").build())) {
            SnapshotDownloadException missing = catchThrowableOfType(SnapshotDownloadException.class,
                    () -> source(server, "items", 0, null).downloadFull(downloads()));
            assertThat(missing.statusCode()).hasValue(401);
            assertThat(missing).hasMessageContaining(FakeQdrantServer.MISSING_KEY);
            SnapshotDownloadException invalid = catchThrowableOfType(SnapshotDownloadException.class,
                    () -> source(server, "items", 0, "other").downloadFull(downloads()));
            assertThat(invalid.statusCode()).hasValue(401);
            assertThat(invalid).hasMessageContaining(FakeQdrantServer.INVALID_KEY);
            assertThat(source(server, "items", 0, "s3cret").downloadFull(downloads())).exists();
            HttpResponse<Void> bearer = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                    URI.create(server.restBaseUri() + "/collections/items/shards/0/snapshot"))
                    .header("Authorization", "Bearer s3cret").build(), HttpResponse.BodyHandlers.discarding());
            assertThat(bearer.statusCode()).isEqualTo(200);
            assertThat(server.snapshotExchanges()).extracting(SnapshotExchange::status)
                    .containsExactly(401, 401, 200, 200);

            assertThat(statusOf(anonymous)).isEqualTo(Status.Code.UNAUTHENTICATED);
            assertThat(statusOf(wrong)).isEqualTo(Status.Code.UNAUTHENTICATED);
            keyed.upsertAsync("items", List.of(point(1, 1f, 1f))).get();
            assertThat(anonymous.healthCheckAsync().get().getVersion()).isEqualTo(FakeQdrantServer.DEFAULT_VERSION);
            assertThat(server.shard().count()).isEqualTo(1);
        }
    }

    @Test
    void injectedFailuresAnswerTheirStatusAndServeNothingUntilTheyEnd() throws Exception {
        try (FakeQdrantServer server = FakeQdrantServer.builder("items", CONFIG).http().start()) {
            HttpSnapshotSource source = source(server, "items", 0, null);
            FailureRule next = server.failSnapshotsNext(1, 503);
            SnapshotDownloadException unavailable = catchThrowableOfType(SnapshotDownloadException.class,
                    () -> source.downloadFull(downloads()));
            assertThat(unavailable.reason()).isEqualTo(SnapshotDownloadException.Reason.SERVER_ERROR);
            assertThat(unavailable.statusCode()).hasValue(503);
            assertThat(source.downloadFull(downloads())).exists();
            assertThat(next.failures()).isEqualTo(1);

            try (FailureRule partials = server.failSnapshotsWhile(r -> r.kind() == SnapshotRequest.Kind.PARTIAL,
                    429)) {
                assertThat(catchThrowableOfType(SnapshotDownloadException.class, () -> source.downloadPartial(
                        dev.qdrantedge.engine.snapshot.SnapshotManifest.empty(), downloads())).statusCode())
                        .hasValue(429);
                assertThat(source.downloadFull(downloads())).exists();
                assertThat(partials.failures()).isEqualTo(1);
            }
            assertThat(source.downloadPartial(dev.qdrantedge.engine.snapshot.SnapshotManifest.empty(), downloads()))
                    .isPresent();

            FailureRule hour = server.failSnapshotsFor(Duration.ofHours(1), 500);
            assertThat(catchThrowableOfType(SnapshotDownloadException.class, () -> source.downloadFull(downloads()))
                    .statusCode()).hasValue(500);
            hour.close();
            assertThat(source.downloadFull(downloads())).exists();
            assertThat(server.snapshotExchanges()).extracting(SnapshotExchange::status)
                    .containsExactly(503, 200, 429, 200, 200, 500, 200);
            assertThat(server.snapshotExchanges().get(0).bytes()).isZero();
        }
    }

    @Test
    void otherCollectionsShardsPathsAndMethodsAreRefusedAsQdrantRefusesThem() throws Exception {
        try (FakeQdrantServer server = FakeQdrantServer.builder("items", CONFIG).http().start()) {
            SnapshotDownloadException collection = catchThrowableOfType(SnapshotDownloadException.class,
                    () -> source(server, "other", 0, null).downloadFull(downloads()));
            assertThat(collection.statusCode()).hasValue(404);
            assertThat(collection).hasMessageContaining("Collection `other` doesn't exist");
            assertThat(catchThrowableOfType(SnapshotDownloadException.class,
                    () -> source(server, "items", 1, null).downloadFull(downloads())).statusCode()).hasValue(404);

            HttpClient http = HttpClient.newHttpClient();
            HttpResponse<String> post = http.send(HttpRequest.newBuilder(
                    URI.create(server.restBaseUri() + "/collections/items/shards/0/snapshot"))
                    .POST(HttpRequest.BodyPublishers.noBody()).build(), HttpResponse.BodyHandlers.ofString());
            assertThat(post.statusCode()).isEqualTo(405);
            HttpResponse<String> badManifest = http.send(HttpRequest.newBuilder(
                    URI.create(server.restBaseUri() + "/collections/items/shards/0/snapshot/partial/create"))
                    .POST(HttpRequest.BodyPublishers.ofString("[1, 2")).build(), HttpResponse.BodyHandlers.ofString());
            assertThat(badManifest.statusCode()).isEqualTo(400);
            assertThat(badManifest.body()).startsWith("{\"status\":{\"error\":\"Bad request");
            HttpResponse<String> other = http.send(HttpRequest.newBuilder(
                    URI.create(server.restBaseUri() + "/collections/items")).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(other.statusCode()).isEqualTo(404);
            assertThat(server.snapshotExchanges()).extracting(e -> e.request().kind()).containsExactly(
                    SnapshotRequest.Kind.FULL, SnapshotRequest.Kind.FULL, SnapshotRequest.Kind.FULL,
                    SnapshotRequest.Kind.PARTIAL, SnapshotRequest.Kind.OTHER);
            assertThat(server.snapshotBytesServed()).isZero();
        }
    }

    @Test
    void withoutHttpThereIsNoRestSide() throws Exception {
        try (FakeQdrantServer server = FakeQdrantServer.builder("items", CONFIG).start()) {
            assertThat(server.isHttp()).isFalse();
            assertThat(catchThrowableOfType(IllegalStateException.class, server::restBaseUri))
                    .hasMessageContaining("http()");
        }
    }

    private static List<Record> records(EdgeShard shard) {
        return shard.scroll(new ScrollRequest(null, 1000, null, WithPayload.ALL, WithVector.ALL)).points();
    }

    private static Points.PointStruct point(long id, float x, float y) {
        return Points.PointStruct.newBuilder().setId(id(id)).setVectors(vectors(x, y)).build();
    }

    private static Status.Code statusOf(QdrantClient client) throws Exception {
        try {
            client.upsertAsync("items", List.of(point(9, 1f, 1f))).get();
        } catch (ExecutionException e) {
            return Status.fromThrowable(e.getCause()).getCode();
        }
        throw new AssertionError("the call succeeded");
    }
}
