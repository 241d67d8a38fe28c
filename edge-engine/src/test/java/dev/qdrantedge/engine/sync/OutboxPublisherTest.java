package dev.qdrantedge.engine.sync;

import static dev.qdrantedge.engine.sync.SyncTestSupport.encoded;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.qdrantedge.engine.operation.DeletePoints;
import dev.qdrantedge.engine.operation.UpdateOperation;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@link OutboxPublisher} against a recording sink: order, batches, retries, dead letters, restarts. */
class OutboxPublisherTest {

    private static final Duration WAIT = Duration.ofSeconds(30);
    private static final Backoff QUICK = new Backoff(Duration.ofMillis(1), 1.0, Duration.ofMillis(1), 0.0);

    @TempDir
    Path temp;

    private final List<AutoCloseable> open = new ArrayList<>();
    private final RecordingSink sink = new RecordingSink();

    @AfterEach
    void closeAll() throws Exception {
        for (int i = open.size() - 1; i >= 0; i--) {
            open.get(i).close();
        }
    }

    private OutboxLog log(Clock clock) {
        OutboxLog log = OutboxLog.open(temp.resolve("outbox"), OutboxOptions.defaults(), clock);
        open.add(log);
        return log;
    }

    private OutboxPublisher publisher(OutboxLog log, PublisherOptions options, Clock clock) {
        OutboxPublisher publisher = new OutboxPublisher(log, sink, options, clock);
        open.add(publisher);
        return publisher;
    }

    private static PublisherOptions options(int batchSize) {
        return new PublisherOptions(batchSize, Duration.ZERO, QUICK, Duration.ofSeconds(5));
    }

    /** Entry {@code i}'s operation: a delete naming {@code i}, so that each one is told apart. */
    private static UpdateOperation op(long i) {
        return SyncTestSupport.delete(i);
    }

    private static List<String> ops(long... ids) {
        List<String> out = new ArrayList<>();
        for (long id : ids) {
            out.add(encoded(op(id)));
        }
        return out;
    }

    private static void appendAll(OutboxLog log, long from, long to) {
        for (long i = from; i <= to; i++) {
            log.append(op(i));
        }
    }

    @Test
    void entriesGoInSequenceOrderInBatchesUpToTheBatchSize() throws Exception {
        OutboxLog log = log(Clock.systemUTC());
        appendAll(log, 1, 10);
        OutboxPublisher publisher = publisher(log, options(3), Clock.systemUTC());
        publisher.start();
        assertThat(publisher.awaitDrained(WAIT)).isTrue();
        assertThat(sink.calls()).extracting(RecordingSink.Call::operations)
                .containsExactly(ops(1, 2, 3), ops(4, 5, 6), ops(7, 8, 9), ops(10));
        assertThat(log.stats().delivered()).isEqualTo(10);
        PublisherStats stats = publisher.stats();
        assertThat(stats.deliveredEntries()).isEqualTo(10);
        assertThat(stats.deliveredBatches()).isEqualTo(4);
        assertThat(stats.running()).isTrue();

        appendAll(log, 11, 12); // entries appended while running go too
        assertThat(publisher.awaitDrained(WAIT)).isTrue();
        assertThat(sink.delivered()).isEqualTo(ops(1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12));
        assertThatThrownBy(publisher::start).isInstanceOf(IllegalStateException.class);
    }

    @Test
    void aBatchThatIsNotFullWaitsForItsLingerUnlessDrainedNow() throws Exception {
        ManualClock clock = new ManualClock(Instant.parse("2025-01-01T00:00:00Z"));
        OutboxLog log = log(clock);
        PublisherOptions lingering = new PublisherOptions(3, Duration.ofHours(1), QUICK, Duration.ofSeconds(5));
        OutboxPublisher publisher = publisher(log, lingering, clock);
        publisher.start();
        appendAll(log, 1, 2);
        assertThat(publisher.awaitDrained(Duration.ofMillis(200))).as("two entries linger").isFalse();
        appendAll(log, 3, 3); // the batch is full: it goes
        assertThat(publisher.awaitDrained(WAIT)).isTrue();
        assertThat(sink.calls()).extracting(RecordingSink.Call::operations).containsExactly(ops(1, 2, 3));

        appendAll(log, 4, 4);
        publisher.drainNow();
        assertThat(publisher.awaitDrained(WAIT)).isTrue();
        appendAll(log, 5, 5);
        clock.advance(Duration.ofHours(2)); // its linger is over
        publisher.drainNow(); // (only to wake the publisher: the clock moved by hand)
        assertThat(publisher.awaitDrained(WAIT)).isTrue();
        assertThat(sink.calls()).extracting(RecordingSink.Call::operations)
                .containsExactly(ops(1, 2, 3), ops(4), ops(5));
    }

    @Test
    void transientFailuresAreRetriedWithBackoffAndNothingOvertakesTheFailedEntry() throws Exception {
        ManualClock clock = new ManualClock(Instant.parse("2025-01-01T00:00:00Z"));
        OutboxLog log = log(clock);
        Backoff hourly = new Backoff(Duration.ofHours(1), 2.0, Duration.ofHours(10), 0.0);
        sink.behave((call, ops) -> call < 2 ? DeliveryException.transientFailure("server unavailable", null) : null);
        OutboxPublisher publisher = publisher(log, new PublisherOptions(2, Duration.ZERO, hourly,
                Duration.ofSeconds(5)), clock);
        appendAll(log, 1, 1);
        publisher.start();
        awaitTrue(() -> log.get(1).orElseThrow().attempts() == 1);
        OutboxEntry failed = log.get(1).orElseThrow();
        assertThat(failed.state()).isEqualTo(OutboxState.PENDING);
        assertThat(failed.lastError()).contains("server unavailable");
        assertThat(failed.nextAttemptAt()).isEqualTo(clock.instant().plus(Duration.ofHours(1)));

        appendAll(log, 2, 3); // wait behind entry 1
        clock.advance(Duration.ofHours(1));
        publisher.drainNow();
        awaitTrue(() -> log.get(1).orElseThrow().attempts() == 2);
        // the second failure counts for the whole batch, and the delay doubles
        assertThat(log.get(2).orElseThrow().attempts()).isEqualTo(1);
        assertThat(log.get(1).orElseThrow().nextAttemptAt()).isEqualTo(clock.instant().plus(Duration.ofHours(2)));

        clock.advance(Duration.ofHours(2));
        publisher.drainNow();
        assertThat(publisher.awaitDrained(WAIT)).isTrue();
        assertThat(sink.calls()).extracting(RecordingSink.Call::operations)
                .containsExactly(ops(1), ops(1, 2), ops(1, 2), ops(3));
        assertThat(sink.delivered()).isEqualTo(ops(1, 2, 3));
        assertThat(publisher.stats().failedAttempts()).isEqualTo(2);
        assertThat(log.get(1).orElseThrow().state()).isEqualTo(OutboxState.DELIVERED);
    }

    @Test
    void aSinkFailingForManyAttemptsIsRetriedUntilItTakesTheEntries() throws Exception {
        OutboxLog log = log(Clock.systemUTC());
        int failures = 25;
        sink.behave((call, ops) -> call < failures ? DeliveryException.transientFailure("timeout " + call, null)
                : null);
        appendAll(log, 1, 5);
        OutboxPublisher publisher = publisher(log, options(2), Clock.systemUTC());
        publisher.start();
        assertThat(publisher.awaitDrained(WAIT)).isTrue();
        assertThat(sink.delivered()).isEqualTo(ops(1, 2, 3, 4, 5));
        assertThat(sink.calls()).hasSize(failures + 3);
        assertThat(log.get(1).orElseThrow().attempts()).isEqualTo(failures);
        assertThat(publisher.stats().failedAttempts()).isEqualTo(failures);
    }

    @Test
    void aPoisonEntryInABatchIsFoundBySplittingAndDeadLetteredWhileTheOthersFlow() throws Exception {
        OutboxLog log = log(Clock.systemUTC());
        String poison = encoded(op(4));
        sink.behave((call, ops) -> SyncTestSupport.encoded(ops).contains(poison)
                ? DeliveryException.permanentFailure("Bad request: point 4 is wrong", null) : null);
        appendAll(log, 1, 7);
        OutboxPublisher publisher = publisher(log, options(10), Clock.systemUTC());
        publisher.start();
        assertThat(publisher.awaitDrained(WAIT)).isTrue();
        assertThat(sink.calls()).containsExactly(
                new RecordingSink.Call(ops(1, 2, 3, 4, 5, 6, 7), false),
                new RecordingSink.Call(ops(1), true),
                new RecordingSink.Call(ops(2), true),
                new RecordingSink.Call(ops(3), true),
                new RecordingSink.Call(ops(4), false),
                new RecordingSink.Call(ops(5, 6, 7), true));
        OutboxEntry dead = log.get(4).orElseThrow();
        assertThat(dead.state()).isEqualTo(OutboxState.DEAD);
        assertThat(dead.lastError()).contains("Bad request: point 4 is wrong");
        assertThat(publisher.stats().deadLettered()).isEqualTo(1);
        assertThat(log.deadCount()).isEqualTo(1);

        appendAll(log, 8, 9); // later entries are not held up by the dead one
        assertThat(publisher.awaitDrained(WAIT)).isTrue();
        sink.behave((call, ops) -> null); // the server accepts it now
        log.resubmit(4);
        assertThat(publisher.awaitDrained(WAIT)).isTrue();
        assertThat(sink.delivered()).isEqualTo(ops(1, 2, 3, 5, 6, 7, 8, 9, 4));
        assertThat(log.get(4).orElseThrow().state()).isEqualTo(OutboxState.DELIVERED);
    }

    @Test
    void twoPoisonEntriesAreBothFound() throws Exception {
        OutboxLog log = log(Clock.systemUTC());
        List<String> poison = ops(2, 5);
        sink.behave((call, ops) -> SyncTestSupport.encoded(ops).stream().anyMatch(poison::contains)
                ? DeliveryException.permanentFailure("refused", null) : null);
        appendAll(log, 1, 6);
        OutboxPublisher publisher = publisher(log, options(6), Clock.systemUTC());
        publisher.start();
        assertThat(publisher.awaitDrained(WAIT)).isTrue();
        assertThat(sink.delivered()).isEqualTo(ops(1, 3, 4, 6));
        assertThat(log.list(OutboxState.DEAD, 0, 10)).extracting(OutboxEntry::seq).containsExactly(2L, 5L);
    }

    @Test
    void aBatchInFlightWhenThePublisherStopsIsDeliveredAgainInOrderAfterARestart() throws Exception {
        Path dir = temp.resolve("outbox");
        OutboxLog log = OutboxLog.open(dir, OutboxOptions.defaults(), Clock.systemUTC());
        appendAll(log, 1, 3);
        sink.holdNextCall();
        OutboxPublisher publisher = new OutboxPublisher(log, sink,
                new PublisherOptions(3, Duration.ZERO, QUICK, Duration.ofMillis(50)), Clock.systemUTC());
        publisher.start();
        sink.awaitEntered();
        appendAll(log, 4, 4);
        assertThat(log.list(OutboxState.IN_FLIGHT, 0, 10)).extracting(OutboxEntry::seq).containsExactly(1L, 2L, 3L);
        publisher.stop(); // the sink does not return in time: the batch is abandoned
        log.close();
        sink.release(); // the receiver got the batch after all; its acknowledgement is lost
        awaitTrue(() -> sink.calls().size() == 1);

        try (OutboxLog reopened = OutboxLog.open(dir, OutboxOptions.defaults(), Clock.systemUTC());
                OutboxPublisher second = new OutboxPublisher(reopened, sink, options(10), Clock.systemUTC())) {
            assertThat(reopened.backlog()).isEqualTo(4);
            second.start();
            assertThat(second.awaitDrained(WAIT)).isTrue();
        }
        // at least once: the abandoned batch again, whole and in order, before what came after it
        assertThat(sink.delivered()).isEqualTo(ops(1, 2, 3, 1, 2, 3, 4));
    }

    @Test
    void awaitDrainedGivesUpWhileTheSinkKeepsFailing() throws Exception {
        OutboxLog log = log(Clock.systemUTC());
        sink.behave((call, ops) -> DeliveryException.transientFailure("down", null));
        appendAll(log, 1, 1);
        OutboxPublisher publisher = publisher(log, options(1), Clock.systemUTC());
        publisher.start();
        awaitTrue(() -> log.get(1).orElseThrow().attempts() >= 1);
        assertThat(publisher.awaitDrained(Duration.ofMillis(100))).isFalse();
        assertThat(log.get(1).orElseThrow().state()).isIn(OutboxState.PENDING, OutboxState.IN_FLIGHT);
        assertThat(publisher.stats().lastError()).contains("down");
        publisher.stop();
        assertThat(publisher.stats().running()).isFalse();
    }

    @Test
    void anEntryWhoseOperationCannotBeReadBackIsDeadLettered() throws Exception {
        Path dir = temp.resolve("outbox");
        try (OutboxLog first = OutboxLog.open(dir)) {
            first.append(op(1));
        }
        // a whole record (its CRC matches) whose operation is not a WAL record
        byte[] body = OutboxRecords.append(2, 0, -1, List.of(), new byte[] {(byte) 0xff, 0x13});
        try (java.nio.channels.FileChannel channel = java.nio.channels.FileChannel.open(dir.resolve(OutboxLog.FILE),
                java.nio.file.StandardOpenOption.APPEND)) {
            channel.write(OutboxRecords.frames(List.of(body)));
        }
        OutboxLog log = log(Clock.systemUTC());
        appendAll(log, 3, 3);
        OutboxPublisher publisher = publisher(log, options(5), Clock.systemUTC());
        publisher.start();
        assertThat(publisher.awaitDrained(WAIT)).isTrue();
        assertThat(sink.delivered()).isEqualTo(ops(1, 3));
        OutboxEntry unreadable = log.get(2).orElseThrow();
        assertThat(unreadable.state()).isEqualTo(OutboxState.DEAD);
        assertThat(unreadable.lastError().orElseThrow()).startsWith("cannot read the operation back");
    }

    private static void awaitTrue(BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + WAIT.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("condition not reached within " + WAIT);
            }
            Thread.sleep(5);
        }
    }
}
