package dev.qdrantedge.engine.sync;

import static dev.qdrantedge.engine.sync.SyncTestShards.records;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import com.sun.net.httpserver.HttpExchange;
import dev.qdrantedge.engine.shard.EdgeShard;
import dev.qdrantedge.engine.shard.Record;
import dev.qdrantedge.engine.snapshot.ShardManifests;
import dev.qdrantedge.engine.snapshot.ShardSnapshotWriter;
import dev.qdrantedge.engine.snapshot.SnapshotManifest;
import dev.qdrantedge.engine.sync.SnapshotDownloadException.Reason;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.io.OutputStream;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** {@link HttpSnapshotSource} against real HTTP and HTTPS servers on loopback, serving real shard snapshots. */
@Timeout(value = 120, unit = TimeUnit.SECONDS) // a guard against a hang, not a speed check
class HttpSnapshotSourceTest {

    private static final String COLLECTION = "edge-mirror";
    private static final int SHARD = 3;
    private static final String FULL_PATH = "/collections/edge-mirror/shards/3/snapshot";
    private static final String PARTIAL_PATH = "/collections/edge-mirror/shards/3/snapshot/partial/create";
    /** Retries without noticeable waits. */
    private static final Backoff FAST = new Backoff(Duration.ofMillis(1), 2.0, Duration.ofMillis(20), 0.0);

    @TempDir
    Path temp;
    Path downloads;
    /** Released when a test ends, so that handlers that stall stop. */
    final CountDownLatch testOver = new CountDownLatch(1);

    @BeforeEach
    void createDownloadDirectory() throws IOException {
        downloads = Files.createDirectories(temp.resolve("downloads"));
    }

    @AfterEach
    void releaseStalledHandlers() {
        testOver.countDown();
    }

    private HttpSnapshotOptions.Builder options(LoopbackHttpServer server) {
        return HttpSnapshotOptions.builder(server.baseUrl(), COLLECTION, SHARD).backoff(FAST).maxAttempts(3)
                .readTimeout(Duration.ofSeconds(20));
    }

    /** A real shard's full snapshot archive, and the shard's points. */
    private Path serverArchive(List<Record> pointsOut) throws IOException {
        Path shard = SyncTestShards.create(temp.resolve("server-shard"), 1, 300, 7);
        Path archive = temp.resolve("server.snapshot");
        try (EdgeShard s = EdgeShard.load(shard)) {
            SyncTestShards.delete(s, 10, 11);
            s.createSnapshot(archive);
            pointsOut.addAll(records(s));
        }
        return archive;
    }

    // ---------------------------------------------------------------------------------------------
    // full and partial downloads of real archives

    @Test
    void aFullSnapshotIsStreamedIntoAFileThatUnpacksAndAppliesToTheServersPoints() throws Exception {
        List<Record> expected = new java.util.ArrayList<>();
        Path archive = serverArchive(expected);
        try (LoopbackHttpServer server = LoopbackHttpServer.http((req, n, ex) ->
                LoopbackHttpServer.sendFile(ex, archive, false))) {
            HttpSnapshotSource source = new HttpSnapshotSource(options(server).build());

            Path downloaded = source.downloadFull(downloads);

            assertThat(downloaded.getParent()).isEqualTo(downloads);
            assertThat(downloaded.getFileName().toString()).startsWith("shard-snapshot-full-").endsWith(".tar");
            assertThat(SyncTestShards.list(downloads)).containsExactly(downloaded.getFileName().toString());
            assertThat(Files.mismatch(downloaded, archive)).isEqualTo(-1L);
            LoopbackHttpServer.Request request = server.requests().get(0);
            assertThat(request.method()).isEqualTo("GET");
            assertThat(request.rawPath()).isEqualTo(FULL_PATH);
            assertThat(request.header("api-key")).isNull();
            assertThat(server.requests()).hasSize(1);

            Path unpacked = temp.resolve("unpacked");
            EdgeShard.unpackSnapshot(downloaded, unpacked);
            assertThat(records(unpacked)).isEqualTo(expected);

            Path mirror = SyncTestShards.create(temp.resolve("mirror"), 5000, 20, 1);
            try (EdgeShard m = EdgeShard.load(mirror)) {
                m.updateFromSnapshot(downloaded);
                assertThat(records(m)).isEqualTo(expected);
            }

            SnapshotDownload last = source.lastDownload().orElseThrow();
            assertThat(last.kind()).isEqualTo(SnapshotDownload.Kind.FULL);
            assertThat(last.bytes()).isEqualTo(Files.size(archive));
            assertThat(last.archive()).contains(downloaded);
            assertThat(last.attempts()).isEqualTo(1);
            assertThat(last.uri().toString()).isEqualTo(server.baseUrl() + FULL_PATH);
        }
    }

    @Test
    void aBodyWithContentLengthIsReceivedWhole() throws Exception {
        Path archive = serverArchive(new java.util.ArrayList<>());
        try (LoopbackHttpServer server = LoopbackHttpServer.http((req, n, ex) ->
                LoopbackHttpServer.sendFile(ex, archive, true))) {
            Path downloaded = new HttpSnapshotSource(options(server).build()).downloadFull(downloads);
            assertThat(Files.mismatch(downloaded, archive)).isEqualTo(-1L);
        }
    }

    /**
     * The server answers as Qdrant does: 304 when the posted manifest equals its own exactly, else a partial
     * snapshot relative to the posted manifest.
     */
    @Test
    void aPartialSnapshotPostsTheManifestAndBringsTheMirrorToTheServersStateThen304() throws Exception {
        Path mirror = SyncTestShards.create(temp.resolve("mirror"), 1, 100, 1);
        Path serverShard = SyncTestShards.copy(mirror, temp.resolve("server-shard"));
        try (EdgeShard s = EdgeShard.load(serverShard)) {
            SyncTestShards.upsert(s, 90, 30, 5);
            SyncTestShards.delete(s, 3, 4, 5);
        }
        List<Record> serverPoints = records(serverShard);
        AtomicReference<Path> served = new AtomicReference<>();
        try (LoopbackHttpServer server = LoopbackHttpServer.http((req, n, ex) -> {
            SnapshotManifest posted = SnapshotManifest.parse(req.bodyText());
            if (posted.equals(ShardManifests.of(serverShard))) {
                LoopbackHttpServer.sendNotModified(ex);
                return;
            }
            Path partial = temp.resolve("partial-" + n + ".snapshot");
            ShardSnapshotWriter.writePartial(serverShard, posted, partial);
            served.set(partial);
            LoopbackHttpServer.sendFile(ex, partial, false);
        })) {
            HttpSnapshotSource source = new HttpSnapshotSource(options(server).apiKey("s3cret-key").build());
            try (EdgeShard m = EdgeShard.load(mirror)) {
                SnapshotManifest manifest = m.snapshotManifest();

                Path downloaded = source.downloadPartial(manifest, downloads).orElseThrow();
                assertThat(downloaded.getFileName().toString()).startsWith("shard-snapshot-partial-").endsWith(".tar");

                LoopbackHttpServer.Request request = server.requests().get(0);
                assertThat(request.method()).isEqualTo("POST");
                assertThat(request.rawPath()).isEqualTo(PARTIAL_PATH);
                assertThat(request.header("Content-Type")).isEqualTo("application/json");
                assertThat(request.header("api-key")).isEqualTo("s3cret-key");
                assertThat(request.bodyText()).isEqualTo(manifest.toJsonString());
                assertThat(SnapshotManifest.parse(request.bodyText())).isEqualTo(manifest);
                assertThat(Files.mismatch(downloaded, served.get())).isEqualTo(-1L);
                assertThat(source.lastDownload().orElseThrow().kind()).isEqualTo(SnapshotDownload.Kind.PARTIAL);

                m.updateFromSnapshot(downloaded);
                Files.delete(downloaded);
                assertThat(records(m)).isEqualTo(serverPoints);

                Optional<Path> again = source.downloadPartial(m.snapshotManifest(), downloads);

                assertThat(again).isEmpty();
                assertThat(server.requests()).hasSize(2);
                assertThat(server.requests().get(1).bodyText()).isEqualTo(m.snapshotManifest().toJsonString());
                SnapshotDownload last = source.lastDownload().orElseThrow();
                assertThat(last.notModified()).isTrue();
                assertThat(last.bytes()).isZero();
                assertThat(SyncTestShards.list(downloads)).isEmpty();
            }
        }
    }

    @Test
    void anEmptyManifestIsPostedAsAnEmptyObject() throws Exception {
        try (LoopbackHttpServer server = LoopbackHttpServer.http((req, n, ex) ->
                LoopbackHttpServer.sendNotModified(ex))) {
            Optional<Path> result = new HttpSnapshotSource(options(server).build())
                    .downloadPartial(SnapshotManifest.empty(), downloads);
            assertThat(result).isEmpty();
            assertThat(server.requests().get(0).bodyText()).isEqualTo("{}");
        }
    }

    @Test
    void theCollectionNameIsPercentEncodedAndABasePathIsKept() throws Exception {
        try (LoopbackHttpServer server = LoopbackHttpServer.http((req, n, ex) ->
                LoopbackHttpServer.sendNotModified(ex))) {
            HttpSnapshotOptions options = HttpSnapshotOptions.builder(server.baseUrl() + "/qdrant/", "my coll/ä", 0)
                    .build();
            new HttpSnapshotSource(options).downloadPartial(SnapshotManifest.empty(), downloads);
            assertThat(server.requests().get(0).rawPath())
                    .isEqualTo("/qdrant/collections/my%20coll%2F%C3%A4/shards/0/snapshot/partial/create");
        }
    }

    @Test
    void aFullDownloadAnswered304IsAnUnexpectedResponse() throws Exception {
        try (LoopbackHttpServer server = LoopbackHttpServer.http((req, n, ex) ->
                LoopbackHttpServer.sendNotModified(ex))) {
            SnapshotDownloadException e = catchThrowableOfType(
                    () -> new HttpSnapshotSource(options(server).build()).downloadFull(downloads),
                    SnapshotDownloadException.class);
            assertThat(e.reason()).isEqualTo(Reason.UNEXPECTED_RESPONSE);
            assertThat(e.getMessage()).contains("304");
            assertThat(server.requests()).hasSize(1);
        }
    }

    // ---------------------------------------------------------------------------------------------
    // size limit

    @Test
    void anAnnouncedContentLengthAboveTheLimitIsRefusedBeforeAnyFile() throws Exception {
        try (LoopbackHttpServer server = LoopbackHttpServer.http((req, n, ex) -> {
            ex.sendResponseHeaders(200, 10L << 20);
            try (OutputStream out = ex.getResponseBody()) {
                out.write(new byte[1 << 20]);
                testOver.await();
            }
        })) {
            HttpSnapshotSource source = new HttpSnapshotSource(options(server).maxArchiveBytes(1 << 20).build());
            SnapshotDownloadException e = catchThrowableOfType(() -> source.downloadFull(downloads),
                    SnapshotDownloadException.class);
            assertThat(e.reason()).isEqualTo(Reason.TOO_LARGE);
            assertThat(e.isTransient()).isFalse();
            assertThat(e.getMessage()).contains("Content-Length").contains(String.valueOf(10L << 20))
                    .contains(String.valueOf(1 << 20)).contains(server.baseUrl() + FULL_PATH);
            assertThat(server.requests()).hasSize(1);
            assertThat(SyncTestShards.list(downloads)).isEmpty();
        }
    }

    @Test
    void aStreamGrowingBeyondTheLimitIsAbortedAndItsFileDeleted() throws Exception {
        try (LoopbackHttpServer server = LoopbackHttpServer.http((req, n, ex) -> {
            ex.sendResponseHeaders(200, 0);
            try (OutputStream out = ex.getResponseBody()) {
                for (int i = 0; i < 64; i++) {
                    out.write(new byte[64 << 10]);
                }
            }
        })) {
            HttpSnapshotSource source = new HttpSnapshotSource(options(server).maxArchiveBytes(1 << 20).build());
            SnapshotDownloadException e = catchThrowableOfType(() -> source.downloadFull(downloads),
                    SnapshotDownloadException.class);
            assertThat(e.reason()).isEqualTo(Reason.TOO_LARGE);
            assertThat(e.getMessage()).contains("grew beyond the limit of " + (1 << 20) + " bytes");
            assertThat(server.requests()).hasSize(1);
            assertThat(SyncTestShards.list(downloads)).isEmpty();
        }
    }

    @Test
    void anArchiveOfExactlyTheLimitIsAcceptedAndOneByteLessIsNot() throws Exception {
        Path archive = serverArchive(new java.util.ArrayList<>());
        long size = Files.size(archive);
        try (LoopbackHttpServer server = LoopbackHttpServer.http((req, n, ex) ->
                LoopbackHttpServer.sendFile(ex, archive, false))) {
            Path ok = new HttpSnapshotSource(options(server).maxArchiveBytes(size).build()).downloadFull(downloads);
            assertThat(Files.size(ok)).isEqualTo(size);
            Files.delete(ok);

            HttpSnapshotSource tight = new HttpSnapshotSource(options(server).maxArchiveBytes(size - 1).build());
            assertThatThrownBy(() -> tight.downloadFull(downloads)).isInstanceOf(SnapshotDownloadException.class)
                    .extracting(e -> ((SnapshotDownloadException) e).reason()).isEqualTo(Reason.TOO_LARGE);
            assertThat(SyncTestShards.list(downloads)).isEmpty();
        }
    }

    // ---------------------------------------------------------------------------------------------
    // status codes and retries

    @ParameterizedTest
    @ValueSource(ints = {400, 401, 403, 404})
    void aClientErrorIsNotRetriedAndItsMessageIsSurfaced(int status) throws Exception {
        String text = "Not found: Collection `edge-mirror` doesn't exist! (" + status + ")";
        try (LoopbackHttpServer server = LoopbackHttpServer.http((req, n, ex) ->
                LoopbackHttpServer.sendText(ex, status, text))) {
            HttpSnapshotSource source = new HttpSnapshotSource(options(server).build());
            SnapshotDownloadException e = catchThrowableOfType(() -> source.downloadFull(downloads),
                    SnapshotDownloadException.class);
            assertThat(e.reason()).isEqualTo(Reason.REJECTED);
            assertThat(e.statusCode()).hasValue(status);
            assertThat(e.attempts()).isEqualTo(1);
            assertThat(e.getMessage()).contains("GET " + server.baseUrl() + FULL_PATH).contains("HTTP " + status)
                    .contains(text).contains("not retried");
            assertThat(server.requests()).hasSize(1);
            assertThat(SyncTestShards.list(downloads)).isEmpty();
        }
    }

    @Test
    void qdrantsJsonErrorFormGivesItsErrorTextAndALongBodyIsTruncated() throws Exception {
        String json = "{\"status\":{\"error\":\"Wrong input: manifest is malformed\"},\"time\":0.001}";
        String longText = "x".repeat(10_000);
        try (LoopbackHttpServer server = LoopbackHttpServer.http((req, n, ex) ->
                LoopbackHttpServer.sendText(ex, 400, n == 1 ? json : longText))) {
            HttpSnapshotSource source = new HttpSnapshotSource(options(server).build());
            SnapshotDownloadException e = catchThrowableOfType(
                    () -> source.downloadPartial(SnapshotManifest.empty(), downloads), SnapshotDownloadException.class);
            assertThat(e.getMessage()).contains("HTTP 400 Bad Request: Wrong input: manifest is malformed")
                    .doesNotContain("\"time\"");

            SnapshotDownloadException truncated = catchThrowableOfType(() -> source.downloadFull(downloads),
                    SnapshotDownloadException.class);
            assertThat(truncated.getMessage()).contains("x".repeat(300) + "…").doesNotContain("x".repeat(301));
        }
    }

    @Test
    void serverErrorsAndRateLimitsAreRetriedUntilTheArchiveArrives() throws Exception {
        Path archive = serverArchive(new java.util.ArrayList<>());
        try (LoopbackHttpServer server = LoopbackHttpServer.http((req, n, ex) -> {
            if (n == 1) {
                LoopbackHttpServer.sendText(ex, 503, "Service unavailable: shard 3 is not active");
            } else if (n == 2) {
                ex.getResponseHeaders().set("Retry-After", "1");
                LoopbackHttpServer.sendText(ex, 429, "Rate limiting exceeded");
            } else if (n == 3) {
                LoopbackHttpServer.sendText(ex, 500, "Service internal error");
            } else {
                LoopbackHttpServer.sendFile(ex, archive, false);
            }
        })) {
            HttpSnapshotSource source = new HttpSnapshotSource(options(server).maxAttempts(4).build());
            Path downloaded = source.downloadFull(downloads);
            assertThat(Files.mismatch(downloaded, archive)).isEqualTo(-1L);
            assertThat(server.requests()).hasSize(4);
            assertThat(source.lastDownload().orElseThrow().attempts()).isEqualTo(4);
            assertThat(SyncTestShards.list(downloads)).containsExactly(downloaded.getFileName().toString());
        }
    }

    @Test
    void serverErrorsEndTheDownloadAfterMaxAttempts() throws Exception {
        try (LoopbackHttpServer server = LoopbackHttpServer.http((req, n, ex) ->
                LoopbackHttpServer.sendText(ex, 500, "Service internal error: disk full"))) {
            HttpSnapshotSource source = new HttpSnapshotSource(options(server).maxAttempts(3).build());
            SnapshotDownloadException e = catchThrowableOfType(() -> source.downloadFull(downloads),
                    SnapshotDownloadException.class);
            assertThat(e.reason()).isEqualTo(Reason.SERVER_ERROR);
            assertThat(e.isTransient()).isTrue();
            assertThat(e.attempts()).isEqualTo(3);
            assertThat(e.statusCode()).hasValue(500);
            assertThat(e.getMessage()).contains("after 3 attempts").contains("HTTP 500")
                    .contains("Service internal error: disk full");
            assertThat(server.requests()).hasSize(3);
        }
    }

    @Test
    void aBodyCutShortIsRetriedAndTheBrokenFileDeleted() throws Exception {
        Path archive = serverArchive(new java.util.ArrayList<>());
        try (LoopbackHttpServer server = LoopbackHttpServer.http((req, n, ex) -> {
            if (n == 1) {
                ex.sendResponseHeaders(200, Files.size(archive));
                OutputStream out = ex.getResponseBody();
                out.write(Files.readAllBytes(archive), 0, 5000);
                out.flush();
                throw new IOException("the server drops the connection after 5000 bytes");
            } else {
                LoopbackHttpServer.sendFile(ex, archive, true);
            }
        })) {
            HttpSnapshotSource source = new HttpSnapshotSource(options(server).build());
            Path downloaded = source.downloadFull(downloads);
            assertThat(Files.mismatch(downloaded, archive)).isEqualTo(-1L);
            assertThat(server.requests()).hasSize(2);
            assertThat(SyncTestShards.list(downloads)).containsExactly(downloaded.getFileName().toString());
        }
    }

    @Test
    void aRedirectIsNotFollowed() throws Exception {
        try (LoopbackHttpServer server = LoopbackHttpServer.http((req, n, ex) -> {
            ex.getResponseHeaders().set("Location", "http://elsewhere.invalid/snapshot");
            LoopbackHttpServer.sendText(ex, 302, "");
        })) {
            SnapshotDownloadException e = catchThrowableOfType(
                    () -> new HttpSnapshotSource(options(server).build()).downloadFull(downloads),
                    SnapshotDownloadException.class);
            assertThat(e.reason()).isEqualTo(Reason.UNEXPECTED_RESPONSE);
            assertThat(e.getMessage()).contains("HTTP 302").contains("http://elsewhere.invalid/snapshot");
            assertThat(server.requests()).hasSize(1);
        }
    }

    // ---------------------------------------------------------------------------------------------
    // timeouts and unreachable servers

    @Test
    void aBodyThatStallsTimesOutAndLeavesNoFile() throws Exception {
        try (LoopbackHttpServer server = LoopbackHttpServer.http((req, n, ex) -> {
            ex.sendResponseHeaders(200, 0);
            OutputStream out = ex.getResponseBody();
            out.write(new byte[1000]);
            out.flush();
            testOver.await();
        })) {
            HttpSnapshotSource source = new HttpSnapshotSource(options(server).readTimeout(Duration.ofMillis(300))
                    .maxAttempts(2).build());
            SnapshotDownloadException e = catchThrowableOfType(() -> source.downloadFull(downloads),
                    SnapshotDownloadException.class);
            assertThat(e.reason()).isEqualTo(Reason.TIMED_OUT);
            assertThat(e.attempts()).isEqualTo(2);
            assertThat(e.getMessage()).contains("sent nothing for PT0.3S").contains("after 1000 bytes");
            assertThat(server.requests()).hasSize(2);
            assertThat(SyncTestShards.list(downloads)).isEmpty();
        }
    }

    @Test
    void aServerThatNeverAnswersTimesOut() throws Exception {
        try (LoopbackHttpServer server = LoopbackHttpServer.http((req, n, ex) -> testOver.await())) {
            HttpSnapshotSource source = new HttpSnapshotSource(options(server).readTimeout(Duration.ofMillis(300))
                    .maxAttempts(2).build());
            SnapshotDownloadException e = catchThrowableOfType(
                    () -> source.downloadPartial(SnapshotManifest.empty(), downloads), SnapshotDownloadException.class);
            assertThat(e.reason()).isEqualTo(Reason.TIMED_OUT);
            assertThat(e.getMessage()).contains("no response within PT0.3S");
            assertThat(server.requests()).hasSize(2);
        }
    }

    @Test
    void aTrickleSlowerThanTheRequestTimeoutIsGivenUp() throws Exception {
        try (LoopbackHttpServer server = LoopbackHttpServer.http((req, n, ex) -> {
            ex.sendResponseHeaders(200, 0);
            OutputStream out = ex.getResponseBody();
            while (!testOver.await(20, TimeUnit.MILLISECONDS)) {
                out.write(1);
                out.flush();
            }
        })) {
            HttpSnapshotSource source = new HttpSnapshotSource(options(server).readTimeout(Duration.ofSeconds(30))
                    .requestTimeout(Duration.ofMillis(500)).maxAttempts(1).build());
            SnapshotDownloadException e = catchThrowableOfType(() -> source.downloadFull(downloads),
                    SnapshotDownloadException.class);
            assertThat(e.reason()).isEqualTo(Reason.TIMED_OUT);
            assertThat(e.getMessage()).contains("longer than the request timeout of PT0.5S");
            assertThat(SyncTestShards.list(downloads)).isEmpty();
        }
    }

    @Test
    void anUnreachablePortFailsClearlyAfterTheRetries() throws Exception {
        int port;
        try (ServerSocket socket = new ServerSocket(0)) {
            port = socket.getLocalPort();
        }
        HttpSnapshotSource source = new HttpSnapshotSource(HttpSnapshotOptions
                .builder("http://127.0.0.1:" + port, COLLECTION, SHARD).backoff(FAST).maxAttempts(3).build());
        SnapshotDownloadException e = catchThrowableOfType(() -> source.downloadFull(downloads),
                SnapshotDownloadException.class);
        assertThat(e.reason()).isEqualTo(Reason.NETWORK);
        assertThat(e.attempts()).isEqualTo(3);
        assertThat(e.statusCode()).isEmpty();
        assertThat(e.getMessage()).contains("GET http://127.0.0.1:" + port + FULL_PATH).contains("after 3 attempts")
                .contains("cannot connect to 127.0.0.1:" + port);
        assertThat(SyncTestShards.list(downloads)).isEmpty();
    }

    @Test
    void aMissingTargetDirectoryFailsBeforeAnyRequest() throws Exception {
        try (LoopbackHttpServer server = LoopbackHttpServer.http((req, n, ex) ->
                LoopbackHttpServer.sendNotModified(ex))) {
            Path missing = temp.resolve("nowhere");
            SnapshotDownloadException e = catchThrowableOfType(
                    () -> new HttpSnapshotSource(options(server).build()).downloadFull(missing),
                    SnapshotDownloadException.class);
            assertThat(e.reason()).isEqualTo(Reason.STORAGE);
            assertThat(e.getMessage()).contains(missing.toString());
            assertThat(server.requests()).isEmpty();
        }
    }

    @Test
    void anInterruptedDownloadStopsDeletesItsFileAndKeepsTheInterruptFlag() throws Exception {
        CountDownLatch bodyStarted = new CountDownLatch(1);
        try (LoopbackHttpServer server = LoopbackHttpServer.http((req, n, ex) -> {
            ex.sendResponseHeaders(200, 0);
            OutputStream out = ex.getResponseBody();
            out.write(new byte[1000]);
            out.flush();
            bodyStarted.countDown();
            testOver.await();
        })) {
            HttpSnapshotSource source = new HttpSnapshotSource(options(server).build());
            AtomicReference<Throwable> failure = new AtomicReference<>();
            AtomicReference<Boolean> flagKept = new AtomicReference<>();
            Thread downloader = new Thread(() -> {
                try {
                    source.downloadFull(downloads);
                } catch (Throwable t) {
                    failure.set(t);
                }
                flagKept.set(Thread.currentThread().isInterrupted());
            });
            downloader.start();
            assertThat(bodyStarted.await(30, TimeUnit.SECONDS)).isTrue();
            downloader.interrupt();
            downloader.join();
            assertThat(failure.get()).isInstanceOf(InterruptedIOException.class);
            assertThat(flagKept.get()).isTrue();
            assertThat(SyncTestShards.list(downloads)).isEmpty();
        }
    }

    // ---------------------------------------------------------------------------------------------
    // TLS

    @Test
    void httpsWorksWithTheTrustContextAndFailsWithoutIt() throws Exception {
        SelfSignedTls tls = SelfSignedTls.create(temp.resolve("tls"));
        Path archive = serverArchive(new java.util.ArrayList<>());
        try (LoopbackHttpServer server = LoopbackHttpServer.https(tls.server, (req, n, ex) ->
                LoopbackHttpServer.sendFile(ex, archive, false))) {
            assertThat(server.baseUrl()).startsWith("https://");

            HttpSnapshotSource trusting = new HttpSnapshotSource(options(server).sslContext(tls.clientTrust)
                    .apiKey("tls-key").build());
            Path downloaded = trusting.downloadFull(downloads);
            assertThat(Files.mismatch(downloaded, archive)).isEqualTo(-1L);
            assertThat(server.requests()).hasSize(1);
            assertThat(server.requests().get(0).header("api-key")).isEqualTo("tls-key");
            Files.delete(downloaded);

            HttpSnapshotSource untrusting = new HttpSnapshotSource(options(server).build());
            SnapshotDownloadException e = catchThrowableOfType(() -> untrusting.downloadFull(downloads),
                    SnapshotDownloadException.class);
            assertThat(e.reason()).isEqualTo(Reason.TLS);
            assertThat(e.attempts()).isEqualTo(1);
            assertThat(e.getMessage()).contains(server.baseUrl() + FULL_PATH).contains("certificate");
            assertThat(server.requests()).hasSize(1);
            assertThat(SyncTestShards.list(downloads)).isEmpty();
        }
    }

    // ---------------------------------------------------------------------------------------------
    // progress logging

    @Test
    void aLargeDownloadLogsItsProgress() throws Exception {
        int total = 1 << 20;
        try (LoopbackHttpServer server = LoopbackHttpServer.http((req, n, ex) -> {
            ex.sendResponseHeaders(200, 0);
            try (OutputStream out = ex.getResponseBody()) {
                for (int i = 0; i < 16; i++) {
                    out.write(new byte[64 << 10]);
                    out.flush();
                }
            }
        })) {
            Logger logger = Logger.getLogger(HttpSnapshotSource.class.getName());
            List<String> messages = new java.util.concurrent.CopyOnWriteArrayList<>();
            Handler capture = new Handler() {
                @Override
                public void publish(LogRecord record) {
                    if (record.getLevel().intValue() >= Level.INFO.intValue()) {
                        messages.add(record.getMessage());
                    }
                }

                @Override
                public void flush() {
                }

                @Override
                public void close() {
                }
            };
            logger.addHandler(capture);
            try {
                HttpSnapshotSource source = new HttpSnapshotSource(options(server)
                        .progress(128 << 10, Duration.ofHours(1)).build());
                Path downloaded = source.downloadFull(downloads);
                assertThat(Files.size(downloaded)).isEqualTo(total);
            } finally {
                logger.removeHandler(capture);
            }
            List<String> progress = messages.stream().filter(m -> m.contains("so far")).toList();
            assertThat(progress).hasSizeGreaterThanOrEqualTo(4);
            assertThat(progress).allMatch(m -> m.contains(server.baseUrl() + FULL_PATH) && m.endsWith("/s"));
            assertThat(messages).anyMatch(m -> m.contains("complete: 1.0 MiB"));
        }
    }
}
