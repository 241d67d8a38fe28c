package dev.qdrantedge.engine.sync;

import static dev.qdrantedge.engine.sync.SyncTestSupport.encoded;
import static dev.qdrantedge.engine.sync.SyncTestSupport.ids;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.qdrantedge.engine.EdgeException;
import dev.qdrantedge.engine.EdgeFormatException;
import dev.qdrantedge.engine.operation.ClearPayloadByFilter;
import dev.qdrantedge.engine.operation.DeleteVectors;
import dev.qdrantedge.engine.operation.UpdateOperation;
import dev.qdrantedge.engine.shard.FsyncPolicy;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.stream.LongStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** {@link OutboxLog}: records, replay, torn tails, compaction, dead letters, concurrency. */
class OutboxLogTest {

    private static final Instant T0 = Instant.parse("2025-01-01T00:00:00Z");

    @TempDir
    Path temp;

    private final ManualClock clock = new ManualClock(T0);

    private OutboxLog open(Path dir) {
        return OutboxLog.open(dir, OutboxOptions.defaults(), clock);
    }

    private static List<UpdateOperation> someOperations() {
        return List.of(
                SyncTestSupport.upsert("a", 1, 2),
                SyncTestSupport.delete(3),
                SyncTestSupport.setPayload("{\"k\":\"v\",\"n\":[1,2.5]}", 1),
                new ClearPayloadByFilter(SyncTestSupport.json("{\"must\":[{\"key\":\"n\",\"range\":{\"gte\":2}}]}")),
                new DeleteVectors(ids(2), List.of("w")));
    }

    @Test
    void anEntryHandedToTheSinkOnceStaysMarkedSoAcrossReopeningAndCompaction() {
        Path dir = temp.resolve("outbox");
        try (OutboxLog log = open(dir)) {
            log.append(SyncTestSupport.delete(1)); // no points recorded
            log.append(SyncTestSupport.delete(2), 7, ids(2));
            log.append(SyncTestSupport.delete(3), -1, List.of()); // recorded: touches none
            log.append(SyncTestSupport.delete(4), 8, ids(4));
            assertThat(log.get(1).orElseThrow().pointIdsRecorded()).isFalse();
            assertThat(log.get(2).orElseThrow().pointIdsRecorded()).isTrue();
            assertThat(log.get(3).orElseThrow().pointIdsRecorded()).isTrue();
            assertThat(log.get(2).orElseThrow().handedOver()).isFalse();
            log.markInFlight(List.of(1L, 2L));
            log.markPending(List.of(1L, 2L)); // abandoned: not an attempt, but handed over
            assertThat(log.get(2).orElseThrow()).satisfies(e -> {
                assertThat(e.handedOver()).isTrue();
                assertThat(e.attempts()).isZero();
            });
            assertThat(log.get(3).orElseThrow().handedOver()).isFalse();
        }
        try (OutboxLog log = open(dir)) {
            assertThat(log.get(1).orElseThrow().handedOver()).isTrue();
            assertThat(log.get(1).orElseThrow().pointIdsRecorded()).isFalse();
            assertThat(log.get(2).orElseThrow().handedOver()).isTrue();
            assertThat(log.get(2).orElseThrow().pointIds()).isEqualTo(ids(2));
            assertThat(log.get(3).orElseThrow().pointIdsRecorded()).isTrue();
            assertThat(log.get(3).orElseThrow().handedOver()).isFalse();
            log.markInFlight(List.of(1L, 2L, 3L));
            log.markFailed(List.of(1L, 2L, 3L), "unavailable", T0);
            log.markInFlight(List.of(1L, 2L, 3L));
            log.markDelivered(List.of(1L));
            log.markDead(2, "refused");
            log.resubmit(2); // attempts reset: only the record of the hand-over says it
            log.markPending(List.of(3L));
            log.compact();
        }
        try (OutboxLog log = open(dir)) {
            for (long seq = 1; seq <= 3; seq++) {
                assertThat(log.get(seq).orElseThrow().handedOver()).as("entry " + seq).isTrue();
            }
            assertThat(log.get(2).orElseThrow().attempts()).isZero();
            assertThat(log.get(4).orElseThrow().handedOver()).isFalse();
            assertThat(log.get(4).orElseThrow().pointIds()).isEqualTo(ids(4));
        }
    }

    @Test
    void entriesAndTheirStatesSurviveReopening() {
        Path dir = temp.resolve("outbox");
        List<UpdateOperation> ops = someOperations();
        Map<Long, OutboxEntry> before = new TreeMap<>();
        try (OutboxLog log = open(dir)) {
            for (int i = 0; i < ops.size(); i++) {
                long seq = log.append(ops.get(i), 100 + i, ids(i, i + 10));
                assertThat(seq).isEqualTo(i + 1);
                clock.advance(Duration.ofSeconds(1));
            }
            log.markInFlight(List.of(1L, 2L));
            log.markDelivered(List.of(1L, 2L));
            log.markInFlight(List.of(3L));
            log.markFailed(List.of(3L), "server unavailable", T0.plusSeconds(60));
            log.markDead(4, "bad filter");
            log.markInFlight(List.of(5L)); // never acknowledged: pending after reopening
            for (long seq = 1; seq <= 5; seq++) {
                before.put(seq, log.get(seq).orElseThrow());
            }
            assertThat(log.get(1).orElseThrow().deliveredAt()).contains(T0.plusSeconds(5));
            assertThat(log.get(3).orElseThrow()).satisfies(e -> {
                assertThat(e.state()).isEqualTo(OutboxState.PENDING);
                assertThat(e.attempts()).isEqualTo(1);
                assertThat(e.lastError()).contains("server unavailable");
                assertThat(e.nextAttemptAt()).isEqualTo(T0.plusSeconds(60));
            });
        }
        try (OutboxLog log = open(dir)) {
            for (long seq = 1; seq <= 4; seq++) {
                assertThat(log.get(seq)).contains(before.get(seq));
            }
            OutboxEntry fifth = log.get(5).orElseThrow();
            assertThat(fifth.state()).isEqualTo(OutboxState.PENDING);
            assertThat(fifth.pointIds()).isEqualTo(ids(4, 14));
            assertThat(fifth.localOperation()).isEqualTo(104);
            for (int i = 0; i < ops.size(); i++) {
                assertThat(encoded(log.operation(i + 1))).isEqualTo(encoded(ops.get(i)));
            }
            assertThat(log.append(SyncTestSupport.delete(9))).isEqualTo(6);
            OutboxStats stats = log.stats();
            assertThat(stats.pending()).isEqualTo(3);
            assertThat(stats.delivered()).isEqualTo(2);
            assertThat(stats.dead()).isEqualTo(1);
            assertThat(stats.backlog()).isEqualTo(3);
            assertThat(stats.oldestPendingAge()).contains(Duration.ofSeconds(5 - 2));
            assertThat(log.list(OutboxState.PENDING, 0, 10)).extracting(OutboxEntry::seq).containsExactly(3L, 5L, 6L);
            assertThat(log.list(OutboxState.PENDING, 4, 1)).extracting(OutboxEntry::seq).containsExactly(5L);
            assertThat(log.list(OutboxState.DELIVERED, 0, 10)).extracting(OutboxEntry::seq).containsExactly(1L, 2L);
        }
    }

    @Test
    void nextBatchTakesPendingEntriesInOrderPassingOverOthersAndWaitsWhileOneIsInFlight() {
        try (OutboxLog log = open(temp.resolve("outbox"))) {
            for (int i = 0; i < 6; i++) {
                log.append(SyncTestSupport.delete(i));
            }
            log.markInFlight(List.of(1L, 2L));
            assertThat(log.nextBatch(10)).isEmpty();
            log.markDelivered(List.of(1L));
            log.markDead(2, "refused");
            log.markInFlight(List.of(3L));
            log.markDelivered(List.of(3L));
            assertThat(log.nextBatch(2)).extracting(OutboxEntry::seq).containsExactly(4L, 5L);
            log.resubmit(2);
            assertThat(log.nextBatch(10)).extracting(OutboxEntry::seq).containsExactly(2L, 4L, 5L, 6L);
        }
    }

    @Test
    void stateChangesAreCheckedAndARefusedOneChangesNothing() {
        try (OutboxLog log = open(temp.resolve("outbox"))) {
            log.append(SyncTestSupport.delete(1));
            log.append(SyncTestSupport.delete(2));
            assertThatThrownBy(() -> log.purge(1)).isInstanceOf(IllegalStateException.class)
                    .hasMessageContaining("cannot purge outbox entry 1: it is PENDING, not DEAD");
            assertThatThrownBy(() -> log.resubmit(1)).isInstanceOf(IllegalStateException.class);
            assertThat(log.get(7)).isEmpty();
            assertThatThrownBy(() -> log.markDelivered(List.of(1L, 7L))).hasMessageContaining("no entry 7");
            log.markInFlight(List.of(2L));
            log.markDelivered(List.of(2L));
            assertThatThrownBy(() -> log.markInFlight(List.of(1L, 2L))).isInstanceOf(IllegalStateException.class);
            assertThat(log.get(1).orElseThrow().state()).isEqualTo(OutboxState.PENDING);
            assertThat(log.get(2).orElseThrow().state()).isEqualTo(OutboxState.DELIVERED);
        }
    }

    @Test
    void deadEntriesAreResubmittedOrPurged() {
        Path dir = temp.resolve("outbox");
        try (OutboxLog log = open(dir)) {
            for (int i = 1; i <= 4; i++) {
                log.append(SyncTestSupport.delete(i));
                log.markInFlight(List.of((long) i));
                log.markDead(i, "refused " + i);
            }
            assertThat(log.deadCount()).isEqualTo(4);
            log.resubmit(2);
            OutboxEntry resubmitted = log.get(2).orElseThrow();
            assertThat(resubmitted.state()).isEqualTo(OutboxState.PENDING);
            assertThat(resubmitted.attempts()).isZero();
            assertThat(resubmitted.nextAttemptAt()).isEqualTo(T0);
            log.purge(3);
            assertThat(log.get(3)).isEmpty();
            assertThat(log.stats().deadSinceOpen()).isEqualTo(4);
        }
        try (OutboxLog log = open(dir)) {
            assertThat(log.get(3)).isEmpty();
            assertThat(log.list(OutboxState.DEAD, 0, 10)).extracting(OutboxEntry::seq).containsExactly(1L, 4L);
            assertThat(log.resubmitAllDead()).isEqualTo(2);
            assertThat(log.deadCount()).isZero();
            assertThat(log.backlog()).isEqualTo(3);
            assertThat(log.append(SyncTestSupport.delete(9))).isEqualTo(5);
        }
    }

    /** The kinds of damage a crash in the middle of an append (or of the file system's writeback) leaves. */
    @ParameterizedTest
    @ValueSource(strings = {"few-bytes", "header-only", "cut-body", "bad-crc", "zeros", "huge-length"})
    void aTornTailIsCutOffAndTheLogGoesOn(String damage) throws IOException {
        Path dir = temp.resolve("outbox");
        long goodEnd;
        try (OutboxLog log = open(dir)) {
            log.append(SyncTestSupport.upsert("a", 1));
            log.append(SyncTestSupport.delete(2));
            log.markInFlight(List.of(1L));
            log.markDelivered(List.of(1L));
            goodEnd = Files.size(dir.resolve(OutboxLog.FILE));
            log.append(SyncTestSupport.setPayload("{\"x\":1}", 1)); // entry 3: the one the damage hits
        }
        Path file = dir.resolve(OutboxLog.FILE);
        byte[] whole = Files.readAllBytes(file);
        byte[] damaged = switch (damage) {
            case "few-bytes" -> concat(java.util.Arrays.copyOf(whole, (int) goodEnd), new byte[] {0, 0, 1});
            case "header-only" -> java.util.Arrays.copyOf(whole, (int) goodEnd + 8);
            case "cut-body" -> java.util.Arrays.copyOf(whole, whole.length - 3);
            case "bad-crc" -> {
                byte[] copy = whole.clone();
                copy[copy.length - 2] ^= 0x40;
                yield copy;
            }
            case "zeros" -> concat(java.util.Arrays.copyOf(whole, (int) goodEnd), new byte[4096]);
            default -> concat(java.util.Arrays.copyOf(whole, (int) goodEnd),
                    ByteBuffer.allocate(12).putInt(Integer.MAX_VALUE).putInt(0).putInt(7).array());
        };
        Files.write(file, damaged);

        try (OutboxLog log = open(dir)) {
            assertThat(Files.size(file)).isEqualTo(goodEnd);
            assertThat(log.get(1).orElseThrow().state()).isEqualTo(OutboxState.DELIVERED);
            assertThat(log.get(2).orElseThrow().state()).isEqualTo(OutboxState.PENDING);
            assertThat(log.get(3)).isEmpty();
            assertThat(log.append(SyncTestSupport.delete(5))).isEqualTo(3);
        }
        try (OutboxLog log = open(dir)) {
            assertThat(encoded(log.operation(3))).isEqualTo(encoded(SyncTestSupport.delete(5)));
            assertThat(log.stats().nextSeq()).isEqualTo(4);
        }
    }

    @Test
    void aFileThatIsNoOutboxLogIsRefused() throws IOException {
        Path dir = temp.resolve("outbox");
        Files.createDirectories(dir);
        Files.writeString(dir.resolve(OutboxLog.FILE), "something else entirely");
        assertThatThrownBy(() -> open(dir)).isInstanceOf(EdgeFormatException.class)
                .hasMessageContaining("not an outbox log");
    }

    @Test
    void aWholeRecordThatMakesNoSenseIsAnErrorNotATornTail() throws IOException {
        Path dir = temp.resolve("outbox");
        try (OutboxLog log = open(dir)) {
            log.append(SyncTestSupport.delete(1));
        }
        byte[] body = OutboxRecords.state(42, OutboxState.DELIVERED, 0, 0, 0, null); // entry 42 does not exist
        try (FileChannel channel = FileChannel.open(dir.resolve(OutboxLog.FILE), StandardOpenOption.APPEND)) {
            channel.write(OutboxRecords.frames(List.of(body)));
        }
        assertThatThrownBy(() -> open(dir)).isInstanceOf(EdgeFormatException.class)
                .hasMessageContaining("entry 42, which the log does not hold");
    }

    @Test
    void theLogIsOpenOnlyOnceAtATime() {
        Path dir = temp.resolve("outbox");
        try (OutboxLog log = open(dir)) {
            assertThatThrownBy(() -> open(dir)).isInstanceOf(EdgeException.class).hasMessageContaining("already open");
        }
        open(dir).close();
    }

    @Test
    void compactionKeepsLiveEntriesAndDropsReflectedAndPurgedOnes() throws IOException {
        Path dir = temp.resolve("outbox");
        OutboxOptions noAutomatic = OutboxOptions.defaults().withCompaction(Long.MAX_VALUE, 1.0);
        Map<Long, OutboxEntry> live = new TreeMap<>();
        Map<Long, String> operations = new TreeMap<>();
        try (OutboxLog log = OutboxLog.open(dir, noAutomatic, clock)) {
            for (int i = 1; i <= 40; i++) {
                UpdateOperation op = i % 3 == 0 ? SyncTestSupport.delete(i) : SyncTestSupport.upsert("c" + i, i);
                log.append(op, i * 2L, ids(i));
                operations.put((long) i, encoded(op));
                clock.advance(Duration.ofMillis(10));
            }
            List<Long> first30 = LongStream.rangeClosed(1, 30).boxed().toList();
            log.markInFlight(first30);
            log.markDelivered(first30);
            log.markReflected(LongStream.rangeClosed(1, 20).boxed().toList()); // 1..20 go
            log.markInFlight(List.of(31L, 32L));
            log.markDead(31, "poison");
            log.markDead(32, "poison too");
            log.purge(32);
            log.markFailed(List.of(33L), "later", T0.plusSeconds(99));
            log.markReflected(List.of(40L)); // pending: not reflected
            for (long seq = 21; seq <= 40; seq++) {
                log.get(seq).ifPresent(e -> live.put(e.seq(), e));
            }
            long before = Files.size(dir.resolve(OutboxLog.FILE));
            log.compact();
            assertThat(Files.size(dir.resolve(OutboxLog.FILE))).isLessThan(before);
            assertThat(dir.resolve(OutboxLog.COMPACTING)).doesNotExist();
            assertThat(log.get(20)).isEmpty();
            for (OutboxEntry e : live.values()) {
                assertThat(log.get(e.seq())).contains(e);
                assertThat(encoded(log.operation(e.seq()))).isEqualTo(operations.get(e.seq()));
            }
            log.append(SyncTestSupport.delete(77)); // appends go on after the new file
            live.put(41L, log.get(41).orElseThrow());
            operations.put(41L, encoded(SyncTestSupport.delete(77)));
        }
        try (OutboxLog log = OutboxLog.open(dir, noAutomatic, clock)) {
            for (long seq = 1; seq <= 41; seq++) {
                assertThat(log.get(seq)).as("entry " + seq).isEqualTo(Optional.ofNullable(live.get(seq)));
                if (live.containsKey(seq)) {
                    assertThat(encoded(log.operation(seq))).isEqualTo(operations.get(seq));
                }
            }
            assertThat(log.stats().reflected()).isZero();
        }
    }

    @Test
    void compactionKeepsTheSequenceGoingWhenItRemovesTheNewestEntries() {
        Path dir = temp.resolve("outbox");
        try (OutboxLog log = open(dir)) {
            for (int i = 1; i <= 5; i++) {
                log.append(SyncTestSupport.delete(i));
            }
            List<Long> all = List.of(1L, 2L, 3L, 4L, 5L);
            log.markInFlight(all);
            log.markDelivered(all);
            log.markReflected(all);
            log.compact();
            assertThat(log.stats().delivered()).isZero();
        }
        try (OutboxLog log = open(dir)) {
            assertThat(log.append(SyncTestSupport.delete(6))).isEqualTo(6);
        }
    }

    @Test
    void compactionRunsByItselfPastItsThresholds() throws IOException {
        Path dir = temp.resolve("outbox");
        OutboxOptions eager = OutboxOptions.defaults().withCompaction(4096, 0.5);
        try (OutboxLog log = OutboxLog.open(dir, eager, clock)) {
            long peak = 0;
            for (int round = 0; round < 30; round++) {
                List<Long> seqs = new ArrayList<>();
                for (int i = 0; i < 5; i++) {
                    seqs.add(log.append(SyncTestSupport.upsert("r" + round, round * 10L + i)));
                }
                log.markInFlight(seqs);
                log.markDelivered(seqs);
                log.markReflected(seqs);
                peak = Math.max(peak, Files.size(dir.resolve(OutboxLog.FILE)));
            }
            assertThat(peak).as("compacted well below the 150 entries' size").isLessThan(3 * 4096);
            assertThat(log.stats().nextSeq()).isEqualTo(151);
        }
    }

    @Test
    void aCompactionInterruptedBeforeItsRenameLeavesTheOldLog() throws IOException {
        Path dir = temp.resolve("outbox");
        try (OutboxLog log = open(dir)) {
            log.append(SyncTestSupport.delete(1));
        }
        Files.write(dir.resolve(OutboxLog.COMPACTING), new byte[] {1, 2, 3});
        try (OutboxLog log = open(dir)) {
            assertThat(log.get(1)).isPresent();
            assertThat(dir.resolve(OutboxLog.COMPACTING)).doesNotExist();
        }
    }

    @Test
    void concurrentAppendsGetDistinctConsecutiveSequenceNumbers() throws Exception {
        Path dir = temp.resolve("outbox");
        int threads = 6;
        int perThread = 150;
        Map<Long, String> written = Collections.synchronizedMap(new TreeMap<>());
        OutboxOptions grouped = OutboxOptions.defaults().withFsync(FsyncPolicy.grouped(Duration.ofMillis(5)))
                .withCompaction(0, 0.3); // compactions interleave with the appends
        try (OutboxLog log = OutboxLog.open(dir, grouped, clock)) {
            ExecutorService pool = Executors.newFixedThreadPool(threads);
            CountDownLatch start = new CountDownLatch(1);
            List<Future<?>> done = new ArrayList<>();
            for (int t = 0; t < threads; t++) {
                int thread = t;
                done.add(pool.submit(() -> {
                    start.await();
                    for (int i = 0; i < perThread; i++) {
                        UpdateOperation op = SyncTestSupport.upsert("t" + thread + "-" + i, thread * 1000L + i);
                        long seq = log.append(op);
                        written.put(seq, encoded(op));
                        if (i % 10 == 0) {
                            log.markInFlight(List.of(seq));
                            log.markDelivered(List.of(seq));
                            log.markReflected(List.of(seq));
                        }
                    }
                    return null;
                }));
            }
            start.countDown();
            for (Future<?> f : done) {
                f.get(60, TimeUnit.SECONDS);
            }
            pool.shutdown();
        }
        assertThat(written.keySet()).containsExactlyElementsOf(
                LongStream.rangeClosed(1, (long) threads * perThread).boxed().toList());
        try (OutboxLog log = open(dir)) {
            int kept = 0;
            for (Map.Entry<Long, String> e : written.entrySet()) {
                if (log.get(e.getKey()).filter(entry -> !entry.reflected()).isPresent()) {
                    assertThat(encoded(log.operation(e.getKey()))).isEqualTo(e.getValue());
                    kept++;
                }
            }
            assertThat(kept).isEqualTo(threads * (perThread - perThread / 10));
        }
    }

    private static byte[] concat(byte[] a, byte[] b) {
        byte[] out = java.util.Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, out, a.length, b.length);
        return out;
    }
}
