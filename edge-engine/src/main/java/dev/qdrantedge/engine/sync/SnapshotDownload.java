package dev.qdrantedge.engine.sync;

import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Objects;
import java.util.Optional;

/**
 * What one successful snapshot download fetched, for metrics and logs ({@link HttpSnapshotSource#lastDownload()}).
 *
 * @param kind full or partial
 * @param uri the URL requested
 * @param archive the archive written, empty when the server reported nothing changed (HTTP 304)
 * @param bytes the archive's size in bytes (0 for 304)
 * @param elapsed the time from the first request to the archive on the device, retries included
 * @param attempts how many requests it took, at least 1
 */
public record SnapshotDownload(Kind kind, URI uri, Optional<Path> archive, long bytes, Duration elapsed,
        int attempts) {

    /** Which endpoint was asked. */
    public enum Kind {
        FULL,
        PARTIAL
    }

    public SnapshotDownload {
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(uri, "uri");
        Objects.requireNonNull(archive, "archive");
        Objects.requireNonNull(elapsed, "elapsed");
    }

    /** Whether the server reported that nothing changed (HTTP 304), so no archive was written. */
    public boolean notModified() {
        return archive.isEmpty();
    }
}
