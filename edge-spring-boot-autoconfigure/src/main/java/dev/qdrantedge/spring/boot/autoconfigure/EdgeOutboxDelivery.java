package dev.qdrantedge.spring.boot.autoconfigure;

import dev.qdrantedge.engine.sync.EdgeStore;
import dev.qdrantedge.engine.sync.OutboxPublisher;
import dev.qdrantedge.engine.sync.OutboxSink;
import dev.qdrantedge.engine.sync.PublisherOptions;
import dev.qdrantedge.engine.sync.PublisherStats;
import java.time.Clock;
import java.time.Duration;
import java.util.Objects;
import java.util.Optional;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.springframework.context.SmartLifecycle;

/**
 * Delivers the {@link EdgeStore}'s outbox to the server while the application runs: an {@link OutboxPublisher}
 * started when the context starts and stopped when it stops.
 *
 * <p>Stopping is graceful: the publisher first gets up to {@code qdrant.edge.outbox.drain-timeout} to deliver what
 * is pending (at once, without waiting for a backoff), then is stopped, which gives a delivery in progress as long
 * again; whatever is left stays in the outbox, durably, and is delivered after the next start. Its phase
 * ({@link EdgeLifecyclePhases#BACKGROUND_WORK}) makes it stop after the web server and before the store closes.
 * A stopped delivery can be started again (with a new publisher).
 */
public final class EdgeOutboxDelivery implements SmartLifecycle {

    private static final Log LOG = LogFactory.getLog(EdgeOutboxDelivery.class);

    private final EdgeStore store;
    private final OutboxSink sink;
    private final PublisherOptions options;
    private final Duration drainTimeout;
    private final Clock clock;
    private volatile OutboxPublisher publisher;

    /**
     * @param sink where entries go (wrapped for quick retries by the auto-configuration)
     * @param options batching and backoff; its stop timeout is what a delivery in progress gets on stop
     * @param drainTimeout how long stopping waits for the backlog to be delivered
     */
    public EdgeOutboxDelivery(EdgeStore store, OutboxSink sink, PublisherOptions options, Duration drainTimeout,
            Clock clock) {
        this.store = Objects.requireNonNull(store, "store");
        this.sink = Objects.requireNonNull(sink, "sink");
        this.options = Objects.requireNonNull(options, "options");
        this.drainTimeout = Objects.requireNonNull(drainTimeout, "drainTimeout");
        this.clock = Objects.requireNonNull(clock, "clock");
    }

    /** The sink entries are delivered to. */
    public OutboxSink sink() {
        return sink;
    }

    public PublisherOptions options() {
        return options;
    }

    @Override
    public synchronized void start() {
        if (publisher != null) {
            return;
        }
        OutboxPublisher started = new OutboxPublisher(store.outbox(), sink, options, clock);
        started.start();
        publisher = started;
        long backlog = store.outbox().backlog();
        if (backlog > 0) {
            LOG.info("Delivering " + backlog + " outbox entries written while the server was not reachable or the"
                    + " application was stopped");
        }
    }

    @Override
    public synchronized void stop() {
        OutboxPublisher running = publisher;
        if (running == null) {
            return;
        }
        try {
            if (store.outbox().backlog() > 0 && !drainTimeout.isZero()) {
                running.drainNow();
                if (!running.awaitDrained(drainTimeout)) {
                    LOG.warn(store.outbox().backlog() + " outbox entries were not delivered within "
                            + drainTimeout + " (qdrant.edge.outbox.drain-timeout); they stay in the outbox and are"
                            + " delivered after the next start");
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            running.stop();
            publisher = null;
        }
    }

    @Override
    public boolean isRunning() {
        return publisher != null;
    }

    @Override
    public int getPhase() {
        return EdgeLifecyclePhases.BACKGROUND_WORK;
    }

    /** What the running publisher has done since it started; empty while stopped. */
    public Optional<PublisherStats> stats() {
        OutboxPublisher running = publisher;
        return running == null ? Optional.empty() : Optional.of(running.stats());
    }

    /** Delivers what is pending now, without waiting for a linger time or a backoff delay. */
    public void drainNow() {
        OutboxPublisher running = publisher;
        if (running != null) {
            running.drainNow();
        }
    }

    /**
     * Waits until nothing is pending or in flight.
     *
     * @return whether that happened within {@code timeout}; false at once while stopped with a backlog
     */
    public boolean awaitDrained(Duration timeout) throws InterruptedException {
        OutboxPublisher running = publisher;
        if (running == null) {
            return store.outbox().backlog() == 0;
        }
        return running.awaitDrained(timeout);
    }
}
