package dev.qdrantedge.engine.sync;

import java.net.URI;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;
import javax.net.ssl.SSLContext;

/**
 * Where and how {@link HttpSnapshotSource} downloads the snapshots of one shard of a Qdrant collection. Build
 * one with {@link #builder(URI, String, int)}; every value is checked when it is built.
 *
 * @param baseUrl the server's REST address, {@code http} or {@code https}, optionally with a path prefix
 *     (behind a reverse proxy); without query, fragment or user info; kept without trailing slashes
 * @param collection the collection's name (percent-encoded in the URL)
 * @param shardId the shard's id in the collection, at least 0
 * @param apiKey the value of Qdrant's {@code api-key} header; the key needs write access to the collection,
 *     which Qdrant requires for streaming a shard snapshot
 * @param connectTimeout the longest wait for a TCP (and TLS) connection
 * @param readTimeout the longest wait for the response headers and, after them, for each further piece of the
 *     body: a server that stalls for longer is given up on
 * @param requestTimeout the longest one request may take from start to the last byte of the archive
 * @param maxArchiveBytes the largest archive accepted: a larger announced {@code Content-Length} or a body that
 *     grows beyond it ends the download
 * @param sslContext the TLS context for an {@code https} URL (for a private trust store); the JDK's default
 *     when empty
 * @param backoff the delays between attempts
 * @param maxAttempts how many requests a download makes at most when they fail transiently (network errors,
 *     timeouts, 5xx, 429); at least 1
 * @param progressBytes a progress line is logged each time this many more bytes have arrived ...
 * @param progressInterval ... or this much time has passed since the last one, whichever comes first
 */
public record HttpSnapshotOptions(URI baseUrl, String collection, int shardId, Optional<String> apiKey,
        Duration connectTimeout, Duration readTimeout, Duration requestTimeout, long maxArchiveBytes,
        Optional<SSLContext> sslContext, Backoff backoff, int maxAttempts, long progressBytes,
        Duration progressInterval) {

    /** 10 seconds. */
    public static final Duration DEFAULT_CONNECT_TIMEOUT = Duration.ofSeconds(10);
    /** 60 seconds. */
    public static final Duration DEFAULT_READ_TIMEOUT = Duration.ofSeconds(60);
    /** 2 hours. */
    public static final Duration DEFAULT_REQUEST_TIMEOUT = Duration.ofHours(2);
    /** 16 GiB. */
    public static final long DEFAULT_MAX_ARCHIVE_BYTES = 16L << 30;
    /** 5. */
    public static final int DEFAULT_MAX_ATTEMPTS = 5;
    /** 1 second, doubling, at most 1 minute, 20 % jitter. */
    public static final Backoff DEFAULT_BACKOFF = new Backoff(Duration.ofSeconds(1), 2.0, Duration.ofMinutes(1), 0.2);
    /** 64 MiB. */
    public static final long DEFAULT_PROGRESS_BYTES = 64L << 20;
    /** 10 seconds. */
    public static final Duration DEFAULT_PROGRESS_INTERVAL = Duration.ofSeconds(10);

    public HttpSnapshotOptions {
        baseUrl = normalizeBaseUrl(Objects.requireNonNull(baseUrl, "baseUrl"));
        Objects.requireNonNull(collection, "collection");
        if (collection.isBlank()) {
            throw new IllegalArgumentException("snapshot source collection name must not be blank");
        }
        if (shardId < 0) {
            throw new IllegalArgumentException("snapshot source shard id must be at least 0, got " + shardId);
        }
        Objects.requireNonNull(apiKey, "apiKey");
        apiKey.ifPresent(HttpSnapshotOptions::checkApiKey);
        requirePositive("connectTimeout", connectTimeout);
        requirePositive("readTimeout", readTimeout);
        requirePositive("requestTimeout", requestTimeout);
        if (maxArchiveBytes <= 0) {
            throw new IllegalArgumentException("snapshot source maxArchiveBytes must be positive, got "
                    + maxArchiveBytes);
        }
        Objects.requireNonNull(sslContext, "sslContext");
        if (sslContext.isPresent() && !baseUrl.getScheme().equals("https")) {
            throw new IllegalArgumentException("snapshot source has a TLS context but base URL " + baseUrl
                    + " is not https");
        }
        Objects.requireNonNull(backoff, "backoff");
        if (maxAttempts < 1) {
            throw new IllegalArgumentException("snapshot source maxAttempts must be at least 1, got " + maxAttempts);
        }
        if (progressBytes <= 0) {
            throw new IllegalArgumentException("snapshot source progressBytes must be positive, got "
                    + progressBytes);
        }
        requirePositive("progressInterval", progressInterval);
    }

    /** A builder with the defaults for everything but the shard's address. */
    public static Builder builder(URI baseUrl, String collection, int shardId) {
        return new Builder(baseUrl, collection, shardId);
    }

    /** As {@link #builder(URI, String, int)}, with the base URL as text. */
    public static Builder builder(String baseUrl, String collection, int shardId) {
        Objects.requireNonNull(baseUrl, "baseUrl");
        try {
            return builder(new URI(baseUrl.strip()), collection, shardId);
        } catch (URISyntaxException e) {
            throw new IllegalArgumentException("snapshot source base URL is not a URL: " + e.getMessage(), e);
        }
    }

    /** {@code GET} here streams a full snapshot of the shard. */
    public URI fullSnapshotUri() {
        return URI.create(shardPath() + "/snapshot");
    }

    /** {@code POST} here, with a manifest, streams a partial snapshot of the shard. */
    public URI partialSnapshotUri() {
        return URI.create(shardPath() + "/snapshot/partial/create");
    }

    private String shardPath() {
        return baseUrl + "/collections/" + encodePathSegment(collection) + "/shards/" + shardId;
    }

    /** Everything but the API key, which is only said to be there. */
    @Override
    public String toString() {
        return "HttpSnapshotOptions[baseUrl=" + baseUrl + ", collection=" + collection + ", shardId=" + shardId
                + ", apiKey=" + (apiKey.isPresent() ? "(set)" : "(none)") + ", connectTimeout=" + connectTimeout
                + ", readTimeout=" + readTimeout + ", requestTimeout=" + requestTimeout + ", maxArchiveBytes="
                + maxArchiveBytes + ", sslContext=" + (sslContext.isPresent() ? "(custom)" : "(default)")
                + ", backoff=" + backoff + ", maxAttempts=" + maxAttempts + ", progressBytes=" + progressBytes
                + ", progressInterval=" + progressInterval + "]";
    }

    private static URI normalizeBaseUrl(URI url) {
        String scheme = url.getScheme() == null ? "" : url.getScheme().toLowerCase(Locale.ROOT);
        if (!scheme.equals("http") && !scheme.equals("https")) {
            throw new IllegalArgumentException("snapshot source base URL must be an http or https URL, got "
                    + url);
        }
        if (url.getHost() == null) {
            throw new IllegalArgumentException("snapshot source base URL " + url + " has no host");
        }
        if (url.getRawUserInfo() != null) {
            throw new IllegalArgumentException("snapshot source base URL must not hold user info; give the API"
                    + " key as apiKey (got a URL for host " + url.getHost() + ")");
        }
        if (url.getRawQuery() != null || url.getRawFragment() != null) {
            throw new IllegalArgumentException("snapshot source base URL must not have a query or fragment, got "
                    + url);
        }
        String path = url.getRawPath() == null ? "" : url.getRawPath();
        while (path.endsWith("/")) {
            path = path.substring(0, path.length() - 1);
        }
        return URI.create(scheme + "://" + url.getRawAuthority() + path);
    }

    private static void checkApiKey(String key) {
        if (key.isBlank()) {
            throw new IllegalArgumentException("snapshot source API key must not be blank (leave it unset for a"
                    + " server without authentication)");
        }
        for (int i = 0; i < key.length(); i++) {
            char c = key.charAt(i);
            if (c < 0x21 || c > 0x7e) {
                throw new IllegalArgumentException("snapshot source API key may hold only visible ASCII"
                        + " characters; it has one at index " + i);
            }
        }
    }

    private static void requirePositive(String name, Duration value) {
        Objects.requireNonNull(value, name);
        if (value.isNegative() || value.isZero()) {
            throw new IllegalArgumentException("snapshot source " + name + " must be positive, got " + value);
        }
    }

    /** RFC 3986 percent-encoding of one path segment: everything but unreserved characters, as UTF-8. */
    static String encodePathSegment(String segment) {
        StringBuilder out = new StringBuilder();
        for (byte b : segment.getBytes(StandardCharsets.UTF_8)) {
            int c = b & 0xff;
            if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-' || c == '.'
                    || c == '_' || c == '~') {
                out.append((char) c);
            } else {
                out.append('%').append(Character.toUpperCase(Character.forDigit(c >> 4, 16)))
                        .append(Character.toUpperCase(Character.forDigit(c & 0xf, 16)));
            }
        }
        return out.toString();
    }

    /** Sets the optional values of {@link HttpSnapshotOptions}; {@link #build()} checks them. */
    public static final class Builder {

        private final URI baseUrl;
        private final String collection;
        private final int shardId;
        private Optional<String> apiKey = Optional.empty();
        private Duration connectTimeout = DEFAULT_CONNECT_TIMEOUT;
        private Duration readTimeout = DEFAULT_READ_TIMEOUT;
        private Duration requestTimeout = DEFAULT_REQUEST_TIMEOUT;
        private long maxArchiveBytes = DEFAULT_MAX_ARCHIVE_BYTES;
        private Optional<SSLContext> sslContext = Optional.empty();
        private Backoff backoff = DEFAULT_BACKOFF;
        private int maxAttempts = DEFAULT_MAX_ATTEMPTS;
        private long progressBytes = DEFAULT_PROGRESS_BYTES;
        private Duration progressInterval = DEFAULT_PROGRESS_INTERVAL;

        private Builder(URI baseUrl, String collection, int shardId) {
            this.baseUrl = baseUrl;
            this.collection = collection;
            this.shardId = shardId;
        }

        /** Sends {@code api-key: key}; {@code null} sends none. */
        public Builder apiKey(String key) {
            this.apiKey = Optional.ofNullable(key);
            return this;
        }

        public Builder connectTimeout(Duration timeout) {
            this.connectTimeout = timeout;
            return this;
        }

        public Builder readTimeout(Duration timeout) {
            this.readTimeout = timeout;
            return this;
        }

        public Builder requestTimeout(Duration timeout) {
            this.requestTimeout = timeout;
            return this;
        }

        public Builder maxArchiveBytes(long bytes) {
            this.maxArchiveBytes = bytes;
            return this;
        }

        /** The TLS context for an https URL; {@code null} uses the JDK's default. */
        public Builder sslContext(SSLContext context) {
            this.sslContext = Optional.ofNullable(context);
            return this;
        }

        public Builder backoff(Backoff backoff) {
            this.backoff = backoff;
            return this;
        }

        public Builder maxAttempts(int attempts) {
            this.maxAttempts = attempts;
            return this;
        }

        /** Logs progress each {@code bytes} bytes or each {@code interval}, whichever comes first. */
        public Builder progress(long bytes, Duration interval) {
            this.progressBytes = bytes;
            this.progressInterval = interval;
            return this;
        }

        /** @throws IllegalArgumentException naming the value that is wrong */
        public HttpSnapshotOptions build() {
            return new HttpSnapshotOptions(baseUrl, collection, shardId, apiKey, connectTimeout, readTimeout,
                    requestTimeout, maxArchiveBytes, sslContext, backoff, maxAttempts, progressBytes,
                    progressInterval);
        }
    }
}
