package dev.qdrantedge.engine.sync;

import dev.qdrantedge.engine.operation.UpdateOperation;
import dev.qdrantedge.engine.wal.OperationEncoder;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.Base64;
import java.util.Random;

/**
 * The child process of {@code StoreCrashIT}, run in its own JVM until it is killed:
 * {@code write <store-dir> <server-dir> <record-file> <seed>} opens the store (completing what the previous
 * child left), the server (a shard outside the store that records every delivered batch in the record file
 * first), starts a publisher delivering to it and a thread refreshing the mirror from it every few tens of
 * milliseconds, prints {@code READY}, then writes random operations: {@code BEGIN <operation>} before each
 * update (its WAL record in Base64), {@code ACK <seq>} once {@code update} returned, {@code REFUSED} when the
 * store refused it (a missing point). {@code REFRESHED <kind>} after each refresh. Lines are flushed at once.
 */
public final class StoreCrashChild {

    /** A child that is never killed stops by itself after this long. */
    private static final long MAX_MILLIS = 60_000;
    /** Small, so that compactions happen (and get killed) too. */
    static final OutboxOptions OUTBOX = OutboxOptions.defaults().withCompaction(16 * 1024, 0.5);
    static final int BATCH = 8;

    private StoreCrashChild() {
    }

    public static void main(String[] args) throws Exception {
        PrintStream out = new PrintStream(System.out, false, StandardCharsets.UTF_8);
        if (!args[0].equals("write")) {
            throw new IllegalArgumentException("unknown mode " + args[0]);
        }
        Path storeDir = Path.of(args[1]);
        Path serverDir = Path.of(args[2]);
        Path recordFile = Path.of(args[3]);
        long seed = Long.parseLong(args[4]);

        EdgeStore store = EdgeStore.open(storeDir, SyncTestSupport.config(),
                EdgeStoreOptions.defaults().withOutbox(OUTBOX));
        TestServer server = TestServer.open(serverDir, SyncTestSupport.config()).recordingTo(recordFile);
        server.recordBoot();
        OutboxPublisher publisher = new OutboxPublisher(store.outbox(), server.sink(), publisherOptions(),
                Clock.systemUTC());
        publisher.start();
        Thread refresher = new Thread(() -> refreshForever(store, server, new Random(seed), out), "refresher");
        refresher.setDaemon(true);
        refresher.start();
        line(out, "READY");

        UniqueOperations operations = new UniqueOperations(seed);
        long deadline = System.currentTimeMillis() + MAX_MILLIS;
        while (System.currentTimeMillis() < deadline) {
            UpdateOperation op = operations.next();
            line(out, "BEGIN " + Base64.getEncoder().encodeToString(OperationEncoder.encode(op)));
            try {
                long seq = store.update(op);
                line(out, "ACK " + seq);
            } catch (MissingPointException e) {
                line(out, "REFUSED");
            }
        }
        System.exit(3);
    }

    static PublisherOptions publisherOptions() {
        return new PublisherOptions(BATCH, Duration.ZERO,
                new Backoff(Duration.ofMillis(5), 2.0, Duration.ofMillis(100), 0.2), Duration.ofSeconds(1));
    }

    private static void refreshForever(EdgeStore store, TestServer server, Random random, PrintStream out) {
        while (true) {
            try {
                Thread.sleep(10 + random.nextInt(60));
                RefreshResult result = store.refresh(server.source());
                line(out, "REFRESHED " + result.kind() + " " + result.duration().toMillis() + " ms");
            } catch (InterruptedException e) {
                return;
            } catch (Exception e) {
                line(out, "REFRESH-FAILED " + e);
            }
        }
    }

    private static void line(PrintStream out, String line) {
        synchronized (out) {
            out.println(line);
            out.flush();
        }
    }
}
