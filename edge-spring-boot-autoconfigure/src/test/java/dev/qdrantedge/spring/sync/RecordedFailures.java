package dev.qdrantedge.spring.sync;

import dev.qdrantedge.spring.testsupport.FailureRule;
import dev.qdrantedge.spring.testsupport.FakeQdrantServer;
import dev.qdrantedge.spring.testsupport.ReceivedRequest;
import io.grpc.Status;
import java.time.Duration;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Predicate;

/**
 * A failure injected into a {@link FakeQdrantServer} that remembers which requests it failed, so that a test
 * knows which of the recorded requests the server applied (a failed request is not applied).
 */
final class RecordedFailures implements AutoCloseable {

    private final Set<Long> failed = ConcurrentHashMap.newKeySet();
    private final FailureRule rule;
    private final long endNanos;

    private RecordedFailures(FakeQdrantServer server, Predicate<ReceivedRequest> which, Status status, long endNanos) {
        this.endNanos = endNanos;
        this.rule = server.failWhile(r -> {
            if (which.test(r)) {
                failed.add(r.sequence());
                return true;
            }
            return false;
        }, status);
    }

    /** An outage: every point and collection request fails with {@code status} for {@code duration} from now. */
    static RecordedFailures outage(FakeQdrantServer server, Duration duration, Status status) {
        long end = System.nanoTime() + duration.toNanos();
        return new RecordedFailures(server, r -> System.nanoTime() - end < 0, status, end);
    }

    /** Fails the requests {@code which} accepts with {@code status} until closed. */
    static RecordedFailures rejecting(FakeQdrantServer server, Predicate<ReceivedRequest> which, Status status) {
        return new RecordedFailures(server, which, status, Long.MAX_VALUE);
    }

    /** Whether {@code request} was failed by this rule. */
    boolean failed(ReceivedRequest request) {
        return failed.contains(request.sequence());
    }

    /** How many requests were failed so far. */
    int count() {
        return failed.size();
    }

    /** The arrival numbers of the requests failed so far. */
    Set<Long> sequences() {
        return Set.copyOf(failed);
    }

    /** Whether an outage is still on. */
    boolean ongoing() {
        return endNanos == Long.MAX_VALUE || System.nanoTime() - endNanos < 0;
    }

    /** Waits until an outage is over. */
    void awaitEnd() throws InterruptedException {
        if (endNanos == Long.MAX_VALUE) {
            throw new IllegalStateException("not an outage: these failures last until closed");
        }
        long left;
        while ((left = endNanos - System.nanoTime()) > 0) {
            Thread.sleep(Math.max(1, Math.min(left / 1_000_000, 1000)));
        }
    }

    @Override
    public void close() {
        rule.close();
    }
}
