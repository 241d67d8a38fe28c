package dev.qdrantedge.spring.boot.autoconfigure;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.params.provider.Arguments.arguments;

import dev.qdrantedge.engine.config.EdgeConfig;
import dev.qdrantedge.engine.config.HnswConfig;
import dev.qdrantedge.engine.config.SparseVectorParams;
import dev.qdrantedge.engine.config.VectorParams;
import dev.qdrantedge.engine.shard.FsyncPolicy;
import dev.qdrantedge.engine.shard.WriteOptions;
import dev.qdrantedge.engine.snapshot.SnapshotLimits;
import dev.qdrantedge.engine.sync.Backoff;
import dev.qdrantedge.engine.vectors.Distance;
import dev.qdrantedge.engine.vectors.VectorDatatype;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import dev.qdrantedge.engine.sync.DeliveryException;
import dev.qdrantedge.engine.sync.EdgeStoreOptions;
import dev.qdrantedge.engine.sync.PublisherOptions;
import org.junit.jupiter.api.Test;
import org.springframework.core.retry.RetryPolicy;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.context.properties.bind.validation.BindValidationException;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.annotation.Configuration;
import org.springframework.util.unit.DataSize;

/** Binding and start-up validation of {@code qdrant.edge.*}, without creating a shard. */
class EdgePropertiesTest {

    @Configuration(proxyBeanMethods = false)
    @EnableConfigurationProperties(EdgeProperties.class)
    static class PropertiesOnly {
    }

    private final ApplicationContextRunner runner = new ApplicationContextRunner()
            .withUserConfiguration(PropertiesOnly.class);

    @Test
    void defaults() {
        runner.run(context -> {
            EdgeProperties p = context.getBean(EdgeProperties.class);
            assertThat(p.getPath()).isEqualTo(Path.of("data/edge-shard"));
            assertThat(p.getVectors()).isEmpty();
            assertThat(p.getSparseVectors()).isEmpty();
            assertThat(p.hasVectors()).isFalse();
            assertThat(p.getOnDiskPayload()).isNull();
            assertThat(p.getFsync()).isEqualTo(EdgeProperties.Fsync.PER_OPERATION);
            assertThat(p.writeOptions()).isEqualTo(new WriteOptions(FsyncPolicy.perOperation(), Duration.ofSeconds(5)));

            EdgeProperties.Server server = p.getServer();
            assertThat(server.hasAddress()).isFalse();
            assertThat(server.getUrl()).isNull();
            assertThat(server.getHost()).isNull();
            assertThat(server.getHttpPort()).isEqualTo(6333);
            assertThat(server.getGrpcPort()).isEqualTo(6334);
            assertThat(server.getApiKey()).isNull();
            assertThat(server.isUseTls()).isFalse();
            assertThat(server.getCollectionName()).isNull();
            assertThat(server.getShardId()).isZero();
            assertThat(server.getShardKey()).isNull();
            assertThat(server.getConnectTimeout()).isEqualTo(Duration.ofSeconds(10));
            assertThat(server.getRequestTimeout()).isEqualTo(Duration.ofSeconds(30));

            EdgeProperties.Sync sync = p.getSync();
            assertThat(sync.isEnabled()).isTrue();
            assertThat(sync.getBootstrap()).isEqualTo(EdgeProperties.Sync.Bootstrap.BACKGROUND);
            assertThat(sync.getRefreshInterval()).isEqualTo(Duration.ofMinutes(1));
            assertThat(sync.getInitialDelay()).isZero();
            assertThat(sync.snapshotLimits()).isEqualTo(SnapshotLimits.defaults());

            EdgeProperties.Outbox outbox = p.getOutbox();
            assertThat(outbox.getBatchSize()).isEqualTo(64);
            assertThat(outbox.getLinger()).isZero();
            assertThat(outbox.getFsync()).isNull();
            assertThat(p.outboxFsyncPolicy()).isEqualTo(FsyncPolicy.perOperation());
            assertThat(outbox.getBackoff().toBackoff()).isEqualTo(Backoff.DEFAULT);
            assertThat(outbox.getDrainTimeout()).isEqualTo(Duration.ofSeconds(5));
            assertThat(outbox.publisherOptions()).isEqualTo(new PublisherOptions(64, Duration.ZERO, Backoff.DEFAULT,
                    Duration.ofSeconds(5)));
            EdgeProperties.Outbox.Retry retry = outbox.getRetry();
            assertThat(retry.getMaxRetries()).isEqualTo(2);
            assertThat(retry.getDelay()).isEqualTo(Duration.ofMillis(100));
            assertThat(retry.getMultiplier()).isEqualTo(2.0);
            assertThat(retry.getMaxDelay()).isEqualTo(Duration.ofSeconds(1));
            assertThat(retry.getJitter()).isEqualTo(Duration.ofMillis(50));
            assertThat(sync.getDownloadTimeout()).isEqualTo(Duration.ofHours(2));
            assertThat(p.storeOptions().writes()).isEqualTo(p.writeOptions());
            assertThat(p.storeOptions().outbox().fsync()).isEqualTo(FsyncPolicy.perOperation());
            assertThat(p.storeOptions().snapshotLimits()).isEqualTo(SnapshotLimits.defaults());

            EdgeProperties.Health health = p.getHealth();
            assertThat(health.getMaxBacklog()).isEqualTo(10_000);
            assertThat(health.getMaxDeadEntries()).isZero();
            assertThat(health.getMaxRefreshAge()).isEqualTo(Duration.ofMinutes(10));
            assertThat(health.getServerTimeout()).isEqualTo(Duration.ofSeconds(2));
        });
    }

    @Test
    void theRetryPolicyRetriesOnlyTransientDeliveryFailures() {
        runner.withPropertyValues("qdrant.edge.outbox.retry.max-retries=4", "qdrant.edge.outbox.retry.delay=10ms",
                "qdrant.edge.outbox.retry.multiplier=3", "qdrant.edge.outbox.retry.max-delay=500ms",
                "qdrant.edge.outbox.retry.jitter=5ms").run(context -> {
                    RetryPolicy policy = context.getBean(EdgeProperties.class).getOutbox().getRetry().toRetryPolicy();
                    assertThat(policy.shouldRetry(DeliveryException.transientFailure("UNAVAILABLE", null))).isTrue();
                    assertThat(policy.shouldRetry(DeliveryException.permanentFailure("INVALID_ARGUMENT", null)))
                            .isFalse();
                    assertThat(policy.shouldRetry(new IllegalStateException())).isFalse();
                    org.springframework.util.backoff.BackOffExecution delays = policy.getBackOff().start();
                    // Spring's jitter: never below the delay, and grown by the multiplier with it
                    assertThat(delays.nextBackOff()).isBetween(10L, 15L);
                    assertThat(delays.nextBackOff()).isBetween(15L, 45L);
                });
    }

    @Test
    void storeOptionsCombineTheDurabilityAndSnapshotSettings() {
        runner.withPropertyValues("qdrant.edge.fsync=GROUPED", "qdrant.edge.fsync-interval=100ms",
                "qdrant.edge.outbox.fsync=PER_OPERATION", "qdrant.edge.sync.max-snapshot-size=3GB").run(context -> {
                    EdgeStoreOptions options = context.getBean(EdgeProperties.class).storeOptions();
                    assertThat(options.writes().fsync()).isEqualTo(FsyncPolicy.grouped(Duration.ofMillis(100)));
                    assertThat(options.outbox().fsync()).isEqualTo(FsyncPolicy.perOperation());
                    assertThat(options.snapshotLimits()).isEqualTo(SnapshotLimits.defaults()
                            .withMaxTotalBytes(3L << 30));
                });
    }

    @Test
    void healthOverrides() {
        runner.withPropertyValues("qdrant.edge.health.max-backlog=50", "qdrant.edge.health.max-dead-entries=2",
                "qdrant.edge.health.max-refresh-age=3m", "qdrant.edge.health.server-timeout=500ms").run(context -> {
                    EdgeProperties.Health health = context.getBean(EdgeProperties.class).getHealth();
                    assertThat(health.getMaxBacklog()).isEqualTo(50);
                    assertThat(health.getMaxDeadEntries()).isEqualTo(2);
                    assertThat(health.getMaxRefreshAge()).isEqualTo(Duration.ofMinutes(3));
                    assertThat(health.getServerTimeout()).isEqualTo(Duration.ofMillis(500));
                });
    }

    @Test
    void vectorGroupsBindToTheEngineConfiguration() {
        runner.withPropertyValues("qdrant.edge.path=/var/lib/edge",
                "qdrant.edge.vectors.text.size=384", "qdrant.edge.vectors.text.distance=dot",
                "qdrant.edge.vectors.text.datatype=FLOAT16", "qdrant.edge.vectors.text.on-disk=true",
                "qdrant.edge.vectors.text.hnsw.m=32", "qdrant.edge.vectors.text.hnsw.ef-construct=200",
                "qdrant.edge.vectors.text.hnsw.full-scan-threshold=5000", "qdrant.edge.vectors.text.hnsw.on-disk=true",
                "qdrant.edge.vectors.colbert.size=128", "qdrant.edge.vectors.colbert.distance=MANHATTAN",
                "qdrant.edge.vectors.colbert.datatype=uint8", "qdrant.edge.vectors.colbert.multivector.comparator=max_sim",
                "qdrant.edge.vectors.plain.size=3",
                "qdrant.edge.sparse-vectors.bm25.modifier=IDF", "qdrant.edge.sparse-vectors.bm25.on-disk=true",
                "qdrant.edge.sparse-vectors.splade.modifier=none",
                "qdrant.edge.on-disk-payload=false").run(context -> {
                    EdgeProperties p = context.getBean(EdgeProperties.class);
                    assertThat(p.getPath()).isEqualTo(Path.of("/var/lib/edge"));
                    EdgeConfig config = p.edgeConfig();
                    assertThat(config.vectors()).containsExactly(
                            Map.entry("text", new VectorParams(384, Distance.DOT, VectorDatatype.FLOAT16, false, true,
                                    new HnswConfig(32, 200, 5000, 0, true, null, null))),
                            Map.entry("colbert", new VectorParams(128, Distance.MANHATTAN, VectorDatatype.UINT8, true,
                                    null, null)),
                            Map.entry("plain", new VectorParams(3, Distance.COSINE)));
                    assertThat(config.sparseVectors()).containsExactly(
                            Map.entry("bm25", new SparseVectorParams(true, true, null)),
                            Map.entry("splade", new SparseVectorParams(false, null, null)));
                    assertThat(config.onDiskPayload()).isFalse();
                });
    }

    @Test
    void anHnswGroupWithSomeValuesTakesQdrantsDefaultsForTheRest() {
        runner.withPropertyValues("qdrant.edge.vectors.v.size=4", "qdrant.edge.vectors.v.hnsw.on-disk=true")
                .run(context -> assertThat(context.getBean(EdgeProperties.class).edgeConfig().vectors().get("v")
                        .hnswConfig()).isEqualTo(new HnswConfig(16, 100, 10_000, 0, true, null, null))
                        .isEqualTo(withOnDisk(HnswConfig.defaults())));
    }

    private static HnswConfig withOnDisk(HnswConfig h) {
        return new HnswConfig(h.m(), h.efConstruct(), h.fullScanThreshold(), h.maxIndexingThreads(), true,
                h.payloadM(), h.inlineStorage());
    }

    @Test
    void onlySparseVectorsMakeAConfigurationToo() {
        runner.withPropertyValues("qdrant.edge.sparse-vectors.bm25.modifier=idf").run(context -> {
            EdgeConfig config = context.getBean(EdgeProperties.class).edgeConfig();
            assertThat(config.vectors()).isEmpty();
            assertThat(config.sparseVectors()).containsOnlyKeys("bm25");
        });
    }

    @Test
    void withoutVectorsThereIsNoConfigurationToCreateAShardFrom() {
        runner.run(context -> assertThat(
                org.assertj.core.api.Assertions.catchThrowable(() -> context.getBean(EdgeProperties.class).edgeConfig()))
                .isInstanceOf(InvalidEdgePropertyException.class)
                .hasMessageContaining("qdrant.edge.vectors: no vector is configured"));
    }

    @Test
    void durabilityOverrides() {
        runner.withPropertyValues("qdrant.edge.fsync=grouped", "qdrant.edge.fsync-interval=250ms",
                "qdrant.edge.flush-interval=0").run(context -> {
                    EdgeProperties p = context.getBean(EdgeProperties.class);
                    assertThat(p.writeOptions()).isEqualTo(new WriteOptions(FsyncPolicy.grouped(Duration.ofMillis(250)), null));
                    assertThat(p.outboxFsyncPolicy()).as("the outbox follows the shard unless told otherwise")
                            .isEqualTo(FsyncPolicy.grouped(Duration.ofMillis(250)));
                });
        runner.withPropertyValues("qdrant.edge.fsync=GROUPED", "qdrant.edge.outbox.fsync=PER_OPERATION").run(context ->
                assertThat(context.getBean(EdgeProperties.class).outboxFsyncPolicy()).isEqualTo(FsyncPolicy.perOperation()));
        runner.withPropertyValues("qdrant.edge.outbox.fsync=grouped").run(context -> {
            EdgeProperties p = context.getBean(EdgeProperties.class);
            assertThat(p.outboxFsyncPolicy()).isEqualTo(FsyncPolicy.grouped(Duration.ofSeconds(1)));
            assertThat(p.writeOptions().fsync()).isEqualTo(FsyncPolicy.perOperation());
        });
    }

    @Test
    void serverOverrides() {
        runner.withPropertyValues("qdrant.edge.server.host=qdrant.internal", "qdrant.edge.server.http-port=16333",
                "qdrant.edge.server.grpc-port=16334", "qdrant.edge.server.api-key=secret",
                "qdrant.edge.server.use-tls=true", "qdrant.edge.server.collection-name=docs",
                "qdrant.edge.server.shard-id=3", "qdrant.edge.server.shard-key=tenant-a",
                "qdrant.edge.server.connect-timeout=2s", "qdrant.edge.server.request-timeout=1m").run(context -> {
                    EdgeProperties.Server s = context.getBean(EdgeProperties.class).getServer();
                    assertThat(s.hasAddress()).isTrue();
                    assertThat(s.getHost()).isEqualTo("qdrant.internal");
                    assertThat(s.getHttpPort()).isEqualTo(16333);
                    assertThat(s.getGrpcPort()).isEqualTo(16334);
                    assertThat(s.getApiKey()).isEqualTo("secret");
                    assertThat(s.isUseTls()).isTrue();
                    assertThat(s.getCollectionName()).isEqualTo("docs");
                    assertThat(s.getShardId()).isEqualTo(3);
                    assertThat(s.getShardKey()).isEqualTo("tenant-a");
                    assertThat(s.getConnectTimeout()).isEqualTo(Duration.ofSeconds(2));
                    assertThat(s.getRequestTimeout()).isEqualTo(Duration.ofMinutes(1));
                });
        runner.withPropertyValues("qdrant.edge.server.url=https://xyz.cloud.example:443/qdrant",
                "qdrant.edge.server.collection-name=docs").run(context -> {
                    EdgeProperties.Server s = context.getBean(EdgeProperties.class).getServer();
                    assertThat(s.hasAddress()).isTrue();
                    assertThat(s.getUrl()).isEqualTo(URI.create("https://xyz.cloud.example:443/qdrant"));
                });
    }

    @Test
    void syncAndOutboxOverrides() {
        runner.withPropertyValues("qdrant.edge.sync.enabled=false", "qdrant.edge.sync.bootstrap=blocking",
                "qdrant.edge.sync.refresh-interval=30s", "qdrant.edge.sync.initial-delay=5s",
                "qdrant.edge.sync.max-snapshot-size=2GB", "qdrant.edge.outbox.batch-size=500",
                "qdrant.edge.outbox.linger=20ms", "qdrant.edge.outbox.backoff.initial=100ms",
                "qdrant.edge.outbox.backoff.multiplier=1.5", "qdrant.edge.outbox.backoff.max=10s",
                "qdrant.edge.outbox.backoff.jitter=0").run(context -> {
                    EdgeProperties p = context.getBean(EdgeProperties.class);
                    assertThat(p.getSync().isEnabled()).isFalse();
                    assertThat(p.getSync().getBootstrap()).isEqualTo(EdgeProperties.Sync.Bootstrap.BLOCKING);
                    assertThat(p.getSync().getRefreshInterval()).isEqualTo(Duration.ofSeconds(30));
                    assertThat(p.getSync().getInitialDelay()).isEqualTo(Duration.ofSeconds(5));
                    assertThat(p.getSync().getMaxSnapshotSize()).isEqualTo(DataSize.ofGigabytes(2));
                    assertThat(p.getSync().snapshotLimits())
                            .isEqualTo(SnapshotLimits.defaults().withMaxTotalBytes(2L << 30));
                    assertThat(p.getOutbox().getBatchSize()).isEqualTo(500);
                    assertThat(p.getOutbox().getLinger()).isEqualTo(Duration.ofMillis(20));
                    assertThat(p.getOutbox().getBackoff().toBackoff())
                            .isEqualTo(new Backoff(Duration.ofMillis(100), 1.5, Duration.ofSeconds(10), 0.0));
                });
    }

    static Stream<Arguments> invalidValues() {
        return Stream.of(
                arguments(List.of("qdrant.edge.vectors.v.distance=Dot"),
                        "qdrant.edge.vectors.v.size: vector size must be positive, was 0"),
                arguments(List.of("qdrant.edge.vectors.v.size=-4"),
                        "qdrant.edge.vectors.v.size: vector size must be positive, was -4"),
                arguments(List.of("qdrant.edge.vectors.v.size=4", "qdrant.edge.vectors.v.distance=Hamming"),
                        "qdrant.edge.vectors.v.distance: unknown distance 'Hamming' (expected Cosine, Euclid, Dot or Manhattan)"),
                arguments(List.of("qdrant.edge.vectors.v.size=4", "qdrant.edge.vectors.v.datatype=bfloat16"),
                        "qdrant.edge.vectors.v.datatype: unsupported vector datatype 'bfloat16'"),
                arguments(List.of("qdrant.edge.vectors.v.size=4", "qdrant.edge.vectors.v.multivector.comparator=sum"),
                        "qdrant.edge.vectors.v.multivector.comparator: unknown comparator 'sum' (expected max_sim)"),
                arguments(List.of("qdrant.edge.vectors.v.size=4", "qdrant.edge.vectors.v.hnsw.ef-construct=2"),
                        "qdrant.edge.vectors.v.hnsw: hnsw ef_construct must be at least 4, was 2"),
                arguments(List.of("qdrant.edge.vectors.v.size=4", "qdrant.edge.vectors.v.hnsw.m=-1"),
                        "qdrant.edge.vectors.v.hnsw: hnsw m must not be negative, was -1"),
                arguments(List.of("qdrant.edge.vectors.v.size=4", "qdrant.edge.vectors.v.hnsw.full-scan-threshold=-1"),
                        "qdrant.edge.vectors.v.hnsw: hnsw full_scan_threshold must not be negative, was -1"),
                arguments(List.of("qdrant.edge.sparse-vectors.s.modifier=bm25"),
                        "qdrant.edge.sparse-vectors.s.modifier: unknown modifier 'bm25' (expected idf or none)"),
                arguments(List.of("qdrant.edge.vectors.v.size=4", "qdrant.edge.sparse-vectors.v.modifier=idf"),
                        "qdrant.edge.sparse-vectors.v: 'v' is also a dense vector"),
                arguments(List.of("qdrant.edge.fsync=GROUPED", "qdrant.edge.fsync-interval=0s"),
                        "qdrant.edge.fsync-interval: fsync interval must be positive, was PT0S"),
                arguments(List.of("qdrant.edge.outbox.fsync=GROUPED", "qdrant.edge.fsync-interval=-1s"),
                        "qdrant.edge.fsync-interval: fsync interval must be positive, was PT-1S"),
                arguments(List.of("qdrant.edge.server.url=http://a:6333", "qdrant.edge.server.host=b",
                        "qdrant.edge.server.collection-name=c"),
                        "qdrant.edge.server.url and qdrant.edge.server.host are both set"),
                arguments(List.of("qdrant.edge.server.url=ftp://a", "qdrant.edge.server.collection-name=c"),
                        "qdrant.edge.server.url: must be an http or https URL, was 'ftp://a'"),
                arguments(List.of("qdrant.edge.server.url=qdrant:6333", "qdrant.edge.server.collection-name=c"),
                        "qdrant.edge.server.url: must be an http or https URL"),
                arguments(List.of("qdrant.edge.server.url=http:/nohost", "qdrant.edge.server.collection-name=c"),
                        "qdrant.edge.server.url: names no host, was 'http:/nohost'"),
                arguments(List.of("qdrant.edge.server.url=http://a?x=1", "qdrant.edge.server.collection-name=c"),
                        "qdrant.edge.server.url: must not have a query or fragment"),
                arguments(List.of("qdrant.edge.server.url=http://a", "qdrant.edge.server.use-tls=true",
                        "qdrant.edge.server.collection-name=c"),
                        "qdrant.edge.server.use-tls is true but qdrant.edge.server.url is http"),
                arguments(List.of("qdrant.edge.server.host=a"),
                        "qdrant.edge.server.collection-name: must be set when a server is configured (qdrant.edge.server.host)"),
                arguments(List.of("qdrant.edge.server.url=https://a", "qdrant.edge.server.collection-name= "),
                        "qdrant.edge.server.collection-name: must be set when a server is configured (qdrant.edge.server.url)"),
                arguments(List.of("qdrant.edge.server.http-port=0"),
                        "qdrant.edge.server.http-port: must be a port number from 1 to 65535, was 0"),
                arguments(List.of("qdrant.edge.server.grpc-port=70000"),
                        "qdrant.edge.server.grpc-port: must be a port number from 1 to 65535, was 70000"),
                arguments(List.of("qdrant.edge.server.shard-id=-1"), "qdrant.edge.server.shard-id: must not be negative, was -1"),
                arguments(List.of("qdrant.edge.server.connect-timeout=0s"),
                        "qdrant.edge.server.connect-timeout: must be positive, was PT0S"),
                arguments(List.of("qdrant.edge.server.request-timeout=-1s"),
                        "qdrant.edge.server.request-timeout: must be positive, was PT-1S"),
                arguments(List.of("qdrant.edge.sync.refresh-interval=0"),
                        "qdrant.edge.sync.refresh-interval: must be positive, was PT0S"),
                arguments(List.of("qdrant.edge.sync.initial-delay=-1ms"),
                        "qdrant.edge.sync.initial-delay: must not be negative, was PT-0.001S"),
                arguments(List.of("qdrant.edge.sync.max-snapshot-size=0B"),
                        "qdrant.edge.sync.max-snapshot-size: must be positive, was 0B"),
                arguments(List.of("qdrant.edge.outbox.batch-size=0"), "qdrant.edge.outbox.batch-size: must be at least 1, was 0"),
                arguments(List.of("qdrant.edge.outbox.linger=-5ms"),
                        "qdrant.edge.outbox.linger: must not be negative, was PT-0.005S"),
                arguments(List.of("qdrant.edge.outbox.backoff.jitter=1.5"),
                        "qdrant.edge.outbox.backoff: backoff jitter must be between 0 and 1, got 1.5"),
                arguments(List.of("qdrant.edge.outbox.backoff.multiplier=0.5"),
                        "qdrant.edge.outbox.backoff: backoff multiplier must be a finite number >= 1, got 0.5"),
                arguments(List.of("qdrant.edge.outbox.backoff.initial=0s"),
                        "qdrant.edge.outbox.backoff: backoff initial delay must be positive, got PT0S"),
                arguments(List.of("qdrant.edge.outbox.backoff.initial=10m"),
                        "qdrant.edge.outbox.backoff: backoff max delay PT5M is below the initial delay PT10M"),
                arguments(List.of("qdrant.edge.sync.download-timeout=0s"),
                        "qdrant.edge.sync.download-timeout: must be positive, was PT0S"),
                arguments(List.of("qdrant.edge.outbox.drain-timeout=-1s"),
                        "qdrant.edge.outbox.drain-timeout: must not be negative, was PT-1S"),
                arguments(List.of("qdrant.edge.outbox.retry.max-retries=-1"),
                        "qdrant.edge.outbox.retry.max-retries: must not be negative, was -1"),
                arguments(List.of("qdrant.edge.outbox.retry.delay=0ms"),
                        "qdrant.edge.outbox.retry.delay: must be positive, was PT0S"),
                arguments(List.of("qdrant.edge.outbox.retry.multiplier=0.5"), "qdrant.edge.outbox.retry: "),
                arguments(List.of("qdrant.edge.outbox.retry.jitter=-1ms"),
                        "qdrant.edge.outbox.retry.jitter: must not be negative, was PT-0.001S"),
                arguments(List.of("qdrant.edge.outbox.retry.max-delay=10ms"),
                        "qdrant.edge.outbox.retry.max-delay: must be at least qdrant.edge.outbox.retry.delay (PT0.1S),"
                                + " was PT0.01S"),
                arguments(List.of("qdrant.edge.health.max-backlog=-1"),
                        "qdrant.edge.health.max-backlog: must not be negative, was -1"),
                arguments(List.of("qdrant.edge.health.max-dead-entries=-2"),
                        "qdrant.edge.health.max-dead-entries: must not be negative, was -2"),
                arguments(List.of("qdrant.edge.health.max-refresh-age=0s"),
                        "qdrant.edge.health.max-refresh-age: must be positive, was PT0S"),
                arguments(List.of("qdrant.edge.health.server-timeout=-1s"),
                        "qdrant.edge.health.server-timeout: must be positive, was PT-1S"));
    }

    @ParameterizedTest(name = "{1}")
    @MethodSource("invalidValues")
    void anInvalidValueFailsStartUpNamingTheProperty(List<String> properties, String expected) {
        runner.withPropertyValues(properties.toArray(String[]::new)).run(context ->
                assertThat(context).getFailure().rootCause()
                        .isInstanceOf(BindValidationException.class)
                        .hasMessageContaining("Binding validation errors on qdrant.edge")
                        .hasMessageContaining(expected));
    }

    @Test
    void everyProblemIsReportedAtOnce() {
        runner.withPropertyValues("qdrant.edge.vectors.a.size=0", "qdrant.edge.vectors.b.size=4",
                "qdrant.edge.vectors.b.distance=Hamming", "qdrant.edge.outbox.batch-size=0").run(context ->
                assertThat(context).getFailure().rootCause()
                        .hasMessageContaining("qdrant.edge.vectors.a.size: vector size must be positive, was 0")
                        .hasMessageContaining("qdrant.edge.vectors.b.distance: unknown distance 'Hamming'")
                        .hasMessageContaining("qdrant.edge.outbox.batch-size: must be at least 1, was 0"));
    }

    @Test
    void aValidConfigurationStarts() {
        runner.withPropertyValues("qdrant.edge.vectors.v.size=4", "qdrant.edge.server.host=localhost",
                "qdrant.edge.server.collection-name=docs", "qdrant.edge.fsync=GROUPED")
                .run(context -> assertThat(context).hasNotFailed());
    }
}
