package dev.qdrantedge.engine.sync;

import java.io.IOException;
import java.net.URI;
import java.util.Objects;
import java.util.OptionalInt;

/**
 * A snapshot download that failed, after all the attempts it was worth: {@link #reason()} says why, the
 * message names the request (method and URL), the HTTP status and the server's own error text when there
 * was one. No archive file is left behind.
 */
public final class SnapshotDownloadException extends IOException {

    private static final long serialVersionUID = 1L;

    /** Why a download failed. */
    public enum Reason {
        /** The server could not be reached, or the connection broke before the archive was complete. */
        NETWORK(true),
        /** No connection in time, no response in time, the body stalled, or the whole request took too long. */
        TIMED_OUT(true),
        /** The server answered 5xx or 429 (overloaded, rate limited, shard unavailable) every time. */
        SERVER_ERROR(true),
        /** The server refused the request (4xx: bad API key, missing collection or shard, bad manifest ...). */
        REJECTED(false),
        /** A status the endpoint does not answer with (a redirect, 304 to a full download, another 2xx). */
        UNEXPECTED_RESPONSE(false),
        /** The archive is larger than the configured maximum (announced or while streaming). */
        TOO_LARGE(false),
        /** The TLS handshake failed on the server's certificate (untrusted, expired, wrong host name). */
        TLS(false),
        /** The archive file could not be created or written in the target directory. */
        STORAGE(false);

        private final boolean transientFailure;

        Reason(boolean transientFailure) {
            this.transientFailure = transientFailure;
        }

        /** Whether the same request may succeed later (it was retried, and a later sync round may retry it). */
        public boolean isTransient() {
            return transientFailure;
        }
    }

    private final Reason reason;
    private final transient URI uri;
    private final int status;
    private final int attempts;

    /**
     * @param status the HTTP status of the last response, or 0 when there was none
     * @param attempts how many requests were made
     */
    public SnapshotDownloadException(Reason reason, URI uri, int status, int attempts, String message,
            Throwable cause) {
        super(message, cause);
        this.reason = Objects.requireNonNull(reason, "reason");
        this.uri = Objects.requireNonNull(uri, "uri");
        this.status = status;
        this.attempts = attempts;
    }

    public Reason reason() {
        return reason;
    }

    /** Whether the same request may succeed later; see {@link Reason#isTransient()}. */
    public boolean isTransient() {
        return reason.isTransient();
    }

    /** The URL requested. */
    public URI uri() {
        return uri;
    }

    /** The HTTP status of the last response, when the server sent one. */
    public OptionalInt statusCode() {
        return status == 0 ? OptionalInt.empty() : OptionalInt.of(status);
    }

    /** How many requests were made before giving up. */
    public int attempts() {
        return attempts;
    }
}
