package dev.qdrantedge.engine.sync;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import dev.qdrantedge.engine.operation.UpdateOperation;
import dev.qdrantedge.engine.shard.EdgeShard;
import dev.qdrantedge.engine.shard.PointNotFoundException;
import dev.qdrantedge.engine.testing.ChildJvm;
import dev.qdrantedge.engine.wal.WalEntry;
import dev.qdrantedge.engine.wal.WalRecordDecoder;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.locks.LockSupport;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The store's one durable step, with real process deaths: a child JVM ({@link StoreCrashChild}) writes to an
 * {@link EdgeStore} while a publisher delivers to a server (a shard outside the store that first records every
 * batch it receives in a file) and a thread refreshes the mirror from it; the child is killed with SIGKILL at
 * random moments, many times over the same directories. Then the store is opened once more, everything is
 * delivered and the mirror refreshed, and:
 *
 * <ul>
 *   <li>every write the child acknowledged reached the server, and no write it did not accept (refused, or
 *       never begun) did; the one write in flight at each kill counts as accepted exactly when it reached the
 *       server;</li>
 *   <li>the server received the accepted writes in order: within one process strictly one after the other,
 *       and after a restart again from at most one batch back (redelivery, at least once);</li>
 *   <li>the store reads exactly as a shard that applied the accepted writes in order, both when it is opened
 *       after the last kill (local writes over the mirror as the last refresh left it) and after the final
 *       delivery and refresh; so do the server and a shard replaying everything the server received
 *       (redeliveries included);</li>
 *   <li>every local copy was dropped once reflected, and nothing is left to deliver.</li>
 * </ul>
 *
 * <p>System properties: {@code crash.kills} (default 36), {@code crash.seed}.
 */
class StoreCrashIT {

    @TempDir
    Path temp;

    private enum Outcome { ACKED, REFUSED, UNKNOWN }

    @Test
    void acceptedWritesReachTheServerInOrderAndNothingElseDoesWhateverTheKill() throws Exception {
        int kills = Integer.getInteger("crash.kills", 36);
        Random random = new Random(Long.getLong("crash.seed", 77L));
        Path storeDir = temp.resolve("store");
        Path serverDir = temp.resolve("server");
        Path records = temp.resolve("server-received.bin");
        Map<String, Outcome> outcomes = new LinkedHashMap<>(); // every operation begun, in order
        // what the restricted form of each outbox entry is: how a restarted child delivers it again ("" for
        // nothing); read after every kill, while the entries a restarted child may deliver again are there
        Map<String, String> restrictions = new HashMap<>();
        int acknowledged = 0;
        int inFlight = 0;
        int refreshes = 0;
        long started = System.nanoTime();
        for (int kill = 0; kill < kills; kill++) {
            ChildJvm child = ChildJvm.start(temp, StoreCrashChild.class, List.of("write", storeDir.toString(),
                    serverDir.toString(), records.toString(), Long.toString(5000L + kill)));
            child.awaitLine(l -> l.equals("READY"), "READY");
            if (kill % 3 == 2) { // aim at the next refresh (they take a few hundred milliseconds in a child)
                child.awaitLine(l -> l.startsWith("REFRESHED"), "a refresh");
                LockSupport.parkNanos(random.nextInt(350) * 1_000_000L);
            } else {
                Thread.sleep(50 + random.nextInt(500));
            }
            List<String> lines = child.kill();
            String pending = null;
            for (String line : lines) {
                if (line.startsWith("BEGIN ")) {
                    pending = line.substring(6);
                    if (outcomes.put(pending, Outcome.UNKNOWN) != null) {
                        fail("operation generated twice: " + pending);
                    }
                } else if (line.startsWith("ACK ")) {
                    outcomes.put(pending, Outcome.ACKED);
                    pending = null;
                    acknowledged++;
                } else if (line.equals("REFUSED")) {
                    outcomes.put(pending, Outcome.REFUSED);
                    pending = null;
                } else if (line.startsWith("REFRESHED")) {
                    refreshes++;
                } else if (line.startsWith("REFRESH-FAILED")) {
                    fail("kill " + (kill + 1) + ": a refresh failed in the child: " + line + "\n" + child.stderr());
                }
            }
            if (pending != null) {
                inFlight++;
            }
            readRestrictions(storeDir, restrictions);
        }

        // The last restart: deliver everything, refresh, and look.
        Map<dev.qdrantedge.engine.idtracker.PointId, String> openedView;
        Map<dev.qdrantedge.engine.idtracker.PointId, String> storeView;
        Map<dev.qdrantedge.engine.idtracker.PointId, String> serverView;
        try (EdgeStore store = EdgeStore.open(storeDir, SyncTestSupport.config(),
                EdgeStoreOptions.defaults().withOutbox(StoreCrashChild.OUTBOX));
                TestServer server = TestServer.open(serverDir, SyncTestSupport.config()).recordingTo(records)) {
            server.recordBoot();
            openedView = SyncTestSupport.contents(store); // local writes and mirror, before anything more happens
            try (OutboxPublisher publisher = new OutboxPublisher(store.outbox(), server.sink(),
                    StoreCrashChild.publisherOptions(), Clock.systemUTC())) {
                publisher.start();
                assertThat(publisher.awaitDrained(Duration.ofSeconds(60))).as("everything delivered").isTrue();
            }
            store.refresh(server.source());
            StoreStatus status = store.status();
            assertThat(status.outbox().backlog()).isZero();
            assertThat(status.outbox().dead()).isZero();
            assertThat(status.localPoints()).as("every local copy reflected and dropped").isZero();
            storeView = SyncTestSupport.contents(store);
            serverView = SyncTestSupport.contents(server.shard());
        }

        List<byte[]> received = TestServer.readRecords(records);
        Set<String> receivedOps = new HashSet<>();
        for (byte[] r : received) {
            if (!TestServer.isBoot(r)) {
                receivedOps.add(Base64.getEncoder().encodeToString(r));
            }
        }
        List<String> accepted = new ArrayList<>();
        for (Map.Entry<String, Outcome> e : outcomes.entrySet()) {
            String restricted = restrictions.get(e.getKey());
            boolean reached = receivedOps.contains(e.getKey())
                    || restricted != null && !restricted.isEmpty() && receivedOps.contains(restricted);
            switch (e.getValue()) {
                case ACKED -> {
                    // unless it went again restricted to no point after the process that handed it over died
                    assertThat(reached || "".equals(restricted)).as("an acknowledged write reached the server: "
                            + e.getKey()).isTrue();
                    accepted.add(e.getKey());
                }
                case REFUSED -> assertThat(reached).as("a refused write never reaches the server").isFalse();
                default -> {
                    if (reached) {
                        accepted.add(e.getKey());
                    }
                }
            }
        }
        Set<String> acceptedSet = new HashSet<>(accepted);
        for (String op : accepted) {
            String restricted = restrictions.get(op);
            if (restricted != null && !restricted.isEmpty()) {
                acceptedSet.add(restricted);
            }
        }
        for (String op : receivedOps) {
            assertThat(acceptedSet).as("the server received only accepted writes (or their restricted forms)")
                    .contains(op);
        }
        checkOrder(received, accepted, restrictions);

        try (EdgeShard model = EdgeShard.create(temp.resolve("model"), SyncTestSupport.config());
                EdgeShard replay = EdgeShard.create(temp.resolve("replay"), SyncTestSupport.config())) {
            for (String op : accepted) {
                try {
                    model.update(decode(Base64.getDecoder().decode(op)));
                } catch (PointNotFoundException e) {
                    fail("the store accepted a write naming point " + e.pointId() + ", which it did not have");
                }
            }
            for (byte[] r : received) {
                if (!TestServer.isBoot(r)) {
                    applyTolerant(replay, decode(r));
                }
            }
            Map<dev.qdrantedge.engine.idtracker.PointId, String> expected = SyncTestSupport.contents(model);
            assertThat(openedView).as("the store opened after the last kill reads every accepted write")
                    .isEqualTo(expected);
            assertThat(storeView).as("the store reads as the accepted writes left the points").isEqualTo(expected);
            assertThat(serverView).as("the server holds what the accepted writes made").isEqualTo(expected);
            assertThat(SyncTestSupport.contents(replay)).as("replaying what the server received, redeliveries"
                    + " included").isEqualTo(expected);
        }
        System.out.printf("[crash] %d kills, %d acknowledged writes, %d in flight at a kill, %d accepted, %d"
                + " received (with redeliveries), %d refreshes, %d points, %.1f s%n", kills, acknowledged, inFlight,
                accepted.size(), received.size() - kills - 1, refreshes, storeView.size(),
                (System.nanoTime() - started) / 1e9);
        assertThat(acknowledged).as("the children got work done between kills").isGreaterThan(kills * 5);
        assertThat(refreshes).as("the children refreshed between kills").isGreaterThanOrEqualTo(kills / 3);
    }


    /**
     * Within one process (between two boot records) the server receives accepted writes strictly in order, one
     * after the other. A new process may start again at most one batch back; the writes the process before it
     * may have handed over (up to a batch past the last one received) may then come in their restricted form,
     * or not at all when that selects no point. In the end every accepted write was received.
     */
    private static void checkOrder(List<byte[]> received, List<String> accepted, Map<String, String> restrictions) {
        int next = 0; // the position of the write expected next
        int reached = 0; // how far the server got
        int window = 0; // positions below it may come restricted or not at all
        boolean boot = true;
        for (int i = 0; i < received.size(); i++) {
            byte[] r = received.get(i);
            if (TestServer.isBoot(r)) {
                boot = true;
                continue;
            }
            String op = Base64.getEncoder().encodeToString(r);
            int from = next;
            if (boot) {
                window = reached + StoreCrashChild.BATCH;
                from = Math.max(0, next - StoreCrashChild.BATCH);
            }
            int at = -1;
            for (int k = from; k < accepted.size() && at < 0; k++) {
                String write = accepted.get(k);
                String restricted = restrictions.get(write);
                if (write.equals(op) || k < window && op.equals(restricted)) {
                    at = k;
                } else if (!(k < window && "".equals(restricted)) && !(boot && k < next)) {
                    fail("record " + i + ": the server received " + describe(op, accepted, restrictions)
                            + " where write " + k + " was due" + (boot ? " after a restart" : ""));
                }
            }
            if (at < 0) {
                fail("record " + i + ": the server received " + describe(op, accepted, restrictions)
                        + " after the last write due");
            }
            boot = false;
            next = at + 1;
            reached = Math.max(reached, next);
        }
        for (int k = reached; k < accepted.size(); k++) {
            assertThat(k < window && "".equals(restrictions.get(accepted.get(k))))
                    .as("accepted write " + k + " was received").isTrue();
        }
    }

    private static String describe(String op, List<String> accepted, Map<String, String> restrictions) {
        for (int k = 0; k < accepted.size(); k++) {
            if (accepted.get(k).equals(op)) {
                return "accepted write " + k;
            }
            if (op.equals(restrictions.get(accepted.get(k)))) {
                return "the restricted form of accepted write " + k;
            }
        }
        return "an operation never accepted";
    }

    /** Adds the restricted form of every entry of the store's outbox (see {@link RestrictedOperations}). */
    private static void readRestrictions(Path storeDir, Map<String, String> restrictions) {
        try (OutboxLog log = OutboxLog.open(storeDir.resolve(EdgeStore.OUTBOX_DIR), StoreCrashChild.OUTBOX,
                Clock.systemUTC())) {
            for (OutboxState state : OutboxState.values()) {
                for (OutboxEntry e : log.list(state, 0, Integer.MAX_VALUE)) {
                    UpdateOperation op = log.operation(e.seq());
                    restrictions.putIfAbsent(SyncTestSupport.encoded(op), RestrictedOperations
                            .restrict(op, e.pointIds()).map(SyncTestSupport::encoded).orElse(""));
                }
            }
        }
    }

    private static UpdateOperation decode(byte[] record) {
        return new WalRecordDecoder().decode(new WalEntry(0, Path.of("server-received.bin"), 0, record)).operation();
    }

    private static void applyTolerant(EdgeShard shard, UpdateOperation op) {
        try {
            shard.update(op);
        } catch (PointNotFoundException e) {
            // as a server applies it; only a redelivered write can name a point deleted after it
        }
    }
}
