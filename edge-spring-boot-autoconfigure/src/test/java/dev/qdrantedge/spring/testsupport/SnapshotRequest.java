package dev.qdrantedge.spring.testsupport;

import dev.qdrantedge.engine.snapshot.SnapshotManifest;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * One HTTP request the {@link FakeQdrantServer}'s REST side received, in arrival order.
 *
 * @param sequence the arrival number among the HTTP requests, from 1
 * @param method {@code GET}, {@code POST} ...
 * @param path the raw request path, e.g. {@code /collections/docs/shards/0/snapshot}
 * @param kind which endpoint the path names
 * @param headers the request headers, by lower-case name
 * @param manifest the manifest a partial snapshot request posted, when it parsed
 */
public record SnapshotRequest(long sequence, String method, String path, Kind kind, Map<String, List<String>> headers,
        Optional<SnapshotManifest> manifest) {

    /** Which endpoint a request is for. */
    public enum Kind {
        /** {@code GET /collections/{c}/shards/{s}/snapshot}: a full snapshot. */
        FULL,
        /** {@code POST /collections/{c}/shards/{s}/snapshot/partial/create}: a partial snapshot. */
        PARTIAL,
        /** Any other path. */
        OTHER
    }

    public SnapshotRequest {
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(manifest, "manifest");
        headers = Map.copyOf(headers);
    }

    /** The first value of a header (any case), or {@code null}. */
    public String header(String name) {
        List<String> values = headers.get(name.toLowerCase(Locale.ROOT));
        return values == null || values.isEmpty() ? null : values.get(0);
    }
}
