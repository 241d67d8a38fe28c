package dev.qdrantedge.spring.testsupport;

import com.google.protobuf.Message;
import dev.qdrantedge.engine.config.EdgeConfig;
import dev.qdrantedge.engine.filter.FilterParseException;
import dev.qdrantedge.engine.operation.InvalidOperationException;
import dev.qdrantedge.engine.operation.UpdateOperation;
import dev.qdrantedge.engine.shard.EdgeShard;
import dev.qdrantedge.engine.shard.PointNotFoundException;
import dev.qdrantedge.engine.snapshot.SnapshotManifest;
import io.grpc.Context;
import io.grpc.Contexts;
import io.grpc.ManagedChannel;
import io.grpc.ManagedChannelBuilder;
import io.grpc.Metadata;
import io.grpc.Server;
import io.grpc.ServerCall;
import io.grpc.ServerCallHandler;
import io.grpc.ServerInterceptor;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.inprocess.InProcessChannelBuilder;
import io.grpc.inprocess.InProcessServerBuilder;
import io.grpc.netty.shaded.io.grpc.netty.NettyServerBuilder;
import io.grpc.stub.ServerCallStreamObserver;
import io.grpc.stub.StreamObserver;
import io.qdrant.client.QdrantClient;
import io.qdrant.client.QdrantGrpcClient;
import io.qdrant.client.grpc.Points;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.function.Function;
import java.util.function.Predicate;
import java.util.stream.Stream;

/**
 * A Qdrant server for tests, speaking Qdrant's gRPC API for one collection, in-process or on a loopback TCP
 * port (for client processes of their own).
 *
 * <p>The collection is a real {@link EdgeShard} in a directory: point requests ({@code Upsert}, {@code Delete},
 * {@code SetPayload}, {@code OverwritePayload}, {@code DeletePayload}, {@code ClearPayload},
 * {@code UpdateVectors}, {@code DeleteVectors}, {@code UpdateBatch}) are converted back to engine operations,
 * as the server converts them, and applied to it, so points end up as Qdrant's semantics put them. A batch is
 * applied operation by operation and stops at the first failure, as Qdrant's. Payload-index and vector-name
 * requests are recorded ({@link #fieldIndexes()}, {@link #vectorNames()}) but change no points (the engine does
 * not apply them). {@code Collections/Get}, {@code CollectionExists} and {@code List} answer for the collection;
 * the health check answers with {@link Builder#serverVersion}, so a client's version check passes. Other RPCs
 * are unimplemented.
 *
 * <p>Every request is recorded in arrival order ({@link #requests()}). Failures and latency are injected into
 * point and collection requests (never the health check): {@link #failNext}, {@link #failWhile},
 * {@link #failFor}, {@link #latency}. A failed request is not applied. A delayed request is applied after the
 * delay even when its client gave up waiting, as a real server would.
 *
 * <p>Errors answer as Qdrant's do: an unknown collection or point is {@code NOT_FOUND}, an invalid operation
 * {@code INVALID_ARGUMENT}.
 *
 * <p><b>REST snapshots.</b> Built with {@link Builder#http()}, the server also answers Qdrant's shard snapshot
 * endpoints for its one shard (id {@value #SHARD_ID}) on a loopback HTTP port ({@link #restBaseUri()}):
 * {@code GET /collections/{c}/shards/0/snapshot} streams a real full snapshot of the shard, and
 * {@code POST /collections/{c}/shards/0/snapshot/partial/create} with a manifest answers 304 when the manifest
 * equals the shard's, else a real partial snapshot relative to it. So a client mirroring the collection sees
 * every write the server applied, whether it came over gRPC or was applied to {@link #shard()} directly. Every
 * HTTP request is recorded with its answer and the bytes served ({@link #snapshotExchanges()},
 * {@link #snapshotBytesServed()}); failures are injected as on the gRPC side, with HTTP statuses
 * ({@link #failSnapshotsNext}, {@link #failSnapshotsWhile}, {@link #failSnapshotsFor}).
 *
 * <p><b>API key.</b> With {@link Builder#apiKey}, point and collection requests and snapshot requests without
 * that key ({@code api-key} header, or {@code Authorization: Bearer}) are refused as Qdrant refuses them:
 * {@code UNAUTHENTICATED} over gRPC, 401 over HTTP; the health check needs no key.
 */
public final class FakeQdrantServer implements AutoCloseable {

    /** The version the health check reports unless configured otherwise. */
    public static final String DEFAULT_VERSION = "1.19.0";

    /** The id of the collection's one shard, whose snapshots the REST side serves. */
    public static final int SHARD_ID = FakeSnapshotEndpoints.SHARD_ID;

    /** Qdrant's answer to a request without a key. */
    static final String MISSING_KEY = "Must provide an API key or an Authorization bearer token";
    /** Qdrant's answer to a request with a wrong key. */
    static final String INVALID_KEY = "Invalid API key or JWT";

    private static final Context.Key<String> METHOD = Context.key("qdrant-fake-method");
    private static final Context.Key<Metadata> HEADERS = Context.key("qdrant-fake-headers");
    private static final Metadata.Key<String> API_KEY = Metadata.Key.of("api-key", Metadata.ASCII_STRING_MARSHALLER);
    private static final Metadata.Key<String> AUTHORIZATION =
            Metadata.Key.of("authorization", Metadata.ASCII_STRING_MARSHALLER);

    private final String collectionName;
    private final String version;
    private final EdgeShard shard;
    private final Path directory;
    private final boolean ownsDirectory;
    private final String inProcessName;
    private final Server server;
    private final FakeSnapshotEndpoints http;
    private final String apiKey;
    private final Object model = new Object();
    private final List<ReceivedRequest> received = new ArrayList<>();
    private final List<GrpcRule> rules = new CopyOnWriteArrayList<>();
    private final Map<String, Points.CreateFieldIndexCollection> fieldIndexes = new LinkedHashMap<>();
    private final Map<String, Points.CreateVectorNameRequest> vectorNames = new LinkedHashMap<>();
    private volatile Duration latency = Duration.ZERO;
    private boolean closed;

    /** A failure rule for gRPC requests. */
    private record GrpcRule(FailureRule rule, Predicate<ReceivedRequest> when, Status status) {
    }

    private FakeQdrantServer(Builder b) throws IOException {
        this.collectionName = b.collectionName;
        this.version = b.version;
        this.apiKey = b.apiKey;
        this.ownsDirectory = b.directory == null;
        this.directory = ownsDirectory ? Files.createTempDirectory("fake-qdrant") : b.directory;
        this.shard = Files.exists(directory.resolve("edge_config.json")) ? EdgeShard.load(directory)
                : EdgeShard.create(directory, b.config);
        ServerInterceptor context = new ServerInterceptor() {
            @Override
            public <Q, R> ServerCall.Listener<Q> interceptCall(ServerCall<Q, R> call, Metadata headers,
                    ServerCallHandler<Q, R> next) {
                Context ctx = Context.current().withValues(METHOD, call.getMethodDescriptor().getFullMethodName(),
                        HEADERS, headers);
                return Contexts.interceptCall(ctx, call, headers, next);
            }
        };
        io.grpc.ServerBuilder<?> builder;
        if (b.tcpPort >= 0) {
            this.inProcessName = null;
            builder = NettyServerBuilder.forAddress(new InetSocketAddress(InetAddress.getLoopbackAddress(), b.tcpPort));
        } else {
            this.inProcessName = "fake-qdrant-" + UUID.randomUUID();
            builder = InProcessServerBuilder.forName(inProcessName);
        }
        this.server = builder
                .addService(new FakePointsService(this))
                .addService(new FakeCollectionsService(this))
                .addService(new FakeHealthService(this))
                .intercept(context)
                .build();
        try {
            server.start();
            this.http = b.httpPort >= 0 ? new FakeSnapshotEndpoints(this, b.httpPort) : null;
        } catch (IOException e) {
            server.shutdownNow();
            shard.close();
            throw e;
        }
    }

    /** A server for the collection {@code collectionName} with vectors as {@code config} describes. */
    public static Builder builder(String collectionName, EdgeConfig config) {
        return new Builder(collectionName, config);
    }

    /** How a {@link FakeQdrantServer} is set up; in-process with a temporary shard unless told otherwise. */
    public static final class Builder {
        private final String collectionName;
        private final EdgeConfig config;
        private Path directory;
        private int tcpPort = -1;
        private int httpPort = -1;
        private String apiKey;
        private String version = DEFAULT_VERSION;

        private Builder(String collectionName, EdgeConfig config) {
            this.collectionName = Objects.requireNonNull(collectionName, "collectionName");
            this.config = Objects.requireNonNull(config, "config");
        }

        /**
         * Keeps the collection's shard in {@code dir} (loaded when it holds one, so a restarted server finds its
         * points again) instead of a temporary directory deleted on close.
         */
        public Builder directory(Path dir) {
            this.directory = Objects.requireNonNull(dir, "dir");
            return this;
        }

        /** Listens on a free loopback TCP port (see {@link FakeQdrantServer#port()}). */
        public Builder tcp() {
            return tcp(0);
        }

        /** Listens on this loopback TCP port; 0 picks a free one. */
        public Builder tcp(int port) {
            if (port < 0 || port > 65535) {
                throw new IllegalArgumentException("port out of range: " + port);
            }
            this.tcpPort = port;
            return this;
        }

        /**
         * Also serves the REST shard snapshot endpoints, on a free loopback HTTP port (see
         * {@link FakeQdrantServer#restBaseUri()}).
         */
        public Builder http() {
            return http(0);
        }

        /** Serves the REST shard snapshot endpoints on this loopback port; 0 picks a free one. */
        public Builder http(int port) {
            if (port < 0 || port > 65535) {
                throw new IllegalArgumentException("port out of range: " + port);
            }
            this.httpPort = port;
            return this;
        }

        /**
         * Requires this API key on point, collection and snapshot requests, as a Qdrant server started with it
         * does (the health check needs none).
         */
        public Builder apiKey(String key) {
            if (key == null || key.isBlank()) {
                throw new IllegalArgumentException("the API key must not be blank");
            }
            this.apiKey = key;
            return this;
        }

        /** The version the health check reports (a client warns when it is not within one minor version). */
        public Builder serverVersion(String serverVersion) {
            this.version = Objects.requireNonNull(serverVersion, "serverVersion");
            return this;
        }

        public FakeQdrantServer start() throws IOException {
            return new FakeQdrantServer(this);
        }
    }

    public String collectionName() {
        return collectionName;
    }

    String version() {
        return version;
    }

    /** Whether the server listens on TCP rather than in-process. */
    public boolean isTcp() {
        return inProcessName == null;
    }

    /** The host a client in another process connects to: the loopback address, {@code 127.0.0.1}. */
    public String host() {
        return tcpAddress().getAddress().getHostAddress();
    }

    /** The TCP port a client connects to (plaintext gRPC). */
    public int port() {
        return tcpAddress().getPort();
    }

    private InetSocketAddress tcpAddress() {
        if (!isTcp()) {
            throw new IllegalStateException("the fake Qdrant server runs in-process; build it with tcp() for a port");
        }
        return (InetSocketAddress) server.getListenSockets().get(0);
    }

    /** Whether the server answers the REST snapshot endpoints ({@link Builder#http()}). */
    public boolean isHttp() {
        return http != null;
    }

    /**
     * The REST API's base URI, {@code http://127.0.0.1:port} without a trailing slash: the value for
     * {@code qdrant.edge.server.url}, with {@link #port()} as {@code grpc-port}.
     */
    public URI restBaseUri() {
        return requireHttp().baseUri();
    }

    /** The loopback port of the REST snapshot endpoints. */
    public int httpPort() {
        return requireHttp().port();
    }

    private FakeSnapshotEndpoints requireHttp() {
        if (http == null) {
            throw new IllegalStateException("the fake Qdrant server has no REST side; build it with http()");
        }
        return http;
    }

    /** A new channel to this server (plaintext for TCP); the caller closes it. */
    public ManagedChannel newChannel() {
        if (isTcp()) {
            return ManagedChannelBuilder.forAddress(host(), port()).usePlaintext().build();
        }
        return InProcessChannelBuilder.forName(inProcessName).build();
    }

    /**
     * A client on a new channel of its own, which closing the client shuts down; the version check runs
     * against {@link Builder#serverVersion}.
     */
    public QdrantClient newClient() {
        return new QdrantClient(QdrantGrpcClient.newBuilder(newChannel(), true, true).build());
    }

    /** The collection's points. Read them; writing to the shard directly bypasses the server. */
    public EdgeShard shard() {
        return shard;
    }

    /** Every request received so far, in arrival order. */
    public List<ReceivedRequest> requests() {
        synchronized (received) {
            return List.copyOf(received);
        }
    }

    /** The received request messages of one type, e.g. {@code Points.UpdateBatchPoints.class}, in order. */
    public <T extends Message> List<T> requests(Class<T> type) {
        List<T> out = new ArrayList<>();
        for (ReceivedRequest r : requests()) {
            if (type.isInstance(r.request())) {
                out.add(type.cast(r.request()));
            }
        }
        return out;
    }

    /** Forgets the requests received so far, gRPC and HTTP. */
    public void clearRequests() {
        synchronized (received) {
            received.clear();
        }
        if (http != null) {
            http.clear();
        }
    }

    /** Every HTTP request answered so far, with its status and the archive bytes served, in arrival order. */
    public List<SnapshotExchange> snapshotExchanges() {
        return requireHttp().exchanges();
    }

    /** The archive bytes the REST side has served since it started (not reset by {@link #clearRequests()}). */
    public long snapshotBytesServed() {
        return requireHttp().bytesServed();
    }

    /**
     * Waits until at least {@code count} answered HTTP requests match {@code which}, and returns those.
     *
     * @throws IllegalStateException when they are not answered within {@code timeout}
     */
    public List<SnapshotExchange> awaitSnapshotExchanges(Predicate<SnapshotExchange> which, int count,
            Duration timeout) throws InterruptedException {
        return requireHttp().await(which, count, timeout);
    }

    /**
     * Waits until at least {@code count} received requests match {@code which}, and returns those.
     *
     * @throws IllegalStateException when they do not arrive within {@code timeout}
     */
    public List<ReceivedRequest> awaitRequests(Predicate<ReceivedRequest> which, int count, Duration timeout)
            throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        synchronized (received) {
            while (true) {
                List<ReceivedRequest> matching = received.stream().filter(which).toList();
                if (matching.size() >= count) {
                    return matching;
                }
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    throw new IllegalStateException("expected " + count + " matching requests within " + timeout
                            + ", received " + matching.size());
                }
                TimeUnit.NANOSECONDS.timedWait(received, left);
            }
        }
    }

    /** Fails the next {@code count} point or collection requests with {@code status}. */
    public FailureRule failNext(int count, Status status) {
        return add(r -> true, status, positive(count));
    }

    /** Fails point and collection requests with {@code status} while {@code condition} holds. */
    public FailureRule failWhile(BooleanSupplier condition, Status status) {
        return add(r -> condition.getAsBoolean(), status, Integer.MAX_VALUE);
    }

    /**
     * Fails the point and collection requests {@code which} accepts with {@code status}, e.g. a poison point
     * with {@code failWhile(ReceivedRequest.mentioning(id), Status.INVALID_ARGUMENT)}.
     */
    public FailureRule failWhile(Predicate<ReceivedRequest> which, Status status) {
        return add(which, status, Integer.MAX_VALUE);
    }

    /** Fails every point and collection request with {@code status} for {@code duration} from now. */
    public FailureRule failFor(Duration duration, Status status) {
        long end = System.nanoTime() + duration.toNanos();
        return failWhile(() -> System.nanoTime() - end < 0, status);
    }

    /** Delays every later point and collection request by {@code delay} before answering it (zero: none). */
    public void latency(Duration delay) {
        if (delay.isNegative()) {
            throw new IllegalArgumentException("latency must not be negative, got " + delay);
        }
        this.latency = delay;
    }

    private FailureRule add(Predicate<ReceivedRequest> which, Status status, int limit) {
        Objects.requireNonNull(status, "status");
        FailureRule[] self = new FailureRule[1];
        self[0] = new FailureRule(limit, () -> rules.removeIf(r -> r.rule() == self[0]));
        rules.add(new GrpcRule(self[0], which, status));
        return self[0];
    }

    private static int positive(int count) {
        if (count < 1) {
            throw new IllegalArgumentException("count must be positive, got " + count);
        }
        return count;
    }

    /**
     * Fails the next {@code count} snapshot requests with the HTTP {@code status} (4xx or 5xx, e.g. 503), with
     * Qdrant's JSON error body; nothing is served.
     */
    public FailureRule failSnapshotsNext(int count, int status) {
        return requireHttp().fail(r -> true, status, positive(count));
    }

    /** Fails snapshot requests with the HTTP {@code status} while {@code condition} holds. */
    public FailureRule failSnapshotsWhile(BooleanSupplier condition, int status) {
        return requireHttp().fail(r -> condition.getAsBoolean(), status, Integer.MAX_VALUE);
    }

    /**
     * Fails the snapshot requests {@code which} accepts with the HTTP {@code status}, e.g. only partial ones with
     * {@code failSnapshotsWhile(r -> r.kind() == SnapshotRequest.Kind.PARTIAL, 500)}.
     */
    public FailureRule failSnapshotsWhile(Predicate<SnapshotRequest> which, int status) {
        return requireHttp().fail(which, status, Integer.MAX_VALUE);
    }

    /** Fails every snapshot request with the HTTP {@code status} for {@code duration} from now. */
    public FailureRule failSnapshotsFor(Duration duration, int status) {
        long end = System.nanoTime() + duration.toNanos();
        return failSnapshotsWhile(() -> System.nanoTime() - end < 0, status);
    }

    /** The payload indexes created and not deleted, by field name, as their requests asked. */
    public Map<String, Points.CreateFieldIndexCollection> fieldIndexes() {
        synchronized (model) {
            return Map.copyOf(fieldIndexes);
        }
    }

    /** The vector names created and not deleted, as their requests asked. */
    public Map<String, Points.CreateVectorNameRequest> vectorNames() {
        synchronized (model) {
            return Map.copyOf(vectorNames);
        }
    }

    // -----------------------------------------------------------------------------------------------
    // request handling, used by the services

    /**
     * Records a request, applies latency and failure rules (unless {@code injectable} is false), then answers
     * it with {@code handler}, which runs holding the model lock.
     */
    <Q extends Message, R> void unary(Q request, StreamObserver<R> observer, boolean injectable,
            Function<Q, R> handler) {
        if (observer instanceof ServerCallStreamObserver<R> call) {
            call.setOnCancelHandler(() -> { });
        }
        ReceivedRequest r;
        synchronized (received) {
            r = new ReceivedRequest(received.size() + 1L, METHOD.get(), request, HEADERS.get());
            received.add(r);
            received.notifyAll();
        }
        try {
            if (injectable) {
                String unauthorized = authorizationProblem(r.headers().get(API_KEY), bearer(r.headers()));
                if (unauthorized != null) {
                    observer.onError(Status.UNAUTHENTICATED.withDescription(unauthorized).asRuntimeException());
                    return;
                }
                Duration delay = latency;
                if (!delay.isZero()) {
                    Thread.sleep(delay.toMillis(), delay.toNanosPart() % 1_000_000);
                }
                for (GrpcRule rule : rules) {
                    if (rule.when().test(r) && rule.rule().fails()) {
                        observer.onError(rule.status().asRuntimeException());
                        return;
                    }
                }
            }
            R response;
            synchronized (model) {
                response = handler.apply(request);
            }
            observer.onNext(response);
            observer.onCompleted();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            observer.onError(Status.CANCELLED.withDescription("server interrupted").asRuntimeException());
        } catch (RuntimeException e) {
            observer.onError(statusOf(e).asRuntimeException());
        }
    }

    /**
     * Why a request with this {@code api-key} header and bearer token is refused (Qdrant's message), or
     * {@code null} when it is let through: no key is configured, or either one is the key.
     */
    String authorizationProblem(String apiKeyHeader, String bearerToken) {
        if (apiKey == null || apiKey.equals(apiKeyHeader) || apiKey.equals(bearerToken)) {
            return null;
        }
        return apiKeyHeader == null && bearerToken == null ? MISSING_KEY : INVALID_KEY;
    }

    private static String bearer(Metadata headers) {
        String authorization = headers == null ? null : headers.get(AUTHORIZATION);
        return authorization != null && authorization.startsWith("Bearer ")
                ? authorization.substring("Bearer ".length()).trim() : null;
    }

    /**
     * Writes a snapshot of the collection's shard: full without a manifest, else partial relative to it.
     * Applied requests are whole in it (an {@code UpdateBatch} is never cut).
     *
     * @return false, writing nothing, when the manifest equals the shard's
     */
    boolean snapshot(Optional<SnapshotManifest> manifest, Path archive) {
        synchronized (model) {
            if (manifest.isEmpty()) {
                shard.createSnapshot(archive);
                return true;
            }
            return shard.createPartialSnapshot(manifest.get(), archive);
        }
    }

    private static Status statusOf(RuntimeException e) {
        if (e instanceof StatusRuntimeException s) {
            return s.getStatus();
        }
        if (e instanceof PointNotFoundException missing) {
            return Status.NOT_FOUND.withDescription("No point with id " + missing.pointId() + " found");
        }
        if (e instanceof InvalidOperationException || e instanceof FilterParseException
                || e instanceof IllegalArgumentException) {
            return Status.INVALID_ARGUMENT.withDescription(e.getMessage());
        }
        return Status.INTERNAL.withDescription(String.valueOf(e)).withCause(e);
    }

    /** Throws {@code NOT_FOUND} unless {@code name} is this server's collection. */
    void requireCollection(String name) {
        if (!collectionName.equals(name)) {
            throw Status.NOT_FOUND.withDescription("Not found: Collection `" + name + "` doesn't exist!")
                    .asRuntimeException();
        }
    }

    /** Applies one operation to the collection; returns its operation number. Call holding the model lock. */
    long apply(UpdateOperation op) {
        return shard.update(op);
    }

    void fieldIndexCreated(Points.CreateFieldIndexCollection request) {
        fieldIndexes.put(request.getFieldName(), request);
    }

    void fieldIndexDeleted(String field) {
        fieldIndexes.remove(field);
    }

    Map<String, Points.CreateFieldIndexCollection> fieldIndexesUnderLock() {
        return fieldIndexes;
    }

    void vectorNameCreated(Points.CreateVectorNameRequest request) {
        vectorNames.put(request.getVectorName(), request);
    }

    void vectorNameDeleted(String name) {
        vectorNames.remove(name);
    }

    /**
     * Stops the server (cutting open calls, HTTP ones too) and closes the collection; a temporary directory is
     * deleted. Closing again does nothing.
     */
    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        if (http != null) {
            http.close();
        }
        server.shutdownNow();
        try {
            server.awaitTermination(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        synchronized (model) {
            shard.close();
        }
        if (ownsDirectory) {
            try (Stream<Path> files = Files.walk(directory)) {
                for (Path p : files.sorted(Comparator.reverseOrder()).toList()) {
                    Files.deleteIfExists(p);
                }
            } catch (IOException e) {
                throw new UncheckedIOException("cannot delete " + directory, e);
            }
        }
    }
}
