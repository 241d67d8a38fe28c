package dev.qdrantedge.spring.boot.autoconfigure;

import static org.assertj.core.api.Assertions.assertThat;

import dev.qdrantedge.engine.config.EdgeConfig;
import dev.qdrantedge.engine.config.VectorParams;
import dev.qdrantedge.engine.idtracker.PointId;
import dev.qdrantedge.engine.operation.PointStruct;
import dev.qdrantedge.engine.operation.UpdateOperation;
import dev.qdrantedge.engine.operation.UpsertPoints;
import dev.qdrantedge.engine.sync.EdgeStore;
import dev.qdrantedge.engine.sync.OutboxSink;
import dev.qdrantedge.engine.sync.PublisherStats;
import dev.qdrantedge.engine.vectors.DenseVector;
import dev.qdrantedge.engine.vectors.Distance;
import dev.qdrantedge.spring.client.QdrantOutboxSink;
import dev.qdrantedge.spring.testsupport.FakeQdrantServer;
import dev.qdrantedge.spring.testsupport.ReceivedRequest;
import io.grpc.Status;
import io.qdrant.client.QdrantClient;
import io.qdrant.client.grpc.Points;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.FilteredClassLoader;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** Delivery of the store's writes to a server: a fake Qdrant on loopback whose collection is a real shard. */
class EdgeOutboxAutoConfigurationTest {

    static final EdgeConfig CONFIG = new EdgeConfig(Map.of("v", new VectorParams(2, Distance.DOT)));
    static final Duration WAIT = Duration.ofSeconds(30);

    @TempDir
    Path temp;
    FakeQdrantServer server;

    @BeforeEach
    void startServer() throws Exception {
        server = FakeQdrantServer.builder("notes", CONFIG).tcp().start();
    }

    @AfterEach
    void stopServer() {
        server.close();
    }

    private ApplicationContextRunner runner(String store) {
        return new ApplicationContextRunner()
                .withConfiguration(AutoConfigurations.of(EdgeStoreAutoConfiguration.class,
                        EdgeServerConnectionAutoConfiguration.class, QdrantClientAutoConfiguration.class,
                        EdgeOutboxAutoConfiguration.class))
                .withPropertyValues("qdrant.edge.path=" + temp.resolve(store), "qdrant.edge.vectors.v.size=2",
                        "qdrant.edge.vectors.v.distance=Dot", "qdrant.edge.outbox.retry.delay=1ms",
                        "qdrant.edge.outbox.retry.max-delay=2ms", "qdrant.edge.outbox.retry.jitter=0ms");
    }

    private ApplicationContextRunner withServer(String store) {
        return runner(store).withPropertyValues("qdrant.edge.server.host=" + server.host(),
                "qdrant.edge.server.grpc-port=" + server.port(), "qdrant.edge.server.collection-name=notes");
    }

    static UpsertPoints upsert(long id, float x, float y) {
        return new UpsertPoints(List.of(new PointStruct(PointId.of(id),
                Map.of("v", new DenseVector(new float[] {x, y})), Optional.empty())));
    }

    @Test
    void withoutAServerThereIsNoDelivery() {
        runner("offline").run(context -> {
            assertThat(context).hasSingleBean(EdgeStore.class);
            assertThat(context).doesNotHaveBean(OutboxSink.class).doesNotHaveBean(EdgeOutboxDelivery.class);
        });
    }

    @Test
    void withoutTheClientLibraryThereIsNoDelivery() {
        withServer("no-client").withClassLoader(new FilteredClassLoader(QdrantClient.class)).run(context -> {
            assertThat(context).hasSingleBean(EdgeStore.class);
            assertThat(context).doesNotHaveBean(OutboxSink.class).doesNotHaveBean(EdgeOutboxDelivery.class);
        });
    }

    @Test
    void writesReachTheServersCollection() {
        withServer("online").withPropertyValues("qdrant.edge.server.shard-key=tenant-a",
                "qdrant.edge.server.request-timeout=7s").run(context -> {
                    QdrantOutboxSink sink = context.getBean(QdrantOutboxSink.class);
                    assertThat(sink.options().collectionName()).isEqualTo("notes");
                    assertThat(sink.options().callTimeout()).isEqualTo(Duration.ofSeconds(7));
                    assertThat(sink.options().shardKeySelector().orElseThrow().getShardKeys(0).getKeyword())
                            .isEqualTo("tenant-a");
                    EdgeOutboxDelivery delivery = context.getBean(EdgeOutboxDelivery.class);
                    assertThat(delivery.isRunning()).isTrue();
                    assertThat(((RetryingOutboxSink) delivery.sink()).delegate()).isSameAs(sink);

                    context.getBean(EdgeStore.class).update(upsert(1, 1, 2));

                    assertThat(delivery.awaitDrained(WAIT)).isTrue();
                    assertThat(server.shard().retrieve(List.of(PointId.of(1)), false, true)).singleElement()
                            .satisfies(r -> assertThat(r.vectors().get("v"))
                                    .isEqualTo(new DenseVector(new float[] {1, 2})));
                    assertThat(server.requests(Points.UpdateBatchPoints.class)).singleElement()
                            .satisfies(batch -> assertThat(batch.getOperations(0).getUpsert().getShardKeySelector()
                                    .getShardKeys(0).getKeyword())
                                    .isEqualTo("tenant-a"));
                });
    }

    @Test
    void transientFailuresAreRetriedQuicklyWithinOneAttempt() {
        withServer("retried").withPropertyValues("qdrant.edge.outbox.retry.max-retries=2").run(context -> {
            server.failNext(2, Status.UNAVAILABLE.withDescription("leader election"));
            context.getBean(EdgeStore.class).update(upsert(2, 1, 0));

            EdgeOutboxDelivery delivery = context.getBean(EdgeOutboxDelivery.class);
            assertThat(delivery.awaitDrained(WAIT)).isTrue();
            assertThat(server.shard().count(null)).isEqualTo(1);
            assertThat(server.requests(Points.UpdateBatchPoints.class)).hasSize(3);
            PublisherStats stats = delivery.stats().orElseThrow();
            assertThat(stats.failedAttempts()).as("the outbox saw no failed attempt").isZero();
            assertThat(stats.deliveredEntries()).isEqualTo(1);
        });
    }

    @Test
    void anOperationTheServerRefusesIsNotRetriedAndGoesDead() {
        withServer("refused").withPropertyValues("qdrant.edge.outbox.retry.max-retries=5").run(context -> {
            server.failWhile(ReceivedRequest.mentioning(PointId.of(13)), Status.INVALID_ARGUMENT);
            EdgeStore store = context.getBean(EdgeStore.class);
            store.update(upsert(13, 1, 1));

            EdgeOutboxDelivery delivery = context.getBean(EdgeOutboxDelivery.class);
            assertThat(delivery.awaitDrained(WAIT)).isTrue();
            assertThat(store.outbox().deadCount()).isEqualTo(1);
            assertThat(server.requests().stream().filter(ReceivedRequest.mentioning(PointId.of(13)))).hasSize(1);
            assertThat(delivery.stats().orElseThrow().deadLettered()).isEqualTo(1);
            assertThat(store.retrieve(List.of(PointId.of(13)), false, false)).as("the write keeps its local effect")
                    .hasSize(1);
        });
    }

    /** An application's own sink, recording what it is given. */
    @Configuration(proxyBeanMethods = false)
    static class OwnSink {
        final List<UpdateOperation> received = new CopyOnWriteArrayList<>();

        @Bean
        OutboxSink recordingSink() {
            return received::addAll;
        }
    }

    @Test
    void anApplicationsSinkReplacesTheQdrantSinkAndIsRetriedLikeIt() {
        withServer("own-sink").withUserConfiguration(OwnSink.class).run(context -> {
            assertThat(context).doesNotHaveBean(QdrantOutboxSink.class);
            EdgeOutboxDelivery delivery = context.getBean(EdgeOutboxDelivery.class);
            assertThat(((RetryingOutboxSink) delivery.sink()).delegate())
                    .isSameAs(context.getBean("recordingSink"));
            context.getBean(EdgeStore.class).update(upsert(3, 0, 1));
            assertThat(delivery.awaitDrained(WAIT)).isTrue();
            assertThat(context.getBean(OwnSink.class).received).containsExactly(upsert(3, 0, 1));
            assertThat(server.requests()).isEmpty();
        });
    }

    /** An application's own delivery. */
    @Configuration(proxyBeanMethods = false)
    static class OwnDelivery {
        @Bean
        EdgeOutboxDelivery ownDelivery(EdgeStore store, OutboxSink sink) {
            return new EdgeOutboxDelivery(store, sink, dev.qdrantedge.engine.sync.PublisherOptions.defaults(),
                    Duration.ZERO, Clock.systemUTC());
        }
    }

    @Test
    void anApplicationsDeliveryReplacesTheAutoConfiguredOne() {
        withServer("own-delivery").withUserConfiguration(OwnDelivery.class).run(context -> {
            assertThat(context).hasSingleBean(EdgeOutboxDelivery.class).hasBean("ownDelivery");
            assertThat(context.getBean(EdgeOutboxDelivery.class).sink()).isInstanceOf(QdrantOutboxSink.class);
        });
    }

    @Test
    void closingTheContextDeliversWhatIsPendingFirst() {
        // The publisher would wait an hour for a fuller batch; only the shutdown's drain sends the write.
        withServer("drained").withPropertyValues("qdrant.edge.outbox.linger=1h", "qdrant.edge.outbox.batch-size=100")
                .run(context -> {
                    context.getBean(EdgeStore.class).update(upsert(4, 1, 1));
                    assertThat(server.shard().count(null)).isZero();
                });
        assertThat(server.shard().count(null)).isEqualTo(1);
        try (EdgeStore reopened = EdgeStore.open(temp.resolve("drained"), null)) {
            assertThat(reopened.outbox().backlog()).isZero();
        }
    }

    @Test
    void whatCannotBeDeliveredAtShutdownStaysInTheOutbox() {
        withServer("kept").withPropertyValues("qdrant.edge.outbox.drain-timeout=100ms",
                "qdrant.edge.outbox.retry.max-retries=0").run(context -> {
                    server.failWhile(() -> true, Status.UNAVAILABLE);
                    context.getBean(EdgeStore.class).update(upsert(5, 1, 1));
                });
        assertThat(server.shard().count(null)).isZero();
        try (EdgeStore reopened = EdgeStore.open(temp.resolve("kept"), null)) {
            assertThat(reopened.outbox().backlog()).isEqualTo(1);
            assertThat(reopened.count(null)).isEqualTo(1);
        }
    }
}
