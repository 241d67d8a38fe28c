package dev.qdrantedge.spring.testsupport;

import java.util.Objects;

/**
 * How the {@link FakeQdrantServer}'s REST side answered one request, recorded once the answer was sent (or the
 * client went away).
 *
 * @param request what arrived
 * @param status the HTTP status answered: 200 with an archive, 304 for a partial request whose manifest is
 *     current, 401 for a missing or wrong API key, 404, 405, 400, or the status of an injected failure
 * @param bytes the bytes of the archive written to the client (0 without one; short when the client went away)
 */
public record SnapshotExchange(SnapshotRequest request, int status, long bytes) {

    public SnapshotExchange {
        Objects.requireNonNull(request, "request");
    }

    /** Which endpoint the request was for. */
    public SnapshotRequest.Kind kind() {
        return request.kind();
    }
}
