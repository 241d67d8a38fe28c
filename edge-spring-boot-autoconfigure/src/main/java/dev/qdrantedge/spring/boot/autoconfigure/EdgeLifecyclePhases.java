package dev.qdrantedge.spring.boot.autoconfigure;

import org.springframework.context.SmartLifecycle;

/**
 * The {@link SmartLifecycle} phase of the edge's background work (outbox delivery, mirror refresh): below the web
 * server's phases, so it starts before the server takes requests and stops after the server's graceful shutdown
 * (writes accepted until then are delivered), and, like every lifecycle bean, before the store is closed.
 */
final class EdgeLifecyclePhases {

    /** Spring Boot's web server stops at {@code DEFAULT_PHASE - 2048}; this is lower. */
    static final int BACKGROUND_WORK = SmartLifecycle.DEFAULT_PHASE - 4096;

    private EdgeLifecyclePhases() {
    }
}
