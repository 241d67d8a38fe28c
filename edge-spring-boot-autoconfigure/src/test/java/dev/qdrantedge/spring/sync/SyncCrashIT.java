package dev.qdrantedge.spring.sync;

import dev.qdrantedge.engine.sync.RestrictedOperations;
import dev.qdrantedge.engine.sync.OutboxState;
import dev.qdrantedge.engine.sync.OutboxEntry;
import dev.qdrantedge.engine.sync.OutboxLog;
import java.time.Clock;
import java.util.Optional;
import java.util.HashMap;
import static dev.qdrantedge.spring.sync.SyncFixtures.COLLECTION;
import static dev.qdrantedge.spring.sync.SyncFixtures.config;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import dev.qdrantedge.engine.idtracker.PointId;
import dev.qdrantedge.engine.operation.UpdateOperation;
import dev.qdrantedge.engine.shard.EdgeShard;
import dev.qdrantedge.engine.shard.PointNotFoundException;
import dev.qdrantedge.engine.sync.EdgeStore;
import dev.qdrantedge.engine.sync.StoreStatus;
import dev.qdrantedge.engine.testing.ChildJvm;
import dev.qdrantedge.engine.wal.WalEntry;
import dev.qdrantedge.engine.wal.WalRecordDecoder;
import dev.qdrantedge.spring.testsupport.FakeQdrantServer;
import dev.qdrantedge.spring.testsupport.ReceivedRequest;
import io.grpc.Status;
import io.qdrant.client.grpc.Points;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Predicate;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Real process deaths of an application that syncs over gRPC: a child JVM ({@link SyncCrashChild}) writes
 * mixed operations to a store in a fixed directory while its publisher delivers them through a
 * {@code QdrantOutboxSink} to the {@link FakeQdrantServer} on a loopback TCP port of this JVM, and is killed
 * with SIGKILL at random moments, many times over the same directory: while it writes, while batches are
 * delivered, and while the server holds a batch (a latency of its own, so that the batch is in flight when
 * the client dies and is applied after). Some runs meet a short outage ({@code UNAVAILABLE}); every tenth
 * run the server itself is restarted (same shard directory, same port). Then a last child starts without
 * writing and drains the outbox.
 *
 * <p>A write is accepted when {@code update} returned (the child printed its acknowledgement); the one write
 * in flight at each kill may or may not be, and counts as accepted exactly when the server received it. Then:
 * <ul>
 *   <li>the store, as opened after the last kill and again after the drain, reads exactly as a model shard
 *       that applied the accepted writes in order: no accepted write is missing locally, and the write in
 *       flight is there exactly when it is accepted;</li>
 *   <li>the server holds the same points;</li>
 *   <li>the requests the server received carried exactly the accepted writes, in order, each once but for
 *       whole-batch redeliveries by a restarted child and the retries they cause ({@link DeliveryOrder}):
 *       nothing unaccepted reached the server, and nothing accepted is missing there;</li>
 *   <li>nothing is left to deliver, nothing is dead.</li>
 * </ul>
 *
 * <p>System properties: {@code sync.crash.runs} (default 30), {@code sync.crash.seed}.
 */
class SyncCrashIT {

    private static final Duration LATENCY = Duration.ofMillis(150);

    @TempDir
    Path temp;

    private enum Outcome { ACKED, REFUSED, UNKNOWN }

    private record Write(long number, UpdateOperation operation, OperationMarks.Mark mark, Outcome outcome) {
    }

    private FakeQdrantServer server;
    private final List<RecordedFailures> failures = new ArrayList<>();
    private final List<DeliveryOrder.Received> received = new ArrayList<>();

    @Test
    void acceptedWritesReachTheStoreAndTheServerInOrderAndNothingElseDoesWhateverTheKill() throws Exception {
        int runs = Integer.getInteger("sync.crash.runs", 30);
        Random random = new Random(Long.getLong("sync.crash.seed", 1_234L));
        Path storeDir = temp.resolve("store");
        Path serverDir = temp.resolve("server");
        List<Write> writes = new ArrayList<>();
        // each outbox entry's restricted form (how a restarted child delivers it again), read after every kill
        Map<OperationMarks.Mark, Optional<OperationMarks.Mark>> restricted = new HashMap<>();
        int inFlightKills = 0;
        int outages = 0;
        int serverRestarts = 0;
        long started = System.nanoTime();
        server = FakeQdrantServer.builder(COLLECTION, config()).directory(serverDir).tcp().start();
        int port = server.port();
        try {
            for (int run = 0; run < runs; run++) {
                if (run > 0 && run % 10 == 0) {
                    restartServer(serverDir, port);
                    serverRestarts++;
                }
                String instance = "run-" + run;
                boolean inFlight = run % 3 == 1;
                server.latency(inFlight ? LATENCY : Duration.ZERO);
                ChildJvm child = ChildJvm.start(temp, SyncCrashChild.class, List.of("write", storeDir.toString(),
                        server.host(), Integer.toString(port), instance, Long.toString(run * 1_000_000L),
                        Long.toString(random.nextLong())));
                child.awaitLine(l -> l.equals("READY"), "READY");
                if (run % 5 == 3) {
                    LockSupport.parkNanos(random.nextInt(100) * 1_000_000L);
                    failures.add(RecordedFailures.outage(server, Duration.ofMillis(100 + random.nextInt(300)),
                            Status.UNAVAILABLE.withDescription("restarting")));
                    outages++;
                }
                if (inFlight) {
                    // Kill while the server holds one of this child's batches: it is applied after the client died.
                    server.awaitRequests(r -> SyncApp.instanceOf(r).equals(instance)
                            && r.request() instanceof Points.UpdateBatchPoints, 1 + random.nextInt(4),
                            Duration.ofSeconds(30));
                    LockSupport.parkNanos(random.nextInt((int) LATENCY.toMillis() - 20) * 1_000_000L);
                    inFlightKills++;
                } else {
                    LockSupport.parkNanos((50 + random.nextInt(600)) * 1_000_000L);
                }
                List<String> lines = child.kill();
                writes.addAll(parse(lines, instance));
                readRestrictions(storeDir, restricted);
                if (inFlight) {
                    // The batch the server held is applied before the next process starts to deliver.
                    Thread.sleep(LATENCY.toMillis() + 200);
                }
                closeFailures();
            }
            server.latency(Duration.ZERO);

            Map<PointId, String> afterLastKill;
            try (EdgeStore store = EdgeStore.open(storeDir, config(), SyncFixtures.storeOptions())) {
                afterLastKill = PointsView.of(store);
            }
            ChildJvm drain = ChildJvm.start(temp, SyncCrashChild.class, List.of("drain", storeDir.toString(),
                    server.host(), Integer.toString(port), "drain"));
            assertThat(drain.awaitLine(l -> l.startsWith("DRAINED"), "the drain")).isEqualTo("DRAINED 0 0");
            drain.awaitExit();
            Map<PointId, String> drained;
            StoreStatus status;
            try (EdgeStore store = EdgeStore.open(storeDir, config(), SyncFixtures.storeOptions())) {
                drained = PointsView.of(store);
                status = store.status();
            }
            Map<PointId, String> onServer = PointsView.of(server.shard());
            collectReceived();

            List<OperationMarks.Mark> accepted = accepted(writes, restricted);
            Map<PointId, String> expected = model(writes, accepted);
            assertThat(afterLastKill).as("the store opened after the last kill reads every accepted write and"
                    + " nothing else").isEqualTo(expected);
            assertThat(drained).as("the store after the drain").isEqualTo(expected);
            assertThat(onServer).as("the server holds what the accepted writes made").isEqualTo(expected);
            DeliveryOrder.Result order = DeliveryOrder.check(accepted, restricted, received);
            assertThat(status.outbox().backlog()).isZero();
            assertThat(status.outbox().dead()).isZero();

            long acked = writes.stream().filter(w -> w.outcome() == Outcome.ACKED).count();
            long unknown = writes.stream().filter(w -> w.outcome() == Outcome.UNKNOWN).count();
            System.out.printf("[sync-crash] %d kills (%d with a batch in flight, %d with an outage, %d server"
                    + " restarts), %d writes acknowledged, %d in flight at a kill, %d accepted, %d requests"
                    + " (%d redelivered batches, %d operations again, %d one-operation retries), %d points, %.1f s%n",
                    runs, inFlightKills, outages, serverRestarts, acked, unknown, accepted.size(), order.requests(),
                    order.redeliveries(), order.redeliveredOperations(), order.retries(), expected.size(),
                    (System.nanoTime() - started) / 1e9);
            assertThat(acked).as("the children got work done between kills").isGreaterThan(runs * 20L);
            assertThat(order.redeliveries()).as("batches in flight at a kill were delivered again").isPositive();
        } finally {
            closeFailures();
            server.close();
        }
    }

    /** The writes a killed child began, in order, with what became of them as far as the child said. */
    private static List<Write> parse(List<String> lines, String instance) {
        List<Write> out = new ArrayList<>();
        UpdateOperation pending = null;
        for (String line : lines) {
            if (line.startsWith("BEGIN ")) {
                if (pending != null) {
                    fail(instance + ": a write began before the previous one ended");
                }
                pending = decode(line.substring(6));
            } else if (line.startsWith("ACK ") || line.equals("REFUSED")) {
                OperationMarks.Mark mark = OperationMarks.of(pending);
                out.add(new Write(number(mark), pending, mark, line.equals("REFUSED") ? Outcome.REFUSED
                        : Outcome.ACKED));
                pending = null;
            } else if (!line.equals("READY")) {
                fail(instance + ": unexpected line " + line);
            }
        }
        if (pending != null) {
            OperationMarks.Mark mark = OperationMarks.of(pending);
            out.add(new Write(number(mark), pending, mark, Outcome.UNKNOWN));
        }
        return out;
    }

    private static long number(OperationMarks.Mark mark) {
        assertThat(mark.numbers()).as("every write carries its number once: " + mark).hasSize(1);
        return mark.number().orElseThrow();
    }

    /**
     * The accepted writes, in order: those acknowledged, and those in flight at a kill that the server
     * received.
     */
    private List<OperationMarks.Mark> accepted(List<Write> writes,
            Map<OperationMarks.Mark, Optional<OperationMarks.Mark>> restricted) {
        Set<Long> reached = new HashSet<>();
        Set<OperationMarks.Mark> receivedMarks = new HashSet<>();
        for (DeliveryOrder.Received r : received) {
            for (OperationMarks.Mark m : r.marks()) {
                reached.addAll(m.numbers());
                receivedMarks.add(m);
            }
        }
        for (Write w : writes) {
            Optional<OperationMarks.Mark> r = restricted.getOrDefault(w.mark(), Optional.empty());
            if (r.isPresent() && receivedMarks.contains(r.get())) {
                reached.add(w.number()); // it reached the server in its restricted form only
            }
        }
        Set<Long> begun = new HashSet<>();
        List<OperationMarks.Mark> accepted = new ArrayList<>();
        for (Write w : writes) {
            assertThat(begun.add(w.number())).as("write numbers are unique").isTrue();
            if (w.outcome() == Outcome.REFUSED) {
                assertThat(reached).as("a refused write never reaches the server").doesNotContain(w.number());
            } else if (w.outcome() == Outcome.ACKED || reached.contains(w.number())) {
                accepted.add(w.mark());
            }
        }
        return accepted;
    }

    /** The points a shard holds after applying the accepted writes in order. */
    private Map<PointId, String> model(List<Write> writes, List<OperationMarks.Mark> accepted) {
        Set<OperationMarks.Mark> acceptedMarks = new HashSet<>(accepted);
        try (EdgeShard model = EdgeShard.create(temp.resolve("model"), config(), SyncFixtures.storeOptions().writes())) {
            for (Write w : writes) {
                if (acceptedMarks.contains(w.mark())) {
                    try {
                        model.update(w.operation());
                    } catch (PointNotFoundException e) {
                        fail("the store accepted write " + w.number() + " naming point " + e.pointId()
                                + ", which the accepted writes before it did not leave");
                    }
                }
            }
            return PointsView.of(model);
        }
    }

    private static UpdateOperation decode(String base64) {
        byte[] record = Base64.getDecoder().decode(base64);
        return new WalRecordDecoder().decode(new WalEntry(0, Path.of("child-output"), 0, record)).operation();
    }

    /** Keeps what the running server received, then restarts it on the same shard directory and port. */
    private void restartServer(Path serverDir, int port) throws Exception {
        collectReceived();
        server.close();
        server = FakeQdrantServer.builder(COLLECTION, config()).directory(serverDir).tcp(port).start();
    }

    private void collectReceived() {
        Predicate<ReceivedRequest> failed = r -> failures.stream().anyMatch(f -> f.failed(r));
        received.addAll(DeliveryOrder.received(server.requests(), failed));
        server.clearRequests();
        failures.clear();
    }

    private void closeFailures() {
        failures.forEach(RecordedFailures::close);
    }

    /** Adds the restricted form of every entry of the store's outbox (see {@link RestrictedOperations}). */
    private static void readRestrictions(Path storeDir, Map<OperationMarks.Mark, Optional<OperationMarks.Mark>> restricted) {
        try (OutboxLog log = OutboxLog.open(storeDir.resolve(EdgeStore.OUTBOX_DIR),
                SyncFixtures.storeOptions().outbox(), Clock.systemUTC())) {
            for (OutboxState state : OutboxState.values()) {
                for (OutboxEntry e : log.list(state, 0, Integer.MAX_VALUE)) {
                    UpdateOperation op = log.operation(e.seq());
                    restricted.putIfAbsent(OperationMarks.of(op),
                            RestrictedOperations.restrict(op, e.pointIds()).map(OperationMarks::of));
                }
            }
        }
    }
}
