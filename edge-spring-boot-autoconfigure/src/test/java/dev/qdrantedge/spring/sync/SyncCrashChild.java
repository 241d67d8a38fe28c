package dev.qdrantedge.spring.sync;

import dev.qdrantedge.engine.operation.UpdateOperation;
import dev.qdrantedge.engine.sync.MissingPointException;
import dev.qdrantedge.engine.sync.PublisherOptions;
import dev.qdrantedge.engine.sync.StoreStatus;
import dev.qdrantedge.engine.wal.OperationEncoder;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Base64;
import java.util.concurrent.locks.LockSupport;

/**
 * The application process of {@code SyncCrashIT}, in a JVM of its own: a {@link SyncApp} (store, gRPC client,
 * publisher) against the fake server on a loopback TCP port of the test's JVM.
 *
 * <ul>
 *   <li>{@code write <store-dir> <host> <port> <instance> <first-op> <seed>} opens the store (completing what
 *       the previous process left), starts delivering, prints {@code READY}, then writes
 *       {@link MixedOperations} numbered from {@code first-op}, in bursts of ten, until it is killed:
 *       {@code BEGIN <operation>} before each update (its WAL record in Base64), {@code ACK <seq>} once
 *       {@code update} returned, {@code REFUSED} when the store refused it;</li>
 *   <li>{@code drain <store-dir> <host> <port> <instance>} opens the store, waits until nothing is left to
 *       deliver, prints {@code DRAINED <backlog> <dead>} and shuts down in order.</li>
 * </ul>
 * Lines are flushed at once. A writer that is never killed stops by itself after a minute.
 */
public final class SyncCrashChild {

    static final int POINTS = 60;
    static final int BATCH = 10;
    private static final long MAX_MILLIS = 60_000;
    private static final int BURST = 10;
    private static final long PAUSE_NANOS = 15_000_000;

    private SyncCrashChild() {
    }

    public static void main(String[] args) throws Exception {
        PrintStream out = new PrintStream(System.out, false, StandardCharsets.UTF_8);
        Path storeDir = Path.of(args[1]);
        String host = args[2];
        int port = Integer.parseInt(args[3]);
        String instance = args[4];
        switch (args[0]) {
            case "write" -> write(out, SyncApp.start(storeDir, host, port, instance, publisherOptions()),
                    Long.parseLong(args[5]), Long.parseLong(args[6]));
            case "drain" -> {
                try (SyncApp app = SyncApp.start(storeDir, host, port, instance, publisherOptions())) {
                    if (!app.publisher.awaitDrained(Duration.ofMinutes(2))) {
                        throw new IllegalStateException("not drained within 2 minutes: " + app.store.status());
                    }
                    StoreStatus status = app.store.status();
                    line(out, "DRAINED " + status.outbox().backlog() + " " + status.outbox().dead());
                }
            }
            default -> throw new IllegalArgumentException("unknown mode " + args[0]);
        }
    }

    /** Batches of {@value #BATCH}, no linger (so that batches are often in flight), quick retries. */
    static PublisherOptions publisherOptions() {
        return SyncFixtures.publisherOptions(BATCH).withLinger(Duration.ZERO);
    }

    private static void write(PrintStream out, SyncApp app, long firstOp, long seed) {
        line(out, "READY");
        MixedOperations operations = new MixedOperations(seed, POINTS, app.store).withUnmarkedShapes(false);
        long deadline = System.currentTimeMillis() + MAX_MILLIS;
        for (long n = firstOp; System.currentTimeMillis() < deadline; n++) {
            UpdateOperation op = operations.next(n);
            line(out, "BEGIN " + Base64.getEncoder().encodeToString(OperationEncoder.encode(op)));
            try {
                line(out, "ACK " + app.store.update(op));
            } catch (MissingPointException e) {
                line(out, "REFUSED");
            }
            if (n % BURST == BURST - 1) {
                LockSupport.parkNanos(PAUSE_NANOS); // bursts, so that the server keeps up with the writes
            }
        }
        System.exit(3);
    }

    private static void line(PrintStream out, String line) {
        out.println(line);
        out.flush();
    }
}
