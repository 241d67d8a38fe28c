package dev.qdrantedge.spring.sync;

import static org.assertj.core.api.Assertions.fail;

import dev.qdrantedge.spring.testsupport.ReceivedRequest;
import io.qdrant.client.grpc.Points;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Predicate;

/**
 * Checks the order in which a server applied operations against the order in which a store accepted them:
 * the operations of the applied requests, one after the other, are the accepted operations, each once and in
 * order, except that the first request of a restarted client may deliver the last applied batch again (the
 * store did not record its acknowledgement before it went down), whole and followed by new operations at most.
 * Per point, the server thus applied the operations naming it in the accepted order; a redelivered batch comes
 * right after itself and so leaves the points as they were after its first delivery (Qdrant's point operations
 * are idempotent when replayed in order).
 */
final class DeliveryOrder {

    /**
     * A request the server applied.
     *
     * @param sequence its arrival number
     * @param client the application instance that sent it (a restart makes a new one)
     * @param marks the marks of its operations, in order
     */
    record Applied(long sequence, String client, List<OperationMarks.Mark> marks) {
    }

    /**
     * What the check found.
     *
     * @param requests the applied requests
     * @param redeliveries the requests that delivered a batch again
     * @param redeliveredOperations the operations delivered a second time
     */
    record Result(int requests, int redeliveries, int redeliveredOperations) {
    }

    private DeliveryOrder() {
    }

    /**
     * The {@code UpdateBatch} requests among {@code requests} that were not {@code failed} (a request the
     * fake server failed was not applied), each with the instance that sent it ({@link SyncApp#instanceOf}).
     */
    static List<Applied> applied(List<ReceivedRequest> requests, Predicate<ReceivedRequest> failed) {
        List<Applied> out = new ArrayList<>();
        for (ReceivedRequest r : requests) {
            if (r.request() instanceof Points.UpdateBatchPoints batch && !failed.test(r)) {
                out.add(new Applied(r.sequence(), SyncApp.instanceOf(r), OperationMarks.of(batch)));
            }
        }
        return out;
    }

    /**
     * Checks {@code applied} against {@code accepted} (see the class comment).
     *
     * @throws AssertionError naming the first request out of order, or the first accepted operation missing
     */
    static Result check(List<OperationMarks.Mark> accepted, List<Applied> applied) {
        int next = 0; // the accepted operation due next
        int lastStart = -1; // where the last applied request started
        String lastClient = null;
        int redeliveries = 0;
        int repeated = 0;
        for (Applied r : applied) {
            int size = r.marks().size();
            int start;
            if (matches(accepted, next, r.marks())) {
                start = next;
            } else if (!r.client().equals(lastClient) && lastStart >= 0 && matches(accepted, lastStart, r.marks())) {
                start = lastStart;
                if (start + size < next) {
                    fail("request " + r.sequence() + " from " + r.client() + " delivered accepted operations "
                            + start + "-" + (start + size - 1) + " again, part of the batch " + start + "-"
                            + (next - 1) + " only");
                }
                redeliveries++;
                repeated += next - start;
            } else {
                fail("request " + r.sequence() + " from " + r.client() + " carried " + r.marks()
                        + (next < accepted.size() ? " where accepted operation " + next + " was due: "
                                + accepted.get(next) : " after every accepted operation was applied")
                        + (r.client().equals(lastClient) ? "" : " (first request after a restart; the last batch"
                                + " started at operation " + lastStart + ")"));
                return null;
            }
            lastStart = start;
            next = start + size;
            lastClient = r.client();
        }
        if (next != accepted.size()) {
            fail("the server applied the first " + next + " of " + accepted.size() + " accepted operations only;"
                    + " missing from " + (next < accepted.size() ? accepted.get(next) : "-"));
        }
        return new Result(applied.size(), redeliveries, repeated);
    }

    private static boolean matches(List<OperationMarks.Mark> accepted, int from, List<OperationMarks.Mark> marks) {
        if (from + marks.size() > accepted.size()) {
            return false;
        }
        return accepted.subList(from, from + marks.size()).equals(marks);
    }
}
