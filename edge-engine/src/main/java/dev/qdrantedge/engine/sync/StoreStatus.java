package dev.qdrantedge.engine.sync;

import java.time.Instant;
import java.util.Objects;
import java.util.Optional;

/**
 * A snapshot of an {@link EdgeStore}'s state, for observability.
 *
 * @param outbox the outbox's counts: backlog, oldest pending age, dead entries, deliveries
 * @param localPoints points in the local shard (the application's writes not yet dropped as reflected)
 * @param mirrorPoints points in the mirror (0 before the first refresh)
 * @param mirrorPresent whether the mirror was bootstrapped
 * @param shadowedPoints ids whose local copy or deletion mark hides the mirror's copy
 * @param lastRefresh the last successful refresh, if any
 * @param lastRefreshFailedAt when the last refresh failed, if the last one failed
 * @param lastRefreshError why the last refresh failed, if it did
 */
public record StoreStatus(OutboxStats outbox, long localPoints, long mirrorPoints, boolean mirrorPresent,
        long shadowedPoints, Optional<RefreshResult> lastRefresh, Optional<Instant> lastRefreshFailedAt,
        Optional<String> lastRefreshError) {

    public StoreStatus {
        Objects.requireNonNull(outbox, "outbox");
        Objects.requireNonNull(lastRefresh, "lastRefresh");
        Objects.requireNonNull(lastRefreshFailedAt, "lastRefreshFailedAt");
        Objects.requireNonNull(lastRefreshError, "lastRefreshError");
    }
}
