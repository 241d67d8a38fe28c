package dev.qdrantedge.engine.sync;

import dev.qdrantedge.engine.snapshot.SnapshotManifest;
import dev.qdrantedge.engine.sync.SnapshotDownloadException.Reason;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.lang.System.Logger.Level;
import java.net.ConnectException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.ByteBuffer;
import java.nio.channels.ClosedByInterruptException;
import java.nio.channels.FileChannel;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.security.GeneralSecurityException;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.Flow;
import java.util.concurrent.ThreadLocalRandom;
import javax.net.ssl.SSLException;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Downloads the snapshots of one shard from a Qdrant server's REST API:
 *
 * <ul>
 *   <li>full: {@code GET {base}/collections/{collection}/shards/{shard}/snapshot};
 *   <li>partial: {@code POST {base}/collections/{collection}/shards/{shard}/snapshot/partial/create} with the
 *       mirror's manifest as its JSON body. The server answers 304 when that manifest equals its own exactly;
 *       an empty manifest ({@code {}}) asks for everything.
 * </ul>
 *
 * <p>The archive is streamed into a new file in the given directory (never held in memory), forced to the
 * device, and its path returned ({@code shard-snapshot-full-*.tar} or {@code shard-snapshot-partial-*.tar}); while
 * it is written its name ends in {@code .tar.download}, and whatever fails, no file is left behind (a crash may
 * leave a {@code .download} file, which the caller may delete). Network errors, timeouts, 5xx and 429
 * are retried with {@link HttpSnapshotOptions#backoff()} (honouring a {@code Retry-After} up to the backoff's
 * maximum) up to {@link HttpSnapshotOptions#maxAttempts()} requests (each retry logged at debug level); other
 * answers are not. Failures are {@link SnapshotDownloadException}s naming the URL, the status and the server's
 * error text; an interrupted download is an {@link InterruptedIOException} with the thread's interrupt flag set
 * again.
 *
 * <p>Thread-safe; downloads may run in parallel (each into its own file).
 */
public final class HttpSnapshotSource implements SnapshotSource {

    private static final System.Logger LOG = System.getLogger(HttpSnapshotSource.class.getName());
    private static final JsonMapper JSON = JsonMapper.builder().build();
    /** How much of an error response is read. */
    private static final int ERROR_BODY_BYTES = 4096;
    /** How much of the server's error text goes into a message. */
    private static final int ERROR_TEXT_CHARS = 300;
    /** The ending of an archive file still being written (left behind only by a crash). */
    private static final String DOWNLOADING_SUFFIX = ".download";

    private final HttpSnapshotOptions options;
    private final HttpClient client;
    private volatile SnapshotDownload lastDownload;

    public HttpSnapshotSource(HttpSnapshotOptions options) {
        this.options = Objects.requireNonNull(options, "options");
        HttpClient.Builder builder = HttpClient.newBuilder()
                .version(HttpClient.Version.HTTP_1_1)
                .followRedirects(HttpClient.Redirect.NEVER)
                .connectTimeout(options.connectTimeout());
        options.sslContext().ifPresent(builder::sslContext);
        this.client = builder.build();
        if (options.apiKey().isPresent() && options.baseUrl().getScheme().equals("http")) {
            LOG.log(Level.WARNING, () -> "snapshot source " + options.baseUrl() + " sends its API key over plain"
                    + " http; use https outside a trusted network");
        }
    }

    public HttpSnapshotOptions options() {
        return options;
    }

    /** The last download that succeeded (304 included), for metrics; empty before the first. */
    public Optional<SnapshotDownload> lastDownload() {
        return Optional.ofNullable(lastDownload);
    }

    /**
     * Downloads a full snapshot of the shard into a new file in {@code directory}.
     *
     * @throws SnapshotDownloadException when the download failed (see {@link SnapshotDownloadException#reason()})
     */
    @Override
    public Path downloadFull(Path directory) throws IOException {
        URI uri = options.fullSnapshotUri();
        HttpRequest request = request(uri).GET().build();
        return download(SnapshotDownload.Kind.FULL, request, directory).archive().orElseThrow();
    }

    /**
     * Downloads a partial snapshot relative to {@code manifest} into a new file in {@code directory}.
     *
     * @return the archive, or empty when the server answered 304 (its manifest equals {@code manifest})
     * @throws SnapshotDownloadException when the download failed (see {@link SnapshotDownloadException#reason()})
     */
    @Override
    public Optional<Path> downloadPartial(SnapshotManifest manifest, Path directory) throws IOException {
        Objects.requireNonNull(manifest, "manifest");
        URI uri = options.partialSnapshotUri();
        HttpRequest request = request(uri)
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(manifest.toJsonString(), StandardCharsets.UTF_8))
                .build();
        return download(SnapshotDownload.Kind.PARTIAL, request, directory).archive();
    }

    private HttpRequest.Builder request(URI uri) {
        Duration headers = min(options.readTimeout(), options.requestTimeout());
        HttpRequest.Builder builder = HttpRequest.newBuilder(uri).timeout(headers);
        options.apiKey().ifPresent(key -> builder.header("api-key", key));
        return builder;
    }

    // ---------------------------------------------------------------------------------------------
    // attempts

    private SnapshotDownload download(SnapshotDownload.Kind kind, HttpRequest request, Path directory)
            throws IOException {
        Objects.requireNonNull(directory, "directory");
        if (!Files.isDirectory(directory)) {
            throw new SnapshotDownloadException(Reason.STORAGE, request.uri(), 0, 0, describe(request)
                    + " not started: the target directory " + directory + " does not exist", null);
        }
        long start = System.nanoTime();
        for (int attempt = 1; ; attempt++) {
            try {
                Received received = attempt(kind, request, directory);
                SnapshotDownload done = new SnapshotDownload(kind, request.uri(), received.archive,
                        received.bytes, Duration.ofNanos(System.nanoTime() - start), attempt);
                lastDownload = done;
                return done;
            } catch (Failure failure) {
                if (!failure.reason.isTransient() || attempt >= options.maxAttempts()) {
                    throw failure.toException(describe(request), request.uri(), attempt);
                }
                Duration delay = options.backoff().delayAfter(attempt, ThreadLocalRandom.current());
                if (failure.retryAfter != null) {
                    delay = max(delay, min(failure.retryAfter, options.backoff().max()));
                }
                Duration wait = delay;
                int failed = attempt;
                // debug: the outcome is the caller's to report (a scheduled refresh logs its failures once per
                // streak), and a download that succeeds after a retry needs no warning
                LOG.log(Level.DEBUG, () -> describe(request) + " failed (attempt " + failed + " of "
                        + options.maxAttempts() + "): " + failure.getMessage() + "; retrying in " + wait.toMillis()
                        + " ms");
                try {
                    Thread.sleep(delay.toMillis(), delay.toNanosPart() % 1_000_000);
                } catch (InterruptedException e) {
                    throw interrupted(request, e);
                }
            }
        }
    }

    /** One request: the archive received, or why not. */
    private Received attempt(SnapshotDownload.Kind kind, HttpRequest request, Path directory)
            throws Failure, InterruptedIOException {
        long deadline = System.nanoTime() + options.requestTimeout().toNanos();
        HttpResponse<Flow.Publisher<List<ByteBuffer>>> response;
        try {
            response = client.send(request, HttpResponse.BodyHandlers.ofPublisher());
        } catch (InterruptedException e) {
            throw interrupted(request, e);
        } catch (IOException e) {
            throw sendFailure(e);
        }
        BodyChunks body = BodyChunks.of(response.body());
        try {
            int status = response.statusCode();
            if (status == 304) {
                if (kind == SnapshotDownload.Kind.PARTIAL) {
                    LOG.log(Level.DEBUG, () -> describe(request) + ": 304, the shard is unchanged");
                    return new Received(Optional.empty(), 0);
                }
                throw new Failure(Reason.UNEXPECTED_RESPONSE, status, "HTTP 304 Not Modified to a full snapshot"
                        + " request", null);
            }
            if (status != 200) {
                throw statusFailure(response, body, deadline);
            }
            long announced = response.headers().firstValueAsLong("Content-Length").orElse(-1);
            if (announced > options.maxArchiveBytes()) {
                throw new Failure(Reason.TOO_LARGE, status, "the server announces an archive of " + announced
                        + " bytes (Content-Length), more than the limit of " + options.maxArchiveBytes() + " bytes",
                        null);
            }
            return receive(kind, request.uri(), body, directory, announced, deadline);
        } finally {
            body.cancel();
        }
    }

    /**
     * Streams the body into a new {@code .tar.download} file in {@code directory}, forces it to the device and
     * renames it to {@code .tar}; nothing is left behind unless this returns.
     */
    private Received receive(SnapshotDownload.Kind kind, URI uri, BodyChunks body, Path directory, long announced,
            long deadline) throws Failure, InterruptedIOException {
        String prefix = kind == SnapshotDownload.Kind.FULL ? "shard-snapshot-full-" : "shard-snapshot-partial-";
        Path partial;
        try {
            partial = Files.createTempFile(directory, prefix, ".tar" + DOWNLOADING_SUFFIX);
        } catch (IOException e) {
            throw new Failure(Reason.STORAGE, 200, "cannot create the archive file in " + directory + ": "
                    + describe(e), e);
        }
        String name = partial.getFileName().toString();
        Path archive = partial.resolveSibling(name.substring(0, name.length() - DOWNLOADING_SUFFIX.length()));
        boolean complete = false;
        try {
            DownloadProgress progress = new DownloadProgress(LOG, uri, announced, options.progressBytes(),
                    options.progressInterval());
            try (FileChannel out = FileChannel.open(partial, StandardOpenOption.WRITE)) {
                List<ByteBuffer> piece;
                while ((piece = nextPiece(body, deadline, progress.bytes())) != null) {
                    long size = 0;
                    for (ByteBuffer buffer : piece) {
                        size += buffer.remaining();
                    }
                    if (progress.bytes() + size > options.maxArchiveBytes()) {
                        throw new Failure(Reason.TOO_LARGE, 200, "the archive grew beyond the limit of "
                                + options.maxArchiveBytes() + " bytes" + (announced < 0 ? " (the server announced"
                                + " no size)" : ""), null);
                    }
                    write(out, piece, partial);
                    progress.add(size);
                }
                if (announced >= 0 && progress.bytes() != announced) {
                    throw new Failure(Reason.NETWORK, 200, "the body ended after " + progress.bytes() + " of the "
                            + announced + " bytes announced", null);
                }
                out.force(true);
            }
            Files.move(partial, archive, StandardCopyOption.ATOMIC_MOVE);
            progress.finished();
            complete = true;
            return new Received(Optional.of(archive), progress.bytes());
        } catch (InterruptedIOException e) {
            throw e;
        } catch (IOException e) {
            throw new Failure(Reason.STORAGE, 200, "cannot write " + archive + ": " + describe(e), e);
        } finally {
            if (!complete) {
                deleteQuietly(partial);
            }
        }
    }

    private static void write(FileChannel out, List<ByteBuffer> piece, Path file)
            throws Failure, InterruptedIOException {
        try {
            for (ByteBuffer buffer : piece) {
                while (buffer.hasRemaining()) {
                    out.write(buffer);
                }
            }
        } catch (ClosedByInterruptException e) {
            Thread.currentThread().interrupt();
            InterruptedIOException interrupted = new InterruptedIOException("snapshot download interrupted"
                    + " while writing " + file);
            interrupted.initCause(e);
            throw interrupted;
        } catch (IOException e) {
            throw new Failure(Reason.STORAGE, 200, "cannot write " + file + ": " + describe(e), e);
        }
    }

    /** The next piece of the body within the read and request timeouts; null at its end. */
    private List<ByteBuffer> nextPiece(BodyChunks body, long deadline, long receivedSoFar)
            throws Failure, InterruptedIOException {
        long now = System.nanoTime();
        long wait = Math.min(options.readTimeout().toNanos(), deadline - now);
        try {
            if (wait <= 0) {
                throw new BodyChunks.StallException();
            }
            return body.next(wait);
        } catch (BodyChunks.StallException e) {
            if (System.nanoTime() - deadline >= 0) {
                throw new Failure(Reason.TIMED_OUT, 200, "the request took longer than the request timeout of "
                        + options.requestTimeout() + " (" + receivedSoFar + " bytes received)", null);
            }
            throw new Failure(Reason.TIMED_OUT, 200, "the server sent nothing for " + options.readTimeout()
                    + " (read timeout) after " + receivedSoFar + " bytes of the body", null);
        } catch (IOException e) {
            throw new Failure(Reason.NETWORK, 200, "the body broke off after " + receivedSoFar + " bytes: "
                    + describe(e), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            InterruptedIOException interrupted = new InterruptedIOException("snapshot download interrupted");
            interrupted.initCause(e);
            throw interrupted;
        }
    }

    // ---------------------------------------------------------------------------------------------
    // classifying failures

    private Failure sendFailure(IOException e) {
        if (e instanceof HttpConnectTimeoutException) {
            return new Failure(Reason.TIMED_OUT, 0, "no connection within the connect timeout of "
                    + options.connectTimeout(), e);
        }
        if (e instanceof HttpTimeoutException) {
            return new Failure(Reason.TIMED_OUT, 0, "no response within " + min(options.readTimeout(),
                    options.requestTimeout()) + " (read timeout)", e);
        }
        if (hasCause(e, SSLException.class) && hasCause(e, GeneralSecurityException.class)) {
            return new Failure(Reason.TLS, 0, "the TLS handshake failed on the server's certificate (check the"
                    + " trust store and the host name): " + describe(e), e);
        }
        if (hasCause(e, ConnectException.class)) {
            return new Failure(Reason.NETWORK, 0, "cannot connect to " + options.baseUrl().getRawAuthority()
                    + " (refused, unreachable or closed while connecting): " + describe(e), e);
        }
        return new Failure(Reason.NETWORK, 0, describe(e), e);
    }

    private Failure statusFailure(HttpResponse<?> response, BodyChunks body, long deadline)
            throws InterruptedIOException {
        int status = response.statusCode();
        String text = errorText(body, deadline);
        String detail = "HTTP " + status + statusName(status) + (text.isEmpty() ? "" : ": " + text);
        if (status == 429 || status >= 500 && status <= 599) {
            Duration retryAfter = response.headers().firstValue("Retry-After").flatMap(HttpSnapshotSource::seconds)
                    .orElse(null);
            return new Failure(Reason.SERVER_ERROR, status, detail, null).retryAfter(retryAfter);
        }
        if (status >= 400 && status <= 499) {
            String hint = status == 401 || status == 403 ? " (streaming a shard snapshot needs an API key with"
                    + " write access to the collection)" : "";
            return new Failure(Reason.REJECTED, status, detail + hint, null);
        }
        String location = response.headers().firstValue("Location").map(l -> " (Location: " + l + ")").orElse("");
        return new Failure(Reason.UNEXPECTED_RESPONSE, status, detail + location, null);
    }

    /**
     * The server's error text, at most {@value #ERROR_TEXT_CHARS} characters: Qdrant's {@code status.error}
     * when the body is Qdrant's JSON error form, else the body itself with white space collapsed.
     */
    private String errorText(BodyChunks body, long deadline) throws InterruptedIOException {
        ByteBuffer bytes = ByteBuffer.allocate(ERROR_BODY_BYTES);
        try {
            List<ByteBuffer> piece;
            while (bytes.hasRemaining() && (piece = nextPiece(body, deadline, bytes.position())) != null) {
                for (ByteBuffer buffer : piece) {
                    int n = Math.min(buffer.remaining(), bytes.remaining());
                    bytes.put(buffer.slice().limit(n));
                }
            }
        } catch (Failure ignored) {
            // the status says enough; keep what arrived
        }
        bytes.flip();
        String text;
        try {
            text = StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPLACE)
                    .onUnmappableCharacter(CodingErrorAction.REPLACE).decode(bytes).toString();
        } catch (IOException e) {
            text = "";
        }
        text = qdrantError(text).orElse(text).strip().replaceAll("\\s+", " ");
        return text.length() <= ERROR_TEXT_CHARS ? text : text.substring(0, ERROR_TEXT_CHARS) + "…";
    }

    private static Optional<String> qdrantError(String text) {
        if (!text.stripLeading().startsWith("{")) {
            return Optional.empty();
        }
        try {
            JsonNode error = JSON.readTree(text).path("status").path("error");
            return error.isString() ? Optional.of(error.asString()) : Optional.empty();
        } catch (JacksonException e) {
            return Optional.empty();
        }
    }

    private static String statusName(int status) {
        switch (status) {
            case 400: return " Bad Request";
            case 401: return " Unauthorized";
            case 403: return " Forbidden";
            case 404: return " Not Found";
            case 408: return " Request Timeout";
            case 409: return " Conflict";
            case 413: return " Payload Too Large";
            case 422: return " Unprocessable Entity";
            case 429: return " Too Many Requests";
            case 500: return " Internal Server Error";
            case 502: return " Bad Gateway";
            case 503: return " Service Unavailable";
            case 504: return " Gateway Timeout";
            case 507: return " Insufficient Storage";
            default: return "";
        }
    }

    private static Optional<Duration> seconds(String value) {
        try {
            long seconds = Long.parseLong(value.strip());
            return seconds >= 0 ? Optional.of(Duration.ofSeconds(seconds)) : Optional.empty();
        } catch (NumberFormatException e) {
            return Optional.empty(); // the HTTP-date form: the backoff decides
        }
    }

    private static boolean hasCause(Throwable e, Class<? extends Throwable> type) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (type.isInstance(t)) {
                return true;
            }
        }
        return false;
    }

    /** The exception's class and the first message along its causes. */
    private static String describe(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t.getMessage() != null && !t.getMessage().isBlank()) {
                return e.getClass().getSimpleName() + ": " + t.getMessage();
            }
        }
        return e.getClass().getSimpleName();
    }

    private static String describe(HttpRequest request) {
        return request.method() + " " + request.uri();
    }

    private static InterruptedIOException interrupted(HttpRequest request, InterruptedException e) {
        Thread.currentThread().interrupt();
        InterruptedIOException interrupted = new InterruptedIOException(describe(request) + " interrupted");
        interrupted.initCause(e);
        return interrupted;
    }

    private static void deleteQuietly(Path file) {
        try {
            Files.deleteIfExists(file);
        } catch (IOException e) {
            LOG.log(Level.WARNING, () -> "cannot delete the incomplete snapshot download " + file + ": " + e);
        }
    }

    private static Duration min(Duration a, Duration b) {
        return a.compareTo(b) <= 0 ? a : b;
    }

    private static Duration max(Duration a, Duration b) {
        return a.compareTo(b) >= 0 ? a : b;
    }

    /** What one attempt received. */
    private static final class Received {
        final Optional<Path> archive;
        final long bytes;

        Received(Optional<Path> archive, long bytes) {
            this.archive = archive;
            this.bytes = bytes;
        }
    }

    /** Why one attempt failed; becomes a {@link SnapshotDownloadException} once no attempt is left. */
    private static final class Failure extends Exception {
        private static final long serialVersionUID = 1L;

        final Reason reason;
        final int status;
        transient Duration retryAfter;

        Failure(Reason reason, int status, String detail, Throwable cause) {
            super(detail, cause, false, false);
            this.reason = reason;
            this.status = status;
        }

        Failure retryAfter(Duration delay) {
            this.retryAfter = delay;
            return this;
        }

        SnapshotDownloadException toException(String request, URI uri, int attempts) {
            String tries = attempts > 1 ? " after " + attempts + " attempts" : "";
            String retried = reason.isTransient() ? "" : " (not retried)";
            return new SnapshotDownloadException(reason, uri, status, attempts, request + " failed" + tries + ": "
                    + getMessage() + retried, getCause());
        }
    }
}
