package dev.qdrantedge.spring.boot.autoconfigure;

import dev.qdrantedge.engine.sync.EdgeStore;
import dev.qdrantedge.engine.sync.PublisherStats;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.FunctionTimer;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.TimeGauge;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.binder.MeterBinder;
import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.TimeUnit;
import java.util.function.ToDoubleFunction;
import java.util.function.ToLongFunction;

/**
 * The edge's Micrometer meters, bound to the application's registry:
 *
 * <ul>
 *   <li>{@value #SEARCH} (timer): searches through the repositories and the template ({@link #decorator()});</li>
 *   <li>{@value #OUTBOX_BACKLOG}, {@value #OUTBOX_DEAD} (gauges): outbox entries waiting for delivery (pending and in
 *       flight), and dead ones; {@value #OUTBOX_OLDEST_PENDING_AGE} (time gauge): how long the oldest waiting entry
 *       has waited (0 when none waits);</li>
 *   <li>with a server, {@value #OUTBOX_DELIVERED}, {@value #OUTBOX_FAILED_ATTEMPTS}, {@value #OUTBOX_DEAD_LETTERED}
 *       (counters): entries delivered, delivery attempts failed, entries dead-lettered, since start-up;</li>
 *   <li>with sync, {@value #REFRESH} (function timer): successful mirror refreshes and their time;
 *       {@value #REFRESH_FAILURES} (counter); {@value #REFRESH_BYTES} (counter, bytes): snapshot bytes
 *       downloaded.</li>
 * </ul>
 */
public final class EdgeMetrics implements MeterBinder {

    public static final String SEARCH = "qdrant.edge.search";
    public static final String OUTBOX_BACKLOG = "qdrant.edge.outbox.backlog";
    public static final String OUTBOX_DEAD = "qdrant.edge.outbox.dead";
    public static final String OUTBOX_OLDEST_PENDING_AGE = "qdrant.edge.outbox.oldest.pending.age";
    public static final String OUTBOX_DELIVERED = "qdrant.edge.outbox.delivered";
    public static final String OUTBOX_FAILED_ATTEMPTS = "qdrant.edge.outbox.failed.attempts";
    public static final String OUTBOX_DEAD_LETTERED = "qdrant.edge.outbox.dead.lettered";
    public static final String REFRESH = "qdrant.edge.refresh";
    public static final String REFRESH_FAILURES = "qdrant.edge.refresh.failures";
    public static final String REFRESH_BYTES = "qdrant.edge.refresh.bytes";

    private final EdgeStore store;
    private final EdgeOutboxDelivery delivery;
    private final EdgeMirrorRefresher refresher;
    private volatile Timer searches;

    /**
     * @param delivery the outbox delivery, or {@code null} without a server
     * @param refresher the mirror refresher, or {@code null} without sync
     */
    public EdgeMetrics(EdgeStore store, EdgeOutboxDelivery delivery, EdgeMirrorRefresher refresher) {
        this.store = Objects.requireNonNull(store, "store");
        this.delivery = delivery;
        this.refresher = refresher;
    }

    @Override
    public void bindTo(MeterRegistry registry) {
        searches = Timer.builder(SEARCH).description("Searches of the edge store through the repositories")
                .register(registry);
        Gauge.builder(OUTBOX_BACKLOG, store, s -> s.outbox().backlog())
                .description("Outbox entries waiting for delivery to the server (pending and in flight)")
                .register(registry);
        Gauge.builder(OUTBOX_DEAD, store, s -> s.outbox().deadCount())
                .description("Outbox entries the server refused, waiting to be resubmitted or purged")
                .register(registry);
        TimeGauge.builder(OUTBOX_OLDEST_PENDING_AGE, store, TimeUnit.MILLISECONDS,
                s -> s.outbox().oldestPendingAge().map(Duration::toMillis).orElse(0L))
                .description("How long the oldest outbox entry waiting for delivery has waited")
                .register(registry);
        if (delivery != null) {
            publisherCounter(registry, OUTBOX_DELIVERED, "Outbox entries delivered to the server",
                    PublisherStats::deliveredEntries);
            publisherCounter(registry, OUTBOX_FAILED_ATTEMPTS, "Outbox delivery attempts that failed",
                    PublisherStats::failedAttempts);
            publisherCounter(registry, OUTBOX_DEAD_LETTERED, "Outbox entries the server refused (dead-lettered)",
                    PublisherStats::deadLettered);
        }
        if (refresher != null) {
            FunctionTimer.builder(REFRESH, refresher, r -> r.stats().refreshes(),
                    r -> r.stats().totalTime().toNanos(), TimeUnit.NANOSECONDS)
                    .description("Successful refreshes of the mirror from the server's snapshots").register(registry);
            counter(registry, REFRESH_FAILURES, "Mirror refreshes that failed", r -> r.stats().failures(), null);
            counter(registry, REFRESH_BYTES, "Snapshot bytes downloaded by mirror refreshes",
                    r -> r.stats().totalBytes(), "bytes");
        }
    }

    private void publisherCounter(MeterRegistry registry, String name, String description,
            ToLongFunction<PublisherStats> value) {
        FunctionCounter.builder(name, delivery, d -> d.stats().map(value::applyAsLong).orElse(0L))
                .description(description).register(registry);
    }

    private void counter(MeterRegistry registry, String name, String description,
            ToDoubleFunction<EdgeMirrorRefresher> value, String unit) {
        FunctionCounter.builder(name, refresher, value).description(description).baseUnit(unit).register(registry);
    }

    /** Times the searches of the auto-configured template (and so of every repository). */
    public EdgeOperationsDecorator decorator() {
        return operations -> new TimedEdgeOperations(operations, () -> searches);
    }
}
