package dev.qdrantedge.spring.boot.autoconfigure;

import dev.qdrantedge.engine.sync.EdgeStore;
import dev.qdrantedge.engine.sync.OutboxStats;
import dev.qdrantedge.engine.sync.RefreshResult;
import dev.qdrantedge.engine.sync.StoreStatus;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.HealthIndicator;

/**
 * The health of the edge store and of its sync, as the {@code qdrantEdge} health contributor:
 *
 * <ul>
 *   <li><b>DOWN</b>: the store cannot be read (it is closed, or its status cannot be taken).</li>
 *   <li><b>OUT_OF_SERVICE</b>: the store serves reads and takes writes, but does not keep in step with the server:
 *       the server does not answer its health check within {@code qdrant.edge.health.server-timeout}; or the last
 *       successful mirror refresh (or the refresher's start, before the first) is older than
 *       {@code max-refresh-age}; or more than {@code max-backlog} outbox entries wait for delivery; or more than
 *       {@code max-dead-entries} entries are dead. The {@code problems} detail says which.</li>
 *   <li><b>UP</b> otherwise; without a server only the store and the outbox count.</li>
 * </ul>
 *
 * The details show the points of both sides, the outbox's counts, the last refresh and the server's version.
 */
public final class EdgeHealthIndicator implements HealthIndicator {

    /** Asks the server for its version: Qdrant's gRPC health check. */
    @FunctionalInterface
    public interface ServerPing {

        /**
         * @return the server's version
         * @throws Exception when the server does not answer within {@code timeout}
         */
        String version(Duration timeout) throws Exception;
    }

    private final EdgeStore store;
    private final EdgeProperties.Health thresholds;
    private final EdgeMirrorRefresher refresher;
    private final ServerPing server;
    private final Clock clock;

    /**
     * @param refresher the mirror refresher, or {@code null} without sync
     * @param server the server's health check, or {@code null} without a server
     */
    public EdgeHealthIndicator(EdgeStore store, EdgeProperties.Health thresholds, EdgeMirrorRefresher refresher,
            ServerPing server, Clock clock) {
        this.store = Objects.requireNonNull(store, "store");
        this.thresholds = Objects.requireNonNull(thresholds, "thresholds");
        this.refresher = refresher;
        this.server = server;
        this.clock = Objects.requireNonNull(clock, "clock");
    }

    @Override
    public Health health() {
        StoreStatus status;
        try {
            status = store.status();
        } catch (RuntimeException e) {
            return Health.down(e).withDetail("path", store.directory().toString()).build();
        }
        List<String> problems = new ArrayList<>();
        Map<String, Object> details = new LinkedHashMap<>();
        details.put("path", store.directory().toString());
        details.put("localPoints", status.localPoints());
        details.put("mirrorPoints", status.mirrorPoints());
        details.put("mirrorPresent", status.mirrorPresent());
        details.put("outbox", outbox(status.outbox(), problems));
        if (refresher != null) {
            details.put("sync", sync(status, problems));
        }
        if (server != null) {
            details.put("server", server(problems));
        }
        if (!problems.isEmpty()) {
            details.put("problems", problems);
        }
        return (problems.isEmpty() ? Health.up() : Health.outOfService()).withDetails(details).build();
    }

    private Map<String, Object> outbox(OutboxStats outbox, List<String> problems) {
        Map<String, Object> details = new LinkedHashMap<>();
        details.put("backlog", outbox.backlog());
        details.put("dead", outbox.dead());
        outbox.oldestPendingAge().ifPresent(age -> details.put("oldestPendingAge", age.toString()));
        if (outbox.backlog() > thresholds.getMaxBacklog()) {
            problems.add(outbox.backlog() + " outbox entries wait for delivery, more than "
                    + thresholds.getMaxBacklog() + " (qdrant.edge.health.max-backlog)");
        }
        if (outbox.dead() > thresholds.getMaxDeadEntries()) {
            problems.add(outbox.dead() + " outbox entries are dead (refused by the server), more than "
                    + thresholds.getMaxDeadEntries() + " (qdrant.edge.health.max-dead-entries): resubmit or purge them"
                    + " with the qdrantedge endpoint");
        }
        return details;
    }

    private Map<String, Object> sync(StoreStatus status, List<String> problems) {
        Map<String, Object> details = new LinkedHashMap<>();
        EdgeMirrorRefresher.Stats stats = refresher.stats();
        Optional<RefreshResult> last = status.lastRefresh();
        last.ifPresent(r -> {
            details.put("lastRefresh", r.finishedAt().toString());
            details.put("lastRefreshKind", r.kind().name());
        });
        status.lastRefreshError().ifPresent(e -> details.put("lastRefreshError", e));
        details.put("consecutiveFailures", stats.consecutiveFailures());
        Optional<Instant> since = last.map(RefreshResult::finishedAt).or(stats::startedAt);
        if (stats.running() && since.isPresent()) {
            Duration age = Duration.between(since.get(), clock.instant());
            details.put("lastRefreshAge", age.toString());
            if (age.compareTo(thresholds.getMaxRefreshAge()) > 0) {
                problems.add((last.isPresent() ? "the last successful mirror refresh was " + age + " ago"
                        : "no mirror refresh has succeeded in the " + age + " since start-up") + ", longer than "
                        + thresholds.getMaxRefreshAge() + " (qdrant.edge.health.max-refresh-age)"
                        + status.lastRefreshError().map(e -> ": " + e).orElse(""));
            }
        }
        return details;
    }

    private Map<String, Object> server(List<String> problems) {
        Map<String, Object> details = new LinkedHashMap<>();
        try {
            details.put("version", server.version(thresholds.getServerTimeout()));
            details.put("reachable", true);
        } catch (Exception e) {
            if (e instanceof InterruptedException) {
                Thread.currentThread().interrupt();
            }
            Throwable cause = e instanceof ExecutionException && e.getCause() != null ? e.getCause() : e;
            String reason = cause.getMessage() == null ? cause.getClass().getName() : cause.getMessage();
            details.put("reachable", false);
            details.put("error", reason);
            problems.add("the server did not answer its health check within "
                    + thresholds.getServerTimeout() + " (qdrant.edge.health.server-timeout): " + reason);
        }
        return details;
    }
}
