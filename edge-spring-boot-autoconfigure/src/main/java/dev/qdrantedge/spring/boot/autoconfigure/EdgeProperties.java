package dev.qdrantedge.spring.boot.autoconfigure;

import dev.qdrantedge.engine.config.EdgeConfig;
import dev.qdrantedge.engine.shard.FsyncPolicy;
import dev.qdrantedge.engine.shard.WriteOptions;
import dev.qdrantedge.engine.snapshot.SnapshotLimits;
import dev.qdrantedge.engine.sync.DeliveryException;
import dev.qdrantedge.engine.sync.EdgeStoreOptions;
import dev.qdrantedge.engine.sync.OutboxOptions;
import dev.qdrantedge.engine.sync.PublisherOptions;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.core.retry.RetryPolicy;
import org.springframework.util.StringUtils;
import org.springframework.util.unit.DataSize;
import org.springframework.validation.Errors;
import org.springframework.validation.Validator;

/**
 * Configuration of the embedded edge store and of the Qdrant server it syncs with, under {@code qdrant.edge}.
 *
 * <p>The properties validate themselves when they are bound: every invalid value fails start-up with a message
 * naming the property (see {@link EdgePropertiesValidator}). The methods without a {@code get}/{@code set}
 * prefix turn a group into the engine's types ({@link #edgeConfig()}, {@link #writeOptions()},
 * {@link #outboxFsyncPolicy()}, {@link #storeOptions()}, {@link Outbox.Backoff#toBackoff()},
 * {@link Outbox#publisherOptions()}, {@link Outbox.Retry#toRetryPolicy()}, {@link Sync#snapshotLimits()}), so
 * that each value is checked and converted in one place.
 */
@ConfigurationProperties(prefix = EdgeProperties.PREFIX)
public class EdgeProperties implements Validator {

    /** The prefix of every property. */
    public static final String PREFIX = "qdrant.edge";

    /**
     * Directory of the edge store: local/ (the local shard, created with the configured vectors when missing),
     * mirror/ (the server's shard) and outbox/ (writes on their way to the server).
     */
    private Path path = Path.of("data", "edge-shard");

    /**
     * Dense vectors of the shard, by name. Required to create a shard; when the directory already holds one,
     * they must agree with what it stores (size, distance, datatype, multivector), or start-up fails.
     */
    private Map<String, Vector> vectors = new LinkedHashMap<>();

    /** Sparse vectors of the shard, by name. */
    private Map<String, SparseVector> sparseVectors = new LinkedHashMap<>();

    /**
     * Whether payloads stay on disk (memory-mapped) rather than in RAM. Unset: as the shard has it; true for a
     * new shard.
     */
    private Boolean onDiskPayload;

    /**
     * When the WAL is forced to the storage device: PER_OPERATION (every write, nothing acknowledged is lost
     * even on power loss) or GROUPED (every fsync-interval; a machine failure may lose the writes of the last
     * interval). A crash of the process alone loses nothing acknowledged either way.
     */
    private Fsync fsync = Fsync.PER_OPERATION;

    /** Interval of grouped WAL syncs: the most a machine failure can lose. */
    private Duration fsyncInterval = Duration.ofSeconds(1);

    /**
     * How often the segments are flushed and the WAL truncated in the background; bounds the WAL's size and
     * the start-up replay. Zero or negative: only on shutdown.
     */
    private Duration flushInterval = Duration.ofSeconds(5);

    /** The Qdrant server this edge syncs with. Without url or host the application runs on the local shard alone. */
    private final Server server = new Server();

    /** Keeping a mirror of the server's shard, by snapshots. */
    private final Sync sync = new Sync();

    private final Repositories repositories = new Repositories();

    /** Delivering local writes to the server. */
    private final Outbox outbox = new Outbox();

    /** The thresholds of the qdrantEdge health indicator (with Spring Boot Actuator). */
    private final Health health = new Health();

    /** WAL sync policies. */
    public enum Fsync {
        /** Force the WAL before every update returns. */
        PER_OPERATION,
        /** Force the WAL every fsync-interval, in the background. */
        GROUPED
    }

    // ---------------------------------------------------------------------------------------------
    // conversions to the engine's types

    /**
     * The shard configuration the properties describe.
     *
     * @throws InvalidEdgePropertyException naming the property at fault, or when no vector is configured
     */
    public EdgeConfig edgeConfig() {
        return EdgeConfigProperties.toEdgeConfig(this);
    }

    /** Whether any dense or sparse vector is configured. */
    public boolean hasVectors() {
        return !vectors.isEmpty() || !sparseVectors.isEmpty();
    }

    /**
     * How the shard makes its writes durable: {@code fsync}, {@code fsync-interval} and {@code flush-interval}.
     *
     * @throws InvalidEdgePropertyException when GROUPED syncs have no positive interval
     */
    public WriteOptions writeOptions() {
        Duration flush = flushInterval;
        return new WriteOptions(fsyncPolicy(fsync, "fsync-interval"),
                flush == null || flush.isZero() || flush.isNegative() ? null : flush);
    }

    /**
     * When the outbox log is forced to the device: {@code outbox.fsync}, else the shard's {@code fsync}; GROUPED
     * syncs use {@code fsync-interval}.
     */
    public FsyncPolicy outboxFsyncPolicy() {
        return fsyncPolicy(outbox.fsync != null ? outbox.fsync : fsync, "fsync-interval");
    }

    /**
     * How the store writes and refreshes: {@link #writeOptions()} for the local shard, {@link #outboxFsyncPolicy()}
     * for the outbox, and {@code sync.max-snapshot-size} for downloaded snapshots.
     */
    public EdgeStoreOptions storeOptions() {
        return EdgeStoreOptions.defaults().withWrites(writeOptions())
                .withOutbox(OutboxOptions.defaults().withFsync(outboxFsyncPolicy()))
                .withSnapshotLimits(sync.snapshotLimits());
    }

    private FsyncPolicy fsyncPolicy(Fsync policy, String intervalProperty) {
        if (policy != Fsync.GROUPED) {
            return FsyncPolicy.perOperation();
        }
        if (fsyncInterval == null) {
            throw new InvalidEdgePropertyException(intervalProperty, "must be set for GROUPED syncs");
        }
        return InvalidEdgePropertyException.converting(intervalProperty, () -> FsyncPolicy.grouped(fsyncInterval));
    }

    // ---------------------------------------------------------------------------------------------
    // self-validation (Spring Boot runs it after binding)

    @Override
    public boolean supports(Class<?> type) {
        return EdgeProperties.class.isAssignableFrom(type);
    }

    @Override
    public void validate(Object target, Errors errors) {
        for (String problem : EdgePropertiesValidator.problems((EdgeProperties) target)) {
            errors.reject("qdrant.edge.invalid", problem);
        }
    }

    // ---------------------------------------------------------------------------------------------
    // accessors

    public Path getPath() {
        return path;
    }

    public void setPath(Path path) {
        this.path = path;
    }

    public Map<String, Vector> getVectors() {
        return vectors;
    }

    public void setVectors(Map<String, Vector> vectors) {
        this.vectors = vectors;
    }

    public Map<String, SparseVector> getSparseVectors() {
        return sparseVectors;
    }

    public void setSparseVectors(Map<String, SparseVector> sparseVectors) {
        this.sparseVectors = sparseVectors;
    }

    public Boolean getOnDiskPayload() {
        return onDiskPayload;
    }

    public void setOnDiskPayload(Boolean onDiskPayload) {
        this.onDiskPayload = onDiskPayload;
    }

    public Fsync getFsync() {
        return fsync;
    }

    public void setFsync(Fsync fsync) {
        this.fsync = fsync;
    }

    public Duration getFsyncInterval() {
        return fsyncInterval;
    }

    public void setFsyncInterval(Duration fsyncInterval) {
        this.fsyncInterval = fsyncInterval;
    }

    public Duration getFlushInterval() {
        return flushInterval;
    }

    public void setFlushInterval(Duration flushInterval) {
        this.flushInterval = flushInterval;
    }

    public Server getServer() {
        return server;
    }

    public Sync getSync() {
        return sync;
    }

    public Outbox getOutbox() {
        return outbox;
    }

    public Repositories getRepositories() {
        return repositories;
    }

    public Health getHealth() {
        return health;
    }

    // ---------------------------------------------------------------------------------------------
    // groups

    /** One dense vector, as Qdrant's {@code VectorParams}. */
    public static class Vector {

        /** Dimension of the vector; required, positive. */
        private int size;

        /** Distance function: Cosine, Euclid, Dot or Manhattan (case-insensitive). */
        private String distance = "Cosine";

        /** Element type of stored values: float32, float16 or uint8. */
        private String datatype = "float32";

        /** Whether the vectors stay on disk (memory-mapped) rather than in RAM. Unset: false. */
        private Boolean onDisk;

        /** Several vectors per point, compared by MaxSim (late-interaction models such as ColBERT). */
        private final Multivector multivector = new Multivector();

        /** This vector's HNSW index parameters. Unset: Qdrant's defaults. */
        private final Hnsw hnsw = new Hnsw();

        public int getSize() {
            return size;
        }

        public void setSize(int size) {
            this.size = size;
        }

        public String getDistance() {
            return distance;
        }

        public void setDistance(String distance) {
            this.distance = distance;
        }

        public String getDatatype() {
            return datatype;
        }

        public void setDatatype(String datatype) {
            this.datatype = datatype;
        }

        public Boolean getOnDisk() {
            return onDisk;
        }

        public void setOnDisk(Boolean onDisk) {
            this.onDisk = onDisk;
        }

        public Multivector getMultivector() {
            return multivector;
        }

        public Hnsw getHnsw() {
            return hnsw;
        }
    }

    /** The multivector setting of a dense vector. */
    public static class Multivector {

        /** How the vectors of two points are compared: max_sim. Unset: one vector per point. */
        private String comparator;

        public String getComparator() {
            return comparator;
        }

        public void setComparator(String comparator) {
            this.comparator = comparator;
        }
    }

    /** HNSW index parameters of a dense vector, as Qdrant's {@code HnswConfigDiff}; unset ones take Qdrant's defaults. */
    public static class Hnsw {

        /** Edges per node; 0 disables the graph. Unset: 16. */
        private Integer m;

        /** Neighbours considered while building, at least 4. Unset: 100. */
        private Integer efConstruct;

        /** Below this many kilobytes of vectors a search scans instead of using the graph. Unset: 10000. */
        private Integer fullScanThreshold;

        /** Whether the graph stays on disk. Unset: false. */
        private Boolean onDisk;

        /** Whether any parameter is set. */
        public boolean specified() {
            return m != null || efConstruct != null || fullScanThreshold != null || onDisk != null;
        }

        public Integer getM() {
            return m;
        }

        public void setM(Integer m) {
            this.m = m;
        }

        public Integer getEfConstruct() {
            return efConstruct;
        }

        public void setEfConstruct(Integer efConstruct) {
            this.efConstruct = efConstruct;
        }

        public Integer getFullScanThreshold() {
            return fullScanThreshold;
        }

        public void setFullScanThreshold(Integer fullScanThreshold) {
            this.fullScanThreshold = fullScanThreshold;
        }

        public Boolean getOnDisk() {
            return onDisk;
        }

        public void setOnDisk(Boolean onDisk) {
            this.onDisk = onDisk;
        }
    }

    /** One sparse vector, as Qdrant's {@code SparseVectorParams}. */
    public static class SparseVector {

        /** Score modifier: idf (inverse document frequency, for BM25-style vectors) or none. */
        private String modifier = "none";

        /** Whether the sparse index stays on disk. Unset: false. */
        private Boolean onDisk;

        public String getModifier() {
            return modifier;
        }

        public void setModifier(String modifier) {
            this.modifier = modifier;
        }

        public Boolean getOnDisk() {
            return onDisk;
        }

        public void setOnDisk(Boolean onDisk) {
            this.onDisk = onDisk;
        }
    }

    /**
     * The Qdrant server: where it is (url, or host with ports and use-tls), the credentials, and which
     * collection and shard this edge mirrors and writes to. Names follow Spring AI's
     * {@code spring.ai.vectorstore.qdrant.*} where they overlap ({@code host}, {@code api-key}, {@code use-tls},
     * {@code collection-name}); Spring AI's {@code port} is {@code grpc-port} here, next to {@code http-port}.
     */
    public static class Server {

        /**
         * REST base URL of the server, e.g. https://xyz.cloud.qdrant.io:6333; sets host, use-tls (https) and the
         * HTTP port (else http-port), and may carry a path prefix for a reverse proxy. Exclusive with host.
         */
        private URI url;

        /** Host name or address of the server. Exclusive with url. */
        private String host;

        /** Port of the REST API (snapshots). */
        private int httpPort = 6333;

        /** Port of the gRPC API (point writes). */
        private int grpcPort = 6334;

        /** API key sent with every request; needs write access to the collection for syncing. */
        private String apiKey;

        /** Whether to connect with TLS. Taken from the scheme when url is set. */
        private boolean useTls;

        /** Collection this edge mirrors and writes to; required when url or host is set. */
        private String collectionName;

        /** Shard of the collection whose snapshots are mirrored. */
        private int shardId;

        /** Shard key sent with every write, for collections with custom sharding. Unset: none. */
        private String shardKey;

        /** Longest wait for a connection to the server to be established. */
        private Duration connectTimeout = Duration.ofSeconds(10);

        /** Longest wait for the answer to one request (deadline of each gRPC call). */
        private Duration requestTimeout = Duration.ofSeconds(30);

        /** Whether the properties name a server (url or host). */
        public boolean hasAddress() {
            return url != null || StringUtils.hasText(host);
        }

        /**
         * The collection name, for syncing with the server (whose address may come from a {@code @ServiceConnection}
         * rather than url or host).
         *
         * @throws InvalidEdgePropertyException when it is not set
         */
        public String requiredCollectionName() {
            if (!StringUtils.hasText(collectionName)) {
                throw new InvalidEdgePropertyException("server.collection-name",
                        "must be set to sync with the server: it names the collection to mirror and write to");
            }
            return collectionName.trim();
        }

        public URI getUrl() {
            return url;
        }

        public void setUrl(URI url) {
            this.url = url;
        }

        public String getHost() {
            return host;
        }

        public void setHost(String host) {
            this.host = host;
        }

        public int getHttpPort() {
            return httpPort;
        }

        public void setHttpPort(int httpPort) {
            this.httpPort = httpPort;
        }

        public int getGrpcPort() {
            return grpcPort;
        }

        public void setGrpcPort(int grpcPort) {
            this.grpcPort = grpcPort;
        }

        public String getApiKey() {
            return apiKey;
        }

        public void setApiKey(String apiKey) {
            this.apiKey = apiKey;
        }

        public boolean isUseTls() {
            return useTls;
        }

        public void setUseTls(boolean useTls) {
            this.useTls = useTls;
        }

        public String getCollectionName() {
            return collectionName;
        }

        public void setCollectionName(String collectionName) {
            this.collectionName = collectionName;
        }

        public int getShardId() {
            return shardId;
        }

        public void setShardId(int shardId) {
            this.shardId = shardId;
        }

        public String getShardKey() {
            return shardKey;
        }

        public void setShardKey(String shardKey) {
            this.shardKey = shardKey;
        }

        public Duration getConnectTimeout() {
            return connectTimeout;
        }

        public void setConnectTimeout(Duration connectTimeout) {
            this.connectTimeout = connectTimeout;
        }

        public Duration getRequestTimeout() {
            return requestTimeout;
        }

        public void setRequestTimeout(Duration requestTimeout) {
            this.requestTimeout = requestTimeout;
        }
    }

    /** Spring Data repositories over the edge store. */
    public static class Repositories {

        /** Whether repository interfaces extending EdgeShardRepository get repository beans. */
        private boolean enabled = true;

        public boolean isEnabled() {
            return enabled;
        }

        public void setEnabled(boolean enabled) {
            this.enabled = enabled;
        }
    }

    /** Mirroring the server's shard: a full snapshot to bootstrap, partial snapshots to refresh. */
    public static class Sync {

        /** Whether to mirror the server's shard when a server is configured. */
        private boolean enabled = true;

        /**
         * What start-up does while the store has no mirror yet: BACKGROUND (start at once; the mirror fills on the
         * first refresh, reads see the local shard alone until then) or BLOCKING (download the first full snapshot
         * during start-up; start-up fails when it cannot be downloaded). With a mirror from an earlier run, both
         * start at once.
         */
        private Bootstrap bootstrap = Bootstrap.BACKGROUND;

        /** Interval between two refreshes of the mirror (a partial snapshot each). */
        private Duration refreshInterval = Duration.ofMinutes(1);

        /** Delay between start-up and the first refresh. */
        private Duration initialDelay = Duration.ZERO;

        /**
         * Largest total size a snapshot may unpack to; a bigger one is refused before anything is written. The
         * default is the engine's limit.
         */
        private DataSize maxSnapshotSize = DataSize.ofTerabytes(1);

        /**
         * Longest one snapshot download may take, from the request to the archive's last byte (the wait for each
         * answer and each piece of it is server.request-timeout).
         */
        private Duration downloadTimeout = Duration.ofHours(2);

        /** How start-up treats an empty mirror. */
        public enum Bootstrap {
            /** Start at once; the first refresh fills the mirror. */
            BACKGROUND,
            /** Wait for the first full snapshot. */
            BLOCKING
        }

        /** The limits a downloaded snapshot is unpacked with: the engine's defaults, with max-snapshot-size. */
        public SnapshotLimits snapshotLimits() {
            return SnapshotLimits.defaults().withMaxTotalBytes(maxSnapshotSize.toBytes());
        }

        public boolean isEnabled() {
            return enabled;
        }

        public void setEnabled(boolean enabled) {
            this.enabled = enabled;
        }

        public Bootstrap getBootstrap() {
            return bootstrap;
        }

        public void setBootstrap(Bootstrap bootstrap) {
            this.bootstrap = bootstrap;
        }

        public Duration getRefreshInterval() {
            return refreshInterval;
        }

        public void setRefreshInterval(Duration refreshInterval) {
            this.refreshInterval = refreshInterval;
        }

        public Duration getInitialDelay() {
            return initialDelay;
        }

        public void setInitialDelay(Duration initialDelay) {
            this.initialDelay = initialDelay;
        }

        public DataSize getMaxSnapshotSize() {
            return maxSnapshotSize;
        }

        public void setMaxSnapshotSize(DataSize maxSnapshotSize) {
            this.maxSnapshotSize = maxSnapshotSize;
        }

        public Duration getDownloadTimeout() {
            return downloadTimeout;
        }

        public void setDownloadTimeout(Duration downloadTimeout) {
            this.downloadTimeout = downloadTimeout;
        }
    }

    /** The durable log of local writes and their delivery to the server. */
    public static class Outbox {

        /** Most operations sent to the server in one request. */
        private int batchSize = 64;

        /**
         * How long a delivery waits for more operations to fill a batch; 0 sends what is there at once (operations
         * that accumulate during a delivery still go together).
         */
        private Duration linger = Duration.ZERO;

        /** When the outbox log is forced to the device: PER_OPERATION or GROUPED. Unset: as fsync. */
        private Fsync fsync;

        /** Delays between failed deliveries. */
        private final Backoff backoff = new Backoff();

        /** Quick retries of a delivery within one attempt, before the backoff's delay. */
        private final Retry retry = new Retry();

        /**
         * How long shutdown waits for pending entries to be delivered (and then, at most as long again, for a
         * delivery in progress); what is left stays in the outbox for the next start. Zero: no wait.
         */
        private Duration drainTimeout = Duration.ofSeconds(5);

        /**
         * How the publisher batches and backs off: batch-size, linger, backoff, and drain-timeout as the time it
         * gives a delivery in progress when it stops.
         *
         * @throws InvalidEdgePropertyException naming the property whose value is out of range
         */
        public PublisherOptions publisherOptions() {
            dev.qdrantedge.engine.sync.Backoff delays = backoff.toBackoff();
            return InvalidEdgePropertyException.converting("outbox",
                    () -> new PublisherOptions(batchSize, linger, delays, drainTimeout));
        }

        public int getBatchSize() {
            return batchSize;
        }

        public void setBatchSize(int batchSize) {
            this.batchSize = batchSize;
        }

        public Duration getLinger() {
            return linger;
        }

        public void setLinger(Duration linger) {
            this.linger = linger;
        }

        public Fsync getFsync() {
            return fsync;
        }

        public void setFsync(Fsync fsync) {
            this.fsync = fsync;
        }

        public Backoff getBackoff() {
            return backoff;
        }

        public Retry getRetry() {
            return retry;
        }

        public Duration getDrainTimeout() {
            return drainTimeout;
        }

        public void setDrainTimeout(Duration drainTimeout) {
            this.drainTimeout = drainTimeout;
        }

        /**
         * Quick retries of one delivery to the server, for the blips of a network (a dropped connection, a
         * leader election): a delivery failing transiently is repeated up to max-retries times, the delays growing
         * from delay by multiplier up to max-delay, each lengthened by up to jitter. Only when they all fail does the
         * outbox count a failed attempt and wait for its backoff. Permanent failures are never repeated here.
         */
        public static class Retry {

            /** Further tries after a transient failure; 0 disables quick retries. */
            private int maxRetries = 2;

            /** Delay before the first retry. */
            private Duration delay = Duration.ofMillis(100);

            /** Growth of the delay per further retry, at least 1. */
            private double multiplier = 2.0;

            /** Largest delay between retries. */
            private Duration maxDelay = Duration.ofSeconds(1);

            /**
             * Largest random amount by which the first retry's delay grows (Spring's jitter: never below the delay,
             * and grown by the multiplier for later retries).
             */
            private Duration jitter = Duration.ofMillis(50);

            /**
             * Spring's retry policy of these values, retrying only transient {@link DeliveryException}s.
             *
             * @throws InvalidEdgePropertyException with Spring's message when a value is out of range
             */
            public RetryPolicy toRetryPolicy() {
                if (maxRetries < 0) {
                    throw new InvalidEdgePropertyException("outbox.retry.max-retries",
                            "must not be negative, was " + maxRetries);
                }
                if (maxDelay != null && delay != null && maxDelay.compareTo(delay) < 0) {
                    throw new InvalidEdgePropertyException("outbox.retry.max-delay",
                            "must be at least qdrant.edge.outbox.retry.delay (" + delay + "), was " + maxDelay);
                }
                return InvalidEdgePropertyException.converting("outbox.retry", () -> RetryPolicy.builder()
                        .maxRetries(maxRetries).delay(delay).multiplier(multiplier).maxDelay(maxDelay).jitter(jitter)
                        .predicate(failure -> failure instanceof DeliveryException d && d.isTransient())
                        .build());
            }

            public int getMaxRetries() {
                return maxRetries;
            }

            public void setMaxRetries(int maxRetries) {
                this.maxRetries = maxRetries;
            }

            public Duration getDelay() {
                return delay;
            }

            public void setDelay(Duration delay) {
                this.delay = delay;
            }

            public double getMultiplier() {
                return multiplier;
            }

            public void setMultiplier(double multiplier) {
                this.multiplier = multiplier;
            }

            public Duration getMaxDelay() {
                return maxDelay;
            }

            public void setMaxDelay(Duration maxDelay) {
                this.maxDelay = maxDelay;
            }

            public Duration getJitter() {
                return jitter;
            }

            public void setJitter(Duration jitter) {
                this.jitter = jitter;
            }
        }

        /**
         * Exponential backoff with jitter between failed deliveries; the defaults are the engine's
         * {@link dev.qdrantedge.engine.sync.Backoff#DEFAULT}.
         */
        public static class Backoff {

            /** Delay after the first failure. */
            private Duration initial = Duration.ofSeconds(1);

            /** Growth factor of the delay per further failure, at least 1. */
            private double multiplier = 2.0;

            /** Largest delay. */
            private Duration max = Duration.ofMinutes(5);

            /** Fraction (0 to 1) by which a delay randomly shrinks or grows. */
            private double jitter = 0.2;

            /**
             * The engine's backoff of these values.
             *
             * @throws InvalidEdgePropertyException with the engine's message when a value is out of range
             */
            public dev.qdrantedge.engine.sync.Backoff toBackoff() {
                return InvalidEdgePropertyException.converting("outbox.backoff",
                        () -> new dev.qdrantedge.engine.sync.Backoff(initial, multiplier, max, jitter));
            }

            public Duration getInitial() {
                return initial;
            }

            public void setInitial(Duration initial) {
                this.initial = initial;
            }

            public double getMultiplier() {
                return multiplier;
            }

            public void setMultiplier(double multiplier) {
                this.multiplier = multiplier;
            }

            public Duration getMax() {
                return max;
            }

            public void setMax(Duration max) {
                this.max = max;
            }

            public double getJitter() {
                return jitter;
            }

            public void setJitter(double jitter) {
                this.jitter = jitter;
            }
        }
    }

    /**
     * When the qdrantEdge health indicator reports OUT_OF_SERVICE: the store still serves reads and takes writes
     * then, but it does not keep in step with the server. Zero thresholds are strict (any backlog or dead entry).
     */
    public static class Health {

        /** Most outbox entries waiting for delivery (pending and in flight) that still count as healthy. */
        private long maxBacklog = 10_000;

        /** Most dead outbox entries (refused by the server, waiting for an operator) that still count as healthy. */
        private long maxDeadEntries = 0;

        /**
         * Longest time since the last successful mirror refresh (or since start-up, before the first one) that still
         * counts as healthy; checked only while the mirror is synced.
         */
        private Duration maxRefreshAge = Duration.ofMinutes(10);

        /** Longest wait for the server's answer to the health check's ping (gRPC health check). */
        private Duration serverTimeout = Duration.ofSeconds(2);

        public long getMaxBacklog() {
            return maxBacklog;
        }

        public void setMaxBacklog(long maxBacklog) {
            this.maxBacklog = maxBacklog;
        }

        public long getMaxDeadEntries() {
            return maxDeadEntries;
        }

        public void setMaxDeadEntries(long maxDeadEntries) {
            this.maxDeadEntries = maxDeadEntries;
        }

        public Duration getMaxRefreshAge() {
            return maxRefreshAge;
        }

        public void setMaxRefreshAge(Duration maxRefreshAge) {
            this.maxRefreshAge = maxRefreshAge;
        }

        public Duration getServerTimeout() {
            return serverTimeout;
        }

        public void setServerTimeout(Duration serverTimeout) {
            this.serverTimeout = serverTimeout;
        }
    }
}
