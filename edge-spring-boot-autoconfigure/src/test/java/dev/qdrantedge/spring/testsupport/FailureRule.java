package dev.qdrantedge.spring.testsupport;

import io.grpc.Status;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Predicate;

/**
 * A failure a {@link FakeQdrantServer} injects: requests matching {@code when} are answered with
 * {@code status} and not applied, at most {@code limit} times. Close it to stop failing.
 */
public final class FailureRule implements AutoCloseable {

    private final FakeQdrantServer server;
    private final Predicate<ReceivedRequest> when;
    private final Status status;
    private final AtomicInteger remaining;
    private final AtomicInteger failures = new AtomicInteger();

    FailureRule(FakeQdrantServer server, Predicate<ReceivedRequest> when, Status status, int limit) {
        this.server = server;
        this.when = when;
        this.status = status;
        this.remaining = new AtomicInteger(limit);
    }

    /** The status to answer {@code request} with, or null when this rule lets it pass. */
    Status apply(ReceivedRequest request) {
        if (!when.test(request)) {
            return null;
        }
        while (true) {
            int left = remaining.get();
            if (left == 0) {
                return null;
            }
            if (remaining.compareAndSet(left, left == Integer.MAX_VALUE ? left : left - 1)) {
                failures.incrementAndGet();
                return status;
            }
        }
    }

    /** How many requests this rule failed so far. */
    public int failures() {
        return failures.get();
    }

    /** Stops this rule. */
    @Override
    public void close() {
        server.remove(this);
    }
}
