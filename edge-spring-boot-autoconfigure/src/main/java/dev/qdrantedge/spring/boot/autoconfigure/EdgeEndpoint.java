package dev.qdrantedge.spring.boot.autoconfigure;

import dev.qdrantedge.engine.sync.EdgeStore;
import dev.qdrantedge.engine.sync.OutboxEntry;
import dev.qdrantedge.engine.sync.OutboxState;
import dev.qdrantedge.engine.sync.OutboxStats;
import dev.qdrantedge.engine.sync.PublisherStats;
import dev.qdrantedge.engine.sync.RefreshResult;
import dev.qdrantedge.engine.sync.StoreStatus;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ExecutionException;
import org.jspecify.annotations.Nullable;
import org.springframework.boot.actuate.endpoint.InvalidEndpointRequestException;
import org.springframework.boot.actuate.endpoint.annotation.DeleteOperation;
import org.springframework.boot.actuate.endpoint.annotation.Endpoint;
import org.springframework.boot.actuate.endpoint.annotation.ReadOperation;
import org.springframework.boot.actuate.endpoint.annotation.Selector;
import org.springframework.boot.actuate.endpoint.annotation.WriteOperation;

/**
 * The actuator endpoint {@code qdrantedge}: the edge store's state, and what an operator does about it.
 *
 * <ul>
 *   <li>{@code GET /actuator/qdrantedge}: the store (points on both sides), the outbox's counts, the publisher's
 *       deliveries and the mirror's last refresh;</li>
 *   <li>{@code GET /actuator/qdrantedge/dead} (or {@code /pending}): up to {@value #LIST_LIMIT} outbox entries in that
 *       state, oldest first, with their errors;</li>
 *   <li>{@code POST /actuator/qdrantedge/refresh}: refreshes the mirror now and answers how it went;</li>
 *   <li>{@code POST /actuator/qdrantedge/resubmit}: makes every dead entry pending again, or only the one named by a
 *       JSON body {@code {"seq": 12}};</li>
 *   <li>{@code DELETE /actuator/qdrantedge/dead/{seq}}: purges a dead entry for good (its local effect is
 *       dropped at the next refresh, when the mirror's copy wins).</li>
 * </ul>
 *
 * Like every endpoint it must be exposed ({@code management.endpoints.web.exposure.include=qdrantedge}); its write
 * and delete operations change the outbox, so expose it only to operators.
 */
@Endpoint(id = "qdrantedge")
public class EdgeEndpoint {

    /** The most entries a listing shows. */
    static final int LIST_LIMIT = 1000;

    private final EdgeStore store;
    private final EdgeOutboxDelivery delivery;
    private final EdgeMirrorRefresher refresher;

    /**
     * @param delivery the outbox delivery, or {@code null} without a server
     * @param refresher the mirror refresher, or {@code null} without sync
     */
    public EdgeEndpoint(EdgeStore store, EdgeOutboxDelivery delivery, EdgeMirrorRefresher refresher) {
        this.store = Objects.requireNonNull(store, "store");
        this.delivery = delivery;
        this.refresher = refresher;
    }

    /** The store, the outbox, the publisher and the refresher. */
    @ReadOperation
    public Map<String, Object> status() {
        StoreStatus status = store.status();
        Map<String, Object> out = new LinkedHashMap<>();
        Map<String, Object> storeDetails = new LinkedHashMap<>();
        storeDetails.put("path", store.directory().toString());
        storeDetails.put("localPoints", status.localPoints());
        storeDetails.put("mirrorPoints", status.mirrorPoints());
        storeDetails.put("mirrorPresent", status.mirrorPresent());
        storeDetails.put("shadowedPoints", status.shadowedPoints());
        out.put("store", storeDetails);
        out.put("outbox", outbox(status.outbox()));
        if (delivery != null) {
            out.put("publisher", delivery.stats().map(EdgeEndpoint::publisher).orElse(Map.of("running", false)));
        }
        if (refresher != null) {
            Map<String, Object> sync = new LinkedHashMap<>();
            status.lastRefresh().ifPresent(r -> sync.put("lastRefresh", refresh(r)));
            status.lastRefreshFailedAt().ifPresent(t -> sync.put("lastFailureAt", t.toString()));
            status.lastRefreshError().ifPresent(e -> sync.put("lastError", e));
            EdgeMirrorRefresher.Stats stats = refresher.stats();
            sync.put("running", stats.running());
            sync.put("refreshes", stats.refreshes());
            sync.put("failures", stats.failures());
            sync.put("consecutiveFailures", stats.consecutiveFailures());
            sync.put("bytesDownloaded", stats.totalBytes());
            out.put("sync", sync);
        }
        return out;
    }

    /** The outbox entries in {@code state} ({@code dead} or {@code pending}), oldest first. */
    @ReadOperation
    public List<Map<String, Object>> entries(@Selector String state) {
        OutboxState wanted = state(state);
        List<Map<String, Object>> out = new ArrayList<>();
        for (OutboxEntry entry : store.outbox().list(wanted, 0, LIST_LIMIT)) {
            Map<String, Object> e = new LinkedHashMap<>();
            e.put("seq", entry.seq());
            e.put("createdAt", entry.createdAt().toString());
            e.put("operation", store.outbox().operation(entry.seq()).variant());
            e.put("points", entry.pointIds().stream().map(Object::toString).toList());
            e.put("attempts", entry.attempts());
            entry.lastError().ifPresent(error -> e.put("error", error));
            out.add(e);
        }
        return out;
    }

    /**
     * {@code refresh}: refreshes the mirror now; {@code resubmit}: makes dead entries pending again (only
     * {@code seq} when given).
     */
    @WriteOperation
    public Map<String, Object> act(@Selector String action, @Nullable Long seq) {
        switch (action.toLowerCase(Locale.ROOT)) {
            case "refresh":
                return refresh();
            case "resubmit":
                return resubmit(seq);
            default:
                throw new InvalidEndpointRequestException("unknown action '" + action
                        + "': POST refresh or resubmit", "unknown action");
        }
    }

    /** Purges the dead entry {@code seq}: it is never delivered. */
    @DeleteOperation
    public Map<String, Object> purge(@Selector String state, @Selector long seq) {
        if (state(state) != OutboxState.DEAD) {
            throw new InvalidEndpointRequestException("only dead entries can be purged: DELETE dead/" + seq,
                    "not dead");
        }
        try {
            store.outbox().purge(seq);
        } catch (IllegalArgumentException | IllegalStateException e) {
            throw new InvalidEndpointRequestException(e.getMessage(), "cannot purge");
        }
        return Map.of("purged", seq);
    }

    private Map<String, Object> refresh() {
        if (refresher == null) {
            throw new InvalidEndpointRequestException("the mirror is not synced: no server is configured, or"
                    + " qdrant.edge.sync.enabled=false", "sync disabled");
        }
        Map<String, Object> out = new LinkedHashMap<>();
        try {
            RefreshResult result = refresher.triggerRefresh().get();
            out.put("refreshed", true);
            out.putAll(refresh(result));
        } catch (ExecutionException e) {
            Throwable cause = e.getCause() == null ? e : e.getCause();
            out.put("refreshed", false);
            out.put("error", cause.getMessage() == null ? cause.getClass().getName() : cause.getMessage());
        } catch (IllegalStateException e) {
            throw new InvalidEndpointRequestException(e.getMessage(), "refresher not running");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            out.put("refreshed", false);
            out.put("error", "interrupted while waiting for the refresh");
        }
        return out;
    }

    private Map<String, Object> resubmit(Long seq) {
        try {
            if (seq == null) {
                return Map.of("resubmitted", store.outbox().resubmitAllDead());
            }
            store.outbox().resubmit(seq);
            return Map.of("resubmitted", 1, "seq", seq);
        } catch (IllegalArgumentException | IllegalStateException e) {
            throw new InvalidEndpointRequestException(e.getMessage(), "cannot resubmit");
        } finally {
            if (delivery != null) {
                delivery.drainNow();
            }
        }
    }

    private static OutboxState state(String state) {
        switch (state.toLowerCase(Locale.ROOT)) {
            case "dead":
                return OutboxState.DEAD;
            case "pending":
                return OutboxState.PENDING;
            default:
                throw new InvalidEndpointRequestException("unknown outbox state '" + state + "': dead or pending",
                        "unknown state");
        }
    }

    private static Map<String, Object> outbox(OutboxStats stats) {
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("backlog", stats.backlog());
        out.put("pending", stats.pending());
        out.put("inFlight", stats.inFlight());
        out.put("delivered", stats.delivered());
        out.put("dead", stats.dead());
        out.put("reflected", stats.reflected());
        stats.oldestPendingAge().ifPresent(age -> out.put("oldestPendingAge", age.toString()));
        out.put("nextSeq", stats.nextSeq());
        out.put("fileBytes", stats.fileBytes());
        return out;
    }

    private static Map<String, Object> publisher(PublisherStats stats) {
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("running", stats.running());
        out.put("deliveredEntries", stats.deliveredEntries());
        out.put("deliveredBatches", stats.deliveredBatches());
        out.put("failedAttempts", stats.failedAttempts());
        out.put("deadLettered", stats.deadLettered());
        stats.lastDeliveryAt().ifPresent(t -> out.put("lastDeliveryAt", t.toString()));
        stats.lastError().ifPresent(e -> out.put("lastError", e));
        return out;
    }

    private static Map<String, Object> refresh(RefreshResult result) {
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("kind", result.kind().name());
        out.put("bytes", result.bytes());
        out.put("durationMillis", result.duration().toMillis());
        out.put("entriesReflected", result.entriesReflected());
        out.put("pointsDropped", result.pointsDropped());
        out.put("finishedAt", result.finishedAt().toString());
        return out;
    }
}
