package dev.qdrantedge.spring.boot.autoconfigure;

import static dev.qdrantedge.spring.boot.autoconfigure.EdgeOutboxAutoConfigurationTest.CONFIG;
import static dev.qdrantedge.spring.boot.autoconfigure.EdgeOutboxAutoConfigurationTest.WAIT;
import static dev.qdrantedge.spring.boot.autoconfigure.EdgeOutboxAutoConfigurationTest.upsert;
import static org.assertj.core.api.Assertions.assertThat;

import dev.qdrantedge.engine.idtracker.PointId;
import dev.qdrantedge.engine.sync.EdgeStore;
import dev.qdrantedge.engine.sync.HttpSnapshotOptions;
import dev.qdrantedge.engine.sync.HttpSnapshotSource;
import dev.qdrantedge.engine.sync.RefreshResult;
import dev.qdrantedge.engine.sync.SnapshotSource;
import dev.qdrantedge.spring.testsupport.FakeQdrantServer;
import dev.qdrantedge.spring.testsupport.SnapshotExchange;
import dev.qdrantedge.spring.testsupport.SnapshotRequest;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** The mirror of a fake Qdrant's shard (gRPC and REST snapshots on loopback, a real shard behind them). */
@ExtendWith(OutputCaptureExtension.class)
class EdgeSyncAutoConfigurationTest {

    @TempDir
    Path temp;
    FakeQdrantServer server;

    @BeforeEach
    void startServer() throws Exception {
        server = FakeQdrantServer.builder("notes", CONFIG).tcp().http().apiKey("s3cret").start();
    }

    @AfterEach
    void stopServer() {
        server.close();
    }

    private ApplicationContextRunner runner(String store) {
        return new ApplicationContextRunner()
                .withConfiguration(AutoConfigurations.of(EdgeStoreAutoConfiguration.class,
                        EdgeServerConnectionAutoConfiguration.class, QdrantClientAutoConfiguration.class,
                        EdgeOutboxAutoConfiguration.class, EdgeSyncAutoConfiguration.class))
                .withPropertyValues("qdrant.edge.path=" + temp.resolve(store), "qdrant.edge.vectors.v.size=2",
                        "qdrant.edge.vectors.v.distance=Dot");
    }

    /** With the fake as server; no scheduled refresh while a test runs unless it sets initial-delay. */
    private ApplicationContextRunner withServer(String store) {
        return runner(store).withPropertyValues("qdrant.edge.server.url=" + server.restBaseUri(),
                "qdrant.edge.server.grpc-port=" + server.port(), "qdrant.edge.server.collection-name=notes",
                "qdrant.edge.server.api-key=s3cret", "qdrant.edge.sync.initial-delay=1h");
    }

    private static RefreshResult refresh(org.springframework.context.ApplicationContext context) throws Exception {
        return context.getBean(EdgeMirrorRefresher.class).triggerRefresh().get();
    }

    @Test
    void withoutAServerThereIsNoMirror() {
        runner("offline").run(context -> {
            assertThat(context).hasSingleBean(EdgeStore.class);
            assertThat(context).doesNotHaveBean(SnapshotSource.class).doesNotHaveBean(EdgeMirrorRefresher.class);
        });
    }

    @Test
    void theSnapshotSourceIsBuiltFromTheConnectionDetailsAndTheSyncProperties() {
        withServer("options").withPropertyValues("qdrant.edge.server.shard-id=0",
                "qdrant.edge.server.connect-timeout=3s", "qdrant.edge.server.request-timeout=40s",
                "qdrant.edge.sync.download-timeout=15m", "qdrant.edge.sync.max-snapshot-size=5GB").run(context -> {
                    HttpSnapshotOptions options = context.getBean(HttpSnapshotSource.class).options();
                    assertThat(options.baseUrl()).isEqualTo(server.restBaseUri());
                    assertThat(options.collection()).isEqualTo("notes");
                    assertThat(options.shardId()).isZero();
                    assertThat(options.apiKey()).contains("s3cret");
                    assertThat(options.connectTimeout()).isEqualTo(Duration.ofSeconds(3));
                    assertThat(options.readTimeout()).isEqualTo(Duration.ofSeconds(40));
                    assertThat(options.requestTimeout()).isEqualTo(Duration.ofMinutes(15));
                    assertThat(options.maxArchiveBytes()).isEqualTo(5L << 30);
                    assertThat(context.getBean(EdgeMirrorRefresher.class).isRunning()).isTrue();
                    assertThat(context.getBean(EdgeMirrorRefresher.class).source())
                            .isSameAs(context.getBean(HttpSnapshotSource.class));
                });
    }

    @Test
    void syncCanBeTurnedOffWhileWritesAreStillDelivered() {
        withServer("no-sync").withPropertyValues("qdrant.edge.sync.enabled=false").run(context -> {
            assertThat(context).doesNotHaveBean(SnapshotSource.class).doesNotHaveBean(EdgeMirrorRefresher.class);
            assertThat(context).hasSingleBean(EdgeOutboxDelivery.class);
        });
    }

    @Test
    void refreshesBringTheServersWritesAndReflectTheApplicationsOwn() {
        server.shard().update(upsert(100, 1, 0)); // another client's write, before the application starts
        withServer("mirror").run(context -> {
            EdgeStore store = context.getBean(EdgeStore.class);
            assertThat(store.count(null)).isZero();

            assertThat(refresh(context).kind()).isEqualTo(RefreshResult.Kind.FULL);
            assertThat(ids(store)).containsExactly(PointId.of(100));

            server.shard().update(upsert(101, 0, 1));
            store.update(upsert(1, 1, 1));
            assertThat(context.getBean(EdgeOutboxDelivery.class).awaitDrained(WAIT)).isTrue();
            RefreshResult partial = refresh(context);
            assertThat(partial.kind()).isEqualTo(RefreshResult.Kind.PARTIAL);
            assertThat(partial.entriesReflected()).isEqualTo(1);
            assertThat(ids(store)).containsExactly(PointId.of(1), PointId.of(100), PointId.of(101));
            assertThat(store.status().localPoints()).as("the own write is read from the mirror now").isZero();

            assertThat(refresh(context).kind()).isEqualTo(RefreshResult.Kind.NOT_MODIFIED);
            List<SnapshotExchange> exchanges = server.snapshotExchanges();
            assertThat(exchanges).extracting(SnapshotExchange::kind).containsExactly(SnapshotRequest.Kind.FULL,
                    SnapshotRequest.Kind.PARTIAL, SnapshotRequest.Kind.PARTIAL);
            assertThat(exchanges).extracting(SnapshotExchange::status).containsExactly(200, 200, 304);
            assertThat(exchanges).allSatisfy(e -> assertThat(e.request().header("api-key")).isEqualTo("s3cret"));
            EdgeMirrorRefresher.Stats stats = context.getBean(EdgeMirrorRefresher.class).stats();
            assertThat(stats.refreshes()).isEqualTo(3);
            assertThat(stats.totalBytes()).isEqualTo(server.snapshotBytesServed());
        });
    }

    @Test
    void inTheBackgroundTheFirstRefreshStartsAtOnce() {
        server.shard().update(upsert(100, 1, 0));
        withServer("background").withPropertyValues("qdrant.edge.sync.initial-delay=0s").run(context -> {
            assertThat(server.awaitSnapshotExchanges(e -> e.kind() == SnapshotRequest.Kind.FULL, 1, WAIT))
                    .hasSize(1);
            // a refresh triggered now runs after the first one on the refresher's thread
            assertThat(refresh(context).kind()).isEqualTo(RefreshResult.Kind.NOT_MODIFIED);
            assertThat(ids(context.getBean(EdgeStore.class))).containsExactly(PointId.of(100));
        });
    }

    @Test
    void blockingBootstrapDownloadsTheMirrorBeforeStartUpEnds() {
        server.shard().update(upsert(100, 1, 0));
        withServer("blocking").withPropertyValues("qdrant.edge.sync.bootstrap=BLOCKING").run(context -> {
            assertThat(context).hasNotFailed();
            EdgeStore store = context.getBean(EdgeStore.class);
            assertThat(store.hasMirror()).isTrue();
            assertThat(ids(store)).containsExactly(PointId.of(100));
        });
    }

    @Test
    void blockingBootstrapFailsStartUpNamingTheServerAndTheCause() {
        withServer("blocked").withPropertyValues("qdrant.edge.sync.bootstrap=BLOCKING",
                "qdrant.edge.server.collection-name=other").run(context ->
                assertThat(causeOfType(context.getStartupFailure(), MirrorBootstrapException.class))
                        .hasRootCauseInstanceOf(dev.qdrantedge.engine.sync.SnapshotDownloadException.class)
                        .hasMessageContaining("qdrant.edge.sync.bootstrap=BLOCKING")
                        .hasMessageContaining(server.restBaseUri() + "/collections/other/shards/0/snapshot")
                        .hasMessageContaining("Collection `other` doesn't exist")
                        .hasMessageContaining("qdrant.edge.sync.bootstrap=BACKGROUND"));
    }

    @Test
    void blockingBootstrapStartsOnAMirrorFromAnEarlierRunWhenTheServerFails() {
        server.shard().update(upsert(100, 1, 0));
        withServer("earlier").run(context -> refresh(context));
        server.failSnapshotsWhile(() -> true, 503);
        withServer("earlier").withPropertyValues("qdrant.edge.sync.bootstrap=BLOCKING").run(context -> {
            assertThat(context).hasNotFailed();
            assertThat(ids(context.getBean(EdgeStore.class))).containsExactly(PointId.of(100));
        });
    }

    @Test
    void aStreakOfFailuresIsLoggedOnceAndItsEndOnce(CapturedOutput output) {
        AtomicBoolean down = new AtomicBoolean(true);
        server.failSnapshotsWhile(down::get, 400);
        withServer("streak").run(context -> {
            EdgeMirrorRefresher refresher = context.getBean(EdgeMirrorRefresher.class);
            for (int i = 0; i < 3; i++) {
                assertThat(refresher.triggerRefresh()).failsWithin(WAIT);
            }
            assertThat(refresher.stats().consecutiveFailures()).isEqualTo(3);
            EdgeStore store = context.getBean(EdgeStore.class);
            assertThat(store.status().lastRefreshError()).hasValueSatisfying(e -> assertThat(e).contains("400"));
            down.set(false);
            assertThat(refresh(context).kind()).isEqualTo(RefreshResult.Kind.FULL);
            assertThat(refresher.stats().consecutiveFailures()).isZero();
            assertThat(refresher.stats().failures()).isEqualTo(3);
        });
        String log = output.getAll();
        // the first failure's warning with its reason; the second and third at debug level at most
        String refresh = "Mirror refresh from " + server.restBaseUri() + "/collections/notes/shards/0/snapshot";
        assertThat(count(log, refresh + " failed: GET")).as(log).isEqualTo(1);
        assertThat(count(log, "Reads go on on the mirror as it is")).isEqualTo(1);
        assertThat(log).contains("HTTP 400");
        assertThat(count(log, refresh + " succeeded again after 3 failed attempts")).isEqualTo(1);
        assertThat(log).doesNotContain("\tat dev.qdrantedge");
    }

    private static Throwable causeOfType(Throwable failure, Class<? extends Throwable> type) {
        for (Throwable t = failure; t != null; t = t.getCause()) {
            if (type.isInstance(t)) {
                return t;
            }
        }
        throw new AssertionError("no " + type.getSimpleName() + " in " + failure, failure);
    }

    private static int count(String text, String part) {
        int n = 0;
        for (int i = text.indexOf(part); i >= 0; i = text.indexOf(part, i + 1)) {
            n++;
        }
        return n;
    }

    /** An application's own source: the fake's shard read directly. */
    @Configuration(proxyBeanMethods = false)
    static class OwnSource {
        @Bean
        SnapshotSource shardSource(FakeQdrantServerHolder holder) {
            return new ShardSnapshotSource(holder.server().shard());
        }
    }

    record FakeQdrantServerHolder(FakeQdrantServer server) {
    }

    @Test
    void anApplicationsSourceAndRefresherReplaceTheAutoConfiguredOnes() {
        server.shard().update(upsert(100, 1, 0));
        withServer("own-source").withBean(FakeQdrantServerHolder.class, () -> new FakeQdrantServerHolder(server))
                .withUserConfiguration(OwnSource.class).run(context -> {
                    assertThat(context).doesNotHaveBean(HttpSnapshotSource.class);
                    assertThat(context.getBean(EdgeMirrorRefresher.class).source())
                            .isSameAs(context.getBean("shardSource"));
                    refresh(context);
                    assertThat(ids(context.getBean(EdgeStore.class))).containsExactly(PointId.of(100));
                    assertThat(server.snapshotExchanges()).isEmpty();
                });
        withServer("own-refresher").withBean("ownRefresher", EdgeMirrorRefresher.class,
                () -> new EdgeMirrorRefresher(EdgeStore.open(temp.resolve("other"), CONFIG),
                        new HttpSnapshotSource(HttpSnapshotOptions.builder(server.restBaseUri(), "notes", 0).build()),
                        new EdgeProperties.Sync(), "own", Clock.systemUTC())).run(context ->
                assertThat(context).hasSingleBean(EdgeMirrorRefresher.class).hasBean("ownRefresher"));
    }

    private static List<PointId> ids(EdgeStore store) {
        return store.scroll(new dev.qdrantedge.engine.query.ScrollRequest(null, 100, null,
                dev.qdrantedge.engine.search.WithPayload.NONE, dev.qdrantedge.engine.search.WithVector.NONE))
                .points().stream().map(dev.qdrantedge.engine.shard.Record::id).toList();
    }
}
