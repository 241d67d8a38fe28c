package dev.qdrantedge.spring.sync;

import static org.assertj.core.api.Assertions.fail;

import dev.qdrantedge.engine.sync.RestrictedOperations;
import dev.qdrantedge.spring.testsupport.ReceivedRequest;
import io.qdrant.client.grpc.Points;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Predicate;

/**
 * Checks the requests a server received against the order in which a store accepted the operations: the
 * operations of the requests, one after the other, are the accepted operations, each once and in order, but
 * for these repeats, each starting where the request before it started:
 * <ul>
 *   <li>the first request of a restarted client may deliver the last batch again (the store did not record
 *       its acknowledgement before it went down): whole, and followed by new operations at most;</li>
 *   <li>a request carrying one operation may repeat the start of the request before it: the publisher retrying
 *       a refused batch one operation at a time, or the sink sending an operation again without the listed
 *       points the server does not have (its mark then lists fewer points).</li>
 * </ul>
 * A request the server refused may have been applied up to the operation it refused, which the repeats then
 * deliver again in order. Per point, the server thus received the operations naming it in the accepted order,
 * a repeat right after the operations it repeats.
 *
 * <p>An operation the publisher handed over before goes again in its restricted form ({@link
 * RestrictedOperations}), or not at all when that selects no point: a received operation also matches an
 * accepted one when it is that one's restricted form, and accepted operations whose restricted form is
 * nothing may be passed over. (The check does not tell a first delivery from a repeat, so it would also pass
 * a publisher sending restricted forms first; the tests compare the server's points with a model besides.)
 */
final class DeliveryOrder {

    /**
     * A request the server received and did not fail by an injected failure (which the fake applies before
     * anything else): it was applied, or applied up to an operation the server refused.
     *
     * @param sequence its arrival number
     * @param client the application instance that sent it (a restart makes a new one)
     * @param marks the marks of its operations, in order
     */
    record Received(long sequence, String client, List<OperationMarks.Mark> marks) {
    }

    /**
     * What the check found.
     *
     * @param requests the requests checked
     * @param redeliveries the first requests of restarted clients that delivered the last batch again
     * @param redeliveredOperations the operations those delivered a second time
     * @param retries the one-operation requests that repeated the start of the request before them
     */
    record Result(int requests, int redeliveries, int redeliveredOperations, int retries) {
    }

    private DeliveryOrder() {
    }

    /**
     * The {@code UpdateBatch} requests among {@code requests} that were not {@code failed} (by an injected
     * failure), each with the instance that sent it ({@link SyncApp#instanceOf}).
     */
    static List<Received> received(List<ReceivedRequest> requests, Predicate<ReceivedRequest> failed) {
        List<Received> out = new ArrayList<>();
        for (ReceivedRequest r : requests) {
            if (r.request() instanceof Points.UpdateBatchPoints batch && !failed.test(r)) {
                out.add(new Received(r.sequence(), SyncApp.instanceOf(r), OperationMarks.of(batch)));
            }
        }
        return out;
    }

    /**
     * Checks {@code received} against {@code accepted} (see the class comment).
     *
     * @throws AssertionError naming the first request out of order, or the first accepted operation missing
     */
    static Result check(List<OperationMarks.Mark> accepted, List<Received> received) {
        return check(accepted, Map.of(), received);
    }

    /**
     * Checks {@code received} against {@code accepted}, whose restricted forms are {@code restricted} (an
     * empty mark list for one that sends nothing; operations missing there have none known).
     */
    static Result check(List<OperationMarks.Mark> accepted, Map<OperationMarks.Mark, Optional<OperationMarks.Mark>>
            restricted, List<Received> received) {
        int next = 0; // the accepted operation due next
        int lastStart = -1; // where the last request started
        String lastClient = null;
        int redeliveries = 0;
        int repeated = 0;
        int retries = 0;
        for (Received r : received) {
            int size = r.marks().size();
            boolean restarted = !r.client().equals(lastClient);
            int start;
            int end;
            if ((end = matches(accepted, restricted, next, r.marks())) >= 0) {
                start = next;
            } else if (lastStart >= 0 && (restarted || size == 1)
                    && (end = matches(accepted, restricted, lastStart, r.marks())) >= 0) {
                start = lastStart;
                if (restarted) {
                    while (end < next && sendsNothing(restricted, accepted.get(end))) {
                        end++; // the batch ended with operations restricted to nothing
                    }
                    if (end < next) {
                        fail("request " + r.sequence() + " from " + r.client() + " delivered accepted operations "
                                + start + "-" + (end - 1) + " again, part of the batch " + start + "-"
                                + (next - 1) + " only");
                    }
                    redeliveries++;
                    repeated += next - start;
                } else {
                    retries++;
                }
            } else {
                fail("request " + r.sequence() + " from " + r.client() + " carried " + r.marks()
                        + (next < accepted.size() ? " where accepted operation " + next + " was due: "
                                + accepted.get(next) : " after every accepted operation was delivered")
                        + (restarted ? " (first request after a restart; the last request started at operation "
                                + lastStart + ")" : ""));
                return null;
            }
            lastStart = start;
            next = end;
            lastClient = r.client();
        }
        while (next < accepted.size() && sendsNothing(restricted, accepted.get(next))) {
            next++;
        }
        if (next != accepted.size()) {
            fail("the server received the first " + next + " of " + accepted.size() + " accepted operations only;"
                    + " missing from " + (next < accepted.size() ? accepted.get(next) : "-"));
        }
        return new Result(received.size(), redeliveries, repeated, retries);
    }

    /**
     * Whether {@code marks} are those of the accepted operations from {@code from} on (see {@link
     * #sameOperation}), passing over operations whose restricted form sends nothing.
     *
     * @return the position after the last accepted operation matched, or -1 when they are not
     */
    private static int matches(List<OperationMarks.Mark> accepted,
            Map<OperationMarks.Mark, Optional<OperationMarks.Mark>> restricted, int from, List<OperationMarks.Mark> marks) {
        int p = from;
        for (OperationMarks.Mark mark : marks) {
            while (true) {
                if (p >= accepted.size()) {
                    return -1;
                }
                OperationMarks.Mark a = accepted.get(p);
                Optional<OperationMarks.Mark> r = restricted.get(a);
                if (sameOperation(a, mark) || r != null && r.isPresent() && sameRestricted(r.get(), mark)) {
                    p++;
                    break;
                }
                if (!sendsNothing(restricted, a)) {
                    return -1;
                }
                p++;
            }
        }
        return p;
    }

    private static boolean sendsNothing(Map<OperationMarks.Mark, Optional<OperationMarks.Mark>> restricted,
            OperationMarks.Mark accepted) {
        Optional<OperationMarks.Mark> r = restricted.get(accepted);
        return r != null && r.isEmpty();
    }

    /**
     * Whether a received operation is the accepted one: the same mark, or (sent again without points the server
     * lacks) the same kind, numbers and keys with some of its points.
     */
    private static boolean sameOperation(OperationMarks.Mark accepted, OperationMarks.Mark received) {
        if (accepted.equals(received)) {
            return true;
        }
        return !accepted.numbers().isEmpty() && accepted.kind().equals(received.kind())
                && accepted.numbers().equals(received.numbers()) && accepted.keys().equals(received.keys())
                && accepted.ids().containsAll(received.ids());
    }

    /**
     * Whether a received operation is a restricted form: the same mark, or (sent again without points the server
     * lacks) the same kind, numbers and keys with some of its points.
     */
    private static boolean sameRestricted(OperationMarks.Mark restricted, OperationMarks.Mark received) {
        return restricted.equals(received) || !received.ids().isEmpty() && restricted.kind().equals(received.kind())
                && restricted.numbers().equals(received.numbers()) && restricted.keys().equals(received.keys())
                && restricted.ids().containsAll(received.ids());
    }
}
