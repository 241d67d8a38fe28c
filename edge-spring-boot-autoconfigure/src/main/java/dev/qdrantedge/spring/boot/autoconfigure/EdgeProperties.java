package dev.qdrantedge.spring.boot.autoconfigure;

import dev.qdrantedge.engine.config.EdgeConfig;
import dev.qdrantedge.engine.shard.FsyncPolicy;
import dev.qdrantedge.engine.shard.WriteOptions;
import dev.qdrantedge.engine.snapshot.SnapshotLimits;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.util.StringUtils;
import org.springframework.util.unit.DataSize;
import org.springframework.validation.Errors;
import org.springframework.validation.Validator;

/**
 * Configuration of the embedded edge shard and of the Qdrant server it syncs with, under {@code qdrant.edge}.
 *
 * <p>The properties validate themselves when they are bound: every invalid value fails start-up with a message
 * naming the property (see {@link EdgePropertiesValidator}). The methods without a {@code get}/{@code set}
 * prefix turn a group into the engine's types ({@link #edgeConfig()}, {@link #writeOptions()},
 * {@link #outboxFsyncPolicy()}, {@link Outbox.Backoff#toBackoff()}, {@link Sync#snapshotLimits()}), so that
 * each value is checked and converted in one place.
 */
@ConfigurationProperties(prefix = EdgeProperties.PREFIX)
public class EdgeProperties implements Validator {

    /** The prefix of every property. */
    public static final String PREFIX = "qdrant.edge";

    /** Directory of the local shard. Created, with the configured vectors, when it holds no shard yet. */
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
         * What start-up does while the mirror is empty: BACKGROUND (start at once; the mirror fills on the first
         * refresh, reads see the local shard alone until then) or BLOCKING (wait for the first full snapshot;
         * start-up fails when it cannot be downloaded).
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
}
