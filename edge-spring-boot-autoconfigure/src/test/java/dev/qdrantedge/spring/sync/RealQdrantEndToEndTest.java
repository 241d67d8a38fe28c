package dev.qdrantedge.spring.sync;

import static dev.qdrantedge.spring.sync.SyncFixtures.COLLECTION;
import static dev.qdrantedge.spring.sync.SyncFixtures.config;
import static io.qdrant.client.PointIdFactory.id;
import static io.qdrant.client.ValueFactory.value;
import static io.qdrant.client.VectorFactory.vector;
import static io.qdrant.client.VectorsFactory.namedVectors;
import static org.assertj.core.api.Assertions.assertThat;

import dev.qdrantedge.engine.idtracker.PointId;
import dev.qdrantedge.engine.operation.PointStruct;
import dev.qdrantedge.engine.operation.SetPayload;
import dev.qdrantedge.engine.operation.UpsertPoints;
import dev.qdrantedge.engine.shard.Record;
import dev.qdrantedge.engine.sync.EdgeStore;
import dev.qdrantedge.engine.sync.HttpSnapshotOptions;
import dev.qdrantedge.engine.sync.HttpSnapshotSource;
import dev.qdrantedge.engine.sync.OutboxPublisher;
import dev.qdrantedge.engine.sync.RefreshResult;
import dev.qdrantedge.engine.vectors.DenseVector;
import dev.qdrantedge.spring.boot.testcontainers.DockerSkipNotice;
import dev.qdrantedge.spring.client.QdrantOutboxSink;
import io.qdrant.client.QdrantClient;
import io.qdrant.client.QdrantGrpcClient;
import io.qdrant.client.grpc.Collections;
import io.qdrant.client.grpc.Common;
import io.qdrant.client.grpc.JsonWithInt;
import io.qdrant.client.grpc.Points;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.testcontainers.junit.jupiter.Container;
import org.testcontainers.junit.jupiter.Testcontainers;
import org.testcontainers.qdrant.QdrantContainer;

/**
 * The sync against a real Qdrant server in a container: an edge store bootstraps its mirror from a populated
 * collection (full shard snapshot over REST), a local write reaches the server (gRPC, through the outbox), a
 * server-side write reaches the edge with a partial snapshot, which transfers fewer bytes than the full one,
 * and the edge's own delivered writes are read once, from the mirror. Needs a Docker engine; without one the
 * class is skipped and says so.
 *
 * <p>The collection has four segments holding a hundred points each, so that the three changes (a new point
 * from each side, a payload edit) change three of them at most and the partial snapshot leaves the others out,
 * and a small WAL (both kinds of snapshot carry it whole).
 */
@ExtendWith(DockerSkipNotice.class)
@Testcontainers(disabledWithoutDocker = true)
class RealQdrantEndToEndTest {

    private static final int POINTS = 400;
    private static final long TIMEOUT_SECONDS = 60;

    @Container
    static final QdrantContainer QDRANT = new QdrantContainer("qdrant/qdrant:v1.19.0");

    @TempDir
    Path temp;

    @Test
    void anEdgeStoreBootstrapsFromTheServerAndSyncsBothWays() throws Exception {
        try (QdrantClient client = new QdrantClient(
                QdrantGrpcClient.newBuilder(QDRANT.getHost(), QDRANT.getGrpcPort(), false).build());
                EdgeStore store = EdgeStore.open(temp.resolve("store"), config(), SyncFixtures.storeOptions())) {
            createPopulatedCollection(client);
            HttpSnapshotSource source = new HttpSnapshotSource(HttpSnapshotOptions.builder(
                    "http://" + QDRANT.getHost() + ":" + QDRANT.getMappedPort(6333), COLLECTION, 0).build());

            RefreshResult full = store.refresh(source);

            assertThat(full.kind()).isEqualTo(RefreshResult.Kind.FULL);
            assertThat(full.bytes()).isPositive();
            assertThat(store.count(null)).isEqualTo(POINTS);
            Record seven = store.retrieve(List.of(PointId.of(7)), true, true).get(0);
            assertThat(seven.payload().get("n").asLong()).isEqualTo(7);
            assertThat(seven.payload().get("tag").asString()).isEqualTo("b");
            assertThat(((DenseVector) seven.vectors().get("text")).values()).containsExactly(7f, 1f, 0f, 0.5f);
            assertThat(((DenseVector) seven.vectors().get("w")).values()).containsExactly(7f, 0f);

            // A local write reaches the server.
            try (OutboxPublisher publisher = new OutboxPublisher(store.outbox(),
                    new QdrantOutboxSink(client, SyncFixtures.sinkOptions()), SyncFixtures.publisherOptions(50),
                    Clock.systemUTC())) {
                publisher.start();
                store.update(new UpsertPoints(List.of(new PointStruct(PointId.of(1001),
                        Map.of("text", new DenseVector(new float[] {1, 0, 0, 1}), "w", new DenseVector(new float[] {3, 4})),
                        Optional.of(SyncFixtures.JSON.createObjectNode().put("from", "edge"))))));
                store.update(new SetPayload(SyncFixtures.JSON.createObjectNode().put("edited", true),
                        Optional.of(List.of(PointId.of(7))), Optional.empty(), Optional.empty()));
                assertThat(publisher.awaitDrained(Duration.ofSeconds(TIMEOUT_SECONDS))).isTrue();
            }
            assertThat(store.status().outbox().dead()).isZero();
            Map<Long, Points.RetrievedPoint> onServer = retrieve(client, 1001, 7);
            assertThat(onServer.get(1001L).getPayloadMap().get("from").getStringValue()).isEqualTo("edge");
            assertThat(onServer.get(1001L).getVectors().getVectors().getVectorsMap().get("w").getDense().getDataList())
                    .as("the typed dense form, the one Qdrant 1.19 fills").containsExactly(3f, 4f);
            assertThat(onServer.get(7L).getPayloadMap().get("edited").getBoolValue()).isTrue();
            assertThat(onServer.get(7L).getPayloadMap().get("n").getIntegerValue()).isEqualTo(7);

            // A server-side write reaches the edge with a partial snapshot.
            client.upsertAsync(COLLECTION, List.of(point(2001, "server"))).get(TIMEOUT_SECONDS, TimeUnit.SECONDS);

            RefreshResult partial = store.refresh(source);

            assertThat(partial.kind()).isEqualTo(RefreshResult.Kind.PARTIAL);
            assertThat(partial.bytes()).as("a partial snapshot after a small change").isPositive()
                    .isLessThan(full.bytes());
            assertThat(store.retrieve(List.of(PointId.of(2001)), true, false)).singleElement()
                    .satisfies(r -> assertThat(r.payload().get("tag").asString()).isEqualTo("server"));
            assertThat(partial.entriesReflected()).as("the edge's delivered writes are in the mirror now")
                    .isEqualTo(2);
            assertThat(store.status().localPoints()).as("their local copies are dropped").isZero();
            assertThat(store.count(null)).as("each point once").isEqualTo(POINTS + 2);
            assertThat(store.retrieve(List.of(PointId.of(1001), PointId.of(7)), true, false))
                    .extracting(r -> r.payload().has("from") ? r.payload().get("from").asString()
                            : "edited=" + r.payload().get("edited").asBoolean())
                    .containsExactly("edge", "edited=true");
        }
    }

    private static void createPopulatedCollection(QdrantClient client) throws Exception {
        client.createCollectionAsync(Collections.CreateCollection.newBuilder()
                .setCollectionName(COLLECTION)
                .setShardNumber(1)
                .setVectorsConfig(Collections.VectorsConfig.newBuilder().setParamsMap(
                        Collections.VectorParamsMap.newBuilder()
                                .putMap("text", Collections.VectorParams.newBuilder().setSize(4)
                                        .setDistance(Collections.Distance.Dot).build())
                                .putMap("w", Collections.VectorParams.newBuilder().setSize(2)
                                        .setDistance(Collections.Distance.Euclid).build())))
                .setOptimizersConfig(Collections.OptimizersConfigDiff.newBuilder().setDefaultSegmentNumber(4))
                .setWalConfig(Collections.WalConfigDiff.newBuilder().setWalCapacityMb(1))
                .build()).get(TIMEOUT_SECONDS, TimeUnit.SECONDS);
        // In requests of 50: Qdrant puts the new points of a request into its smallest appendable segment, so
        // the points spread over the four segments.
        for (int first = 1; first <= POINTS; first += 50) {
            List<Points.PointStruct> points = new ArrayList<>();
            for (int i = first; i < first + 50; i++) {
                points.add(point(i, i % 3 == 1 ? "b" : "a"));
            }
            client.upsertAsync(COLLECTION, points).get(TIMEOUT_SECONDS, TimeUnit.SECONDS);
        }
    }

    /** Point {@code i}: text = (i, 1, 0, 0.5), w = (i, 0), payload {n: i, tag, note: a sentence}. */
    private static Points.PointStruct point(long i, String tag) {
        Map<String, JsonWithInt.Value> payload = Map.of("n", value(i), "tag", value(tag),
                "note", value("point " + i + " carries a sentence long enough to give the segments some weight"));
        return Points.PointStruct.newBuilder()
                .setId(id(i))
                .setVectors(namedVectors(Map.of("text", vector((float) i, 1f, 0f, 0.5f), "w", vector((float) i, 0f))))
                .putAllPayload(payload)
                .build();
    }

    private static Map<Long, Points.RetrievedPoint> retrieve(QdrantClient client, long... ids) throws Exception {
        List<Common.PointId> grpcIds = new ArrayList<>();
        for (long i : ids) {
            grpcIds.add(id(i));
        }
        Map<Long, Points.RetrievedPoint> out = new HashMap<>();
        for (Points.RetrievedPoint p : client.retrieveAsync(COLLECTION, grpcIds, true, true, null)
                .get(TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
            out.put(p.getId().getNum(), p);
        }
        assertThat(out).as("the server has every point asked for").hasSize(ids.length);
        return out;
    }
}
