package dev.qdrantedge.spring.testsupport;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.qdrantedge.engine.snapshot.SnapshotManifest;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.IntConsumer;
import java.util.function.Predicate;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * The REST side of a {@link FakeQdrantServer}: Qdrant's shard snapshot endpoints on a loopback HTTP port, serving
 * real archives of the fake's shard.
 *
 * <ul>
 *   <li>{@code GET /collections/{c}/shards/0/snapshot}: a full snapshot ({@code EdgeShard.createSnapshot}),
 *       streamed chunked as Qdrant streams it;</li>
 *   <li>{@code POST /collections/{c}/shards/0/snapshot/partial/create} with a manifest: 304 when it equals the
 *       shard's manifest, else a partial snapshot relative to it ({@code EdgeShard.createPartialSnapshot}).</li>
 * </ul>
 *
 * Errors answer as Qdrant's REST API does: 401 with Qdrant's text when an API key is configured and the request
 * lacks it ({@code api-key} header or {@code Authorization: Bearer}), 404 with Qdrant's JSON error for another
 * collection, shard or path, 405 for another method, 400 for a manifest that does not parse. Injected failures
 * answer their status with a JSON error and serve nothing.
 */
final class FakeSnapshotEndpoints implements AutoCloseable {

    /** The only shard the fake has. */
    static final int SHARD_ID = 0;

    private static final Pattern SNAPSHOT_PATH =
            Pattern.compile("^/collections/([^/]+)/shards/([^/]+)/snapshot(/partial/create)?/?$");

    /** A failure rule for snapshot requests. */
    private record Rule(FailureRule rule, Predicate<SnapshotRequest> when, int status) {
    }

    private final FakeQdrantServer server;
    private final HttpServer http;
    private final ExecutorService executor = Executors.newCachedThreadPool(r -> {
        Thread t = new Thread(r, "fake-qdrant-http");
        t.setDaemon(true);
        return t;
    });
    private final Path archives;
    private final AtomicLong arrivals = new AtomicLong();
    private final AtomicLong bytesServed = new AtomicLong();
    private final List<SnapshotExchange> exchanges = new ArrayList<>();
    private final List<Rule> rules = new CopyOnWriteArrayList<>();

    FakeSnapshotEndpoints(FakeQdrantServer server, int port) throws IOException {
        this.server = server;
        this.archives = Files.createTempDirectory("fake-qdrant-snapshots");
        this.http = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 0);
        http.setExecutor(executor);
        http.createContext("/", this::handle);
        http.start();
    }

    /** {@code http://127.0.0.1:port}, without a trailing slash. */
    URI baseUri() {
        return URI.create("http://" + http.getAddress().getAddress().getHostAddress() + ":" + port());
    }

    int port() {
        return http.getAddress().getPort();
    }

    List<SnapshotExchange> exchanges() {
        synchronized (exchanges) {
            return List.copyOf(exchanges);
        }
    }

    long bytesServed() {
        return bytesServed.get();
    }

    void clear() {
        synchronized (exchanges) {
            exchanges.clear();
        }
    }

    List<SnapshotExchange> await(Predicate<SnapshotExchange> which, int count, Duration timeout)
            throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        synchronized (exchanges) {
            while (true) {
                List<SnapshotExchange> matching = exchanges.stream().filter(which).toList();
                if (matching.size() >= count) {
                    return matching;
                }
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    throw new IllegalStateException("expected " + count + " matching snapshot requests within "
                            + timeout + ", received " + matching.size());
                }
                TimeUnit.NANOSECONDS.timedWait(exchanges, left);
            }
        }
    }

    FailureRule fail(Predicate<SnapshotRequest> when, int status, int limit) {
        if (status < 400 || status > 599) {
            throw new IllegalArgumentException("an injected failure needs a 4xx or 5xx status, got " + status);
        }
        FailureRule[] self = new FailureRule[1];
        self[0] = new FailureRule(limit, () -> rules.removeIf(r -> r.rule() == self[0]));
        rules.add(new Rule(self[0], when, status));
        return self[0];
    }

    // -----------------------------------------------------------------------------------------------

    private void handle(HttpExchange exchange) throws IOException {
        byte[] body = exchange.getRequestBody().readAllBytes();
        String path = exchange.getRequestURI().getRawPath();
        Matcher m = SNAPSHOT_PATH.matcher(path);
        SnapshotRequest.Kind kind = !m.matches() ? SnapshotRequest.Kind.OTHER
                : m.group(3) == null ? SnapshotRequest.Kind.FULL : SnapshotRequest.Kind.PARTIAL;
        Optional<SnapshotManifest> manifest = Optional.empty();
        String manifestError = null;
        if (kind == SnapshotRequest.Kind.PARTIAL && exchange.getRequestMethod().equals("POST")) {
            try {
                manifest = Optional.of(SnapshotManifest.parse(new String(body, StandardCharsets.UTF_8)));
            } catch (RuntimeException e) {
                manifestError = e.getMessage();
            }
        }
        Map<String, List<String>> headers = new LinkedHashMap<>();
        exchange.getRequestHeaders().forEach((name, values) ->
                headers.put(name.toLowerCase(Locale.ROOT), List.copyOf(values)));
        SnapshotRequest request = new SnapshotRequest(arrivals.incrementAndGet(), exchange.getRequestMethod(), path,
                kind, headers, manifest);
        int status = 0;
        long[] written = {0};
        boolean[] recorded = {false};
        // Recorded before the response completes, so a client that has its answer finds the exchange recorded.
        IntConsumer finish = sent -> {
            if (!recorded[0]) {
                recorded[0] = true;
                record(new SnapshotExchange(request, sent, written[0]));
            }
        };
        try {
            status = answer(exchange, request, m, manifestError, written, finish);
        } finally {
            finish.accept(status);
            exchange.close();
        }
    }

    /** Answers the request; returns the status sent. */
    private int answer(HttpExchange exchange, SnapshotRequest request, Matcher m, String manifestError,
            long[] written, IntConsumer finish) throws IOException {
        if (request.kind() == SnapshotRequest.Kind.OTHER) {
            return sendError(exchange, finish, 404, "Not found: no endpoint " + request.path());
        }
        String expected = request.kind() == SnapshotRequest.Kind.FULL ? "GET" : "POST";
        if (!request.method().equals(expected)) {
            exchange.getResponseHeaders().set("Allow", expected);
            return sendError(exchange, finish, 405, "Method " + request.method() + " not allowed on " + request.path());
        }
        String unauthorized = server.authorizationProblem(request.header("api-key"), bearer(request));
        if (unauthorized != null) {
            return sendText(exchange, finish, 401, unauthorized);
        }
        for (Rule rule : rules) {
            if (rule.when().test(request) && rule.rule().fails()) {
                return sendError(exchange, finish, rule.status(), "Injected failure: HTTP " + rule.status());
            }
        }
        String collection = decode(m.group(1));
        if (!collection.equals(server.collectionName())) {
            return sendError(exchange, finish, 404, "Not found: Collection `" + collection + "` doesn't exist!");
        }
        if (!m.group(2).equals(String.valueOf(SHARD_ID))) {
            return sendError(exchange, finish, 404, "Not found: shard " + decode(m.group(2)) + " of collection `"
                    + collection + "` does not exist");
        }
        if (manifestError != null) {
            return sendError(exchange, finish, 400, "Bad request: the manifest does not parse: " + manifestError);
        }
        Path archive = archives.resolve(request.kind().name().toLowerCase(Locale.ROOT) + "-" + UUID.randomUUID()
                + ".snapshot");
        try {
            boolean created = server.snapshot(request.manifest(), archive);
            if (!created) {
                finish.accept(304);
                exchange.sendResponseHeaders(304, -1);
                return 304;
            }
            exchange.getResponseHeaders().set("Content-Type", "application/octet-stream");
            exchange.sendResponseHeaders(200, 0); // chunked, as Qdrant streams a snapshot
            OutputStream out = exchange.getResponseBody();
            try (InputStream in = Files.newInputStream(archive)) {
                byte[] buffer = new byte[1 << 16];
                int n;
                while ((n = in.read(buffer)) > 0) {
                    out.write(buffer, 0, n);
                    written[0] += n;
                    bytesServed.addAndGet(n);
                }
            }
            finish.accept(200);
            out.close();
            return 200;
        } finally {
            Files.deleteIfExists(archive);
        }
    }

    private static String bearer(SnapshotRequest request) {
        String authorization = request.header("Authorization");
        return authorization != null && authorization.startsWith("Bearer ")
                ? authorization.substring("Bearer ".length()).trim() : null;
    }

    private static String decode(String segment) {
        return URLDecoder.decode(segment.replace("+", "%2B"), StandardCharsets.UTF_8);
    }

    private void record(SnapshotExchange done) {
        synchronized (exchanges) {
            exchanges.add(done);
            exchanges.notifyAll();
        }
    }

    /** A status with Qdrant's JSON error body: {@code {"status":{"error":"..."},"time":0.0}}. */
    private static int sendError(HttpExchange exchange, IntConsumer finish, int status, String error)
            throws IOException {
        String json = "{\"status\":{\"error\":\"" + error.replace("\\", "\\\\").replace("\"", "\\\"")
                + "\"},\"time\":0.0}";
        return send(exchange, finish, status, "application/json", json);
    }

    private static int sendText(HttpExchange exchange, IntConsumer finish, int status, String text)
            throws IOException {
        return send(exchange, finish, status, "text/plain; charset=utf-8", text);
    }

    private static int send(HttpExchange exchange, IntConsumer finish, int status, String contentType, String text)
            throws IOException {
        byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().set("Content-Type", contentType);
        finish.accept(status);
        exchange.sendResponseHeaders(status, bytes.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(bytes);
        }
        return status;
    }

    @Override
    public void close() {
        http.stop(0);
        executor.shutdownNow();
        try {
            executor.awaitTermination(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        try (Stream<Path> files = Files.walk(archives)) {
            for (Path p : files.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot delete " + archives, e);
        }
    }
}
