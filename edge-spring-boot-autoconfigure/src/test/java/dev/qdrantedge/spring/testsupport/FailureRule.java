package dev.qdrantedge.spring.testsupport;

import java.util.concurrent.atomic.AtomicInteger;

/**
 * A failure a {@link FakeQdrantServer} injects, into gRPC requests ({@link FakeQdrantServer#failNext} and its
 * siblings: answered with a gRPC status) or into snapshot downloads ({@link FakeQdrantServer#failSnapshotsNext}
 * and its siblings: answered with an HTTP status). The requests it matches are failed and not served, at most
 * its limit of times. Close it to stop failing.
 */
public final class FailureRule implements AutoCloseable {

    private final Runnable remover;
    private final AtomicInteger remaining;
    private final AtomicInteger failures = new AtomicInteger();

    /**
     * @param limit how many requests the rule fails at most; {@link Integer#MAX_VALUE} for no limit
     * @param remover takes the rule off its server's list
     */
    FailureRule(int limit, Runnable remover) {
        this.remaining = new AtomicInteger(limit);
        this.remover = remover;
    }

    /** Whether the rule fails a request it matched (counted as one failure), or has none left to give. */
    boolean fails() {
        while (true) {
            int left = remaining.get();
            if (left == 0) {
                return false;
            }
            if (remaining.compareAndSet(left, left == Integer.MAX_VALUE ? left : left - 1)) {
                failures.incrementAndGet();
                return true;
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
        remover.run();
    }
}
