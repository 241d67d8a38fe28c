package dev.qdrantedge.engine.sync;

import dev.qdrantedge.engine.EdgeException;
import dev.qdrantedge.engine.operation.UpdateOperation;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import java.util.random.RandomGenerator;

/**
 * Delivers an {@link OutboxLog}'s pending entries to an {@link OutboxSink}, on its own daemon thread.
 *
 * <p><b>Order.</b> Entries go strictly in sequence order, never reordered: each batch is the lowest pending
 * entry and the pending entries after it (up to {@link PublisherOptions#batchSize()}), and the next batch is
 * taken only when this one is settled. Delivered and dead entries are passed over.
 *
 * <p><b>Batching.</b> A batch that is not full waits up to {@link PublisherOptions#linger()} (from its first
 * entry's creation) for more entries. Each entry is marked {@link OutboxState#IN_FLIGHT}, the sink is called
 * with the batch's operations, and on success the entries are marked {@link OutboxState#DELIVERED}.
 *
 * <p><b>Failures.</b> A transient failure ({@link DeliveryException#isTransient()}, or any runtime exception
 * of the sink) counts an attempt on every entry of the batch and makes them pending again, due after
 * {@link Backoff#delayAfter} the first entry's attempts; since the first pending entry waits, everything
 * waits: retries go on forever, in order. A permanent failure of a single entry dead-letters it with the
 * error ({@link OutboxState#DEAD}) and the entries after it go on. A permanent failure of a larger batch is
 * split: its entries are retried one by one until the one refused is found and dead-lettered; batching then
 * resumes.
 *
 * <p><b>At least once, with the effect of once.</b> A batch may be delivered again: after a crash between the
 * sink's acknowledgement and the delivered record, after a stop that abandoned it, and after a failure the
 * sink may have applied in part. Redelivery is always of whole pending runs in order. Operations on listed
 * points end in the same state when a run is applied again in order, but an operation that selects points by
 * a filter or a condition would be decided again on the newer state. So an entry that was {@linkplain
 * OutboxEntry#handedOver() handed to the sink before} and has its selected points recorded (as an edge
 * store's entries do) goes again {@linkplain RestrictedOperations restricted to those points}; one that
 * selected none is settled without being sent.
 *
 * <p><b>Lifecycle.</b> {@link #start()} once; {@link #stop()} lets the delivery in progress finish for up to
 * {@link PublisherOptions#stopTimeout()} and then abandons it (its entries are pending again when the log is
 * next opened); the thread is never interrupted, since that would close the log's file channel. A stopped
 * publisher cannot be started again: make a new one. {@link #drainNow()} and {@link #awaitDrained} serve
 * tests and shutdown.
 */
public final class OutboxPublisher implements AutoCloseable {

    private static final System.Logger LOG = System.getLogger(OutboxPublisher.class.getName());

    private final OutboxLog log;
    private final OutboxSink sink;
    private final PublisherOptions options;
    private final Clock clock;
    private final RandomGenerator random;
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition signal = lock.newCondition();
    private final Runnable listener = this::wake;
    /** Grows on every change of the log and every {@link #drainNow()}: a wait ends when it moved. */
    private long signals;
    /** Set by {@link #drainNow()}: the next batch goes without waiting for its linger or backoff. */
    private boolean urgent;
    private volatile boolean stopping;
    /** Whether a delivery step is under way (guarded by {@link #lock}): its counters are not final yet. */
    private boolean delivering;
    private Thread thread;
    /** Entries of a permanently failed batch still to retry one by one. */
    private int splitting;

    private final AtomicLong deliveredEntries = new AtomicLong();
    private final AtomicLong deliveredBatches = new AtomicLong();
    private final AtomicLong failedAttempts = new AtomicLong();
    private final AtomicLong deadLettered = new AtomicLong();
    private volatile String lastError;
    private volatile Instant lastDeliveryAt;

    public OutboxPublisher(OutboxLog log, OutboxSink sink, PublisherOptions options, Clock clock) {
        this(log, sink, options, clock, ThreadLocalRandom.current());
    }

    /** @param random the source of the backoff's jitter */
    public OutboxPublisher(OutboxLog log, OutboxSink sink, PublisherOptions options, Clock clock,
            RandomGenerator random) {
        this.log = Objects.requireNonNull(log, "log");
        this.sink = Objects.requireNonNull(sink, "sink");
        this.options = Objects.requireNonNull(options, "options");
        this.clock = Objects.requireNonNull(clock, "clock");
        this.random = Objects.requireNonNull(random, "random");
    }

    /**
     * Starts the delivery thread.
     *
     * @throws IllegalStateException when started before
     */
    public void start() {
        lock.lock();
        try {
            if (thread != null) {
                throw new IllegalStateException("the outbox publisher was started before; make a new one");
            }
            log.addChangeListener(listener);
            thread = new Thread(this::run, "edge-outbox-publisher-" + log.directory().getFileName());
            thread.setDaemon(true);
            thread.start();
        } finally {
            lock.unlock();
        }
    }

    /**
     * Stops delivering: waits up to {@link PublisherOptions#stopTimeout()} for the delivery in progress to
     * be settled and returns; a sink call still running then is abandoned (its entries are pending again when
     * the log is opened next).
     */
    public void stop() {
        Thread t;
        lock.lock();
        try {
            stopping = true;
            signal.signalAll();
            t = thread;
        } finally {
            lock.unlock();
        }
        log.removeChangeListener(listener);
        if (t != null && t != Thread.currentThread()) {
            try {
                t.join(Math.max(1, options.stopTimeout().toMillis()));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            if (t.isAlive()) {
                LOG.log(System.Logger.Level.WARNING, "the outbox sink did not return within "
                        + options.stopTimeout() + "; its batch is abandoned and will be delivered again");
            }
        }
    }

    @Override
    public void close() {
        stop();
    }

    /** Delivers what is pending now: the next batch goes without waiting for its linger or a backoff delay. */
    public void drainNow() {
        lock.lock();
        try {
            urgent = true;
            signals++;
            signal.signalAll();
        } finally {
            lock.unlock();
        }
    }

    /**
     * Waits until no entry is pending or in flight (and the delivery step that settled the last one has
     * updated the {@linkplain #stats() counters}).
     *
     * @return whether that happened within {@code timeout}
     */
    public boolean awaitDrained(Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        lock.lock();
        try {
            while (delivering || log.backlog() > 0) {
                long remaining = deadline - System.nanoTime();
                if (remaining <= 0) {
                    return false;
                }
                signal.awaitNanos(Math.min(remaining, TimeUnit.MILLISECONDS.toNanos(100)));
            }
            return true;
        } finally {
            lock.unlock();
        }
    }

    public PublisherStats stats() {
        Thread t = thread;
        return new PublisherStats(deliveredEntries.get(), deliveredBatches.get(), failedAttempts.get(),
                deadLettered.get(), Optional.ofNullable(lastError), Optional.ofNullable(lastDeliveryAt),
                t != null && t.isAlive() && !stopping);
    }

    // ---------------------------------------------------------------------------------------------

    private void wake() {
        lock.lock();
        try {
            signals++;
            signal.signalAll();
        } finally {
            lock.unlock();
        }
    }

    private void run() {
        while (!stopping) {
            long seen = currentSignals();
            try {
                step(seen);
            } catch (EdgeException e) {
                if (!log.isOpen()) {
                    return; // the log was closed under us
                }
                lastError = e.getMessage();
                LOG.log(System.Logger.Level.ERROR, "outbox delivery step failed; retrying", e);
                await(seen, options.backoff().initial().toMillis());
            } catch (RuntimeException | Error e) {
                lastError = String.valueOf(e);
                LOG.log(System.Logger.Level.ERROR, "outbox publisher failed; retrying", e);
                await(seen, options.backoff().initial().toMillis());
            }
        }
    }

    private void step(long seen) {
        int limit = splitting > 0 ? 1 : options.batchSize();
        List<OutboxEntry> batch = log.nextBatch(limit);
        if (batch.isEmpty()) {
            await(seen, Long.MAX_VALUE);
            return;
        }
        OutboxEntry head = batch.get(0);
        long now = clock.millis();
        if (!takeUrgent()) {
            long due = head.nextAttemptAt().toEpochMilli();
            if (due > now) {
                await(seen, due - now);
                return;
            }
            if (batch.size() < limit && splitting == 0 && head.attempts() == 0 && !options.linger().isZero()) {
                long filled = head.createdAt().toEpochMilli() + options.linger().toMillis();
                if (filled > now) {
                    await(seen, filled - now);
                    return;
                }
            }
        }
        setDelivering(true);
        try {
            deliver(batch);
        } finally {
            setDelivering(false);
        }
    }

    private void setDelivering(boolean value) {
        lock.lock();
        try {
            delivering = value;
            if (!value) {
                signal.signalAll();
            }
        } finally {
            lock.unlock();
        }
    }

    private void deliver(List<OutboxEntry> batch) {
        List<Long> seqs = new ArrayList<>(batch.size());
        List<UpdateOperation> operations = new ArrayList<>(batch.size());
        for (OutboxEntry entry : batch) {
            UpdateOperation operation;
            try {
                operation = log.operation(entry.seq());
            } catch (EdgeException e) {
                if (!log.isOpen()) {
                    throw e;
                }
                // nothing can ever deliver an entry that cannot be read back
                log.markDead(entry.seq(), "cannot read the operation back: " + e.getMessage());
                deadLettered.incrementAndGet();
                return;
            }
            seqs.add(entry.seq());
            if (entry.handedOver() && entry.pointIdsRecorded()) {
                RestrictedOperations.restrict(operation, entry.pointIds()).ifPresent(operations::add);
            } else {
                operations.add(operation);
            }
        }
        log.markInFlight(seqs);
        try {
            if (!operations.isEmpty()) {
                sink.deliver(List.copyOf(operations));
            }
        } catch (DeliveryException e) {
            failed(batch, seqs, e.isTransient(), describe(e));
            return;
        } catch (RuntimeException e) {
            failed(batch, seqs, true, describe(e));
            return;
        }
        log.markDelivered(seqs);
        deliveredEntries.addAndGet(seqs.size());
        deliveredBatches.incrementAndGet();
        lastDeliveryAt = clock.instant();
        if (splitting > 0) {
            splitting--;
        }
    }

    private void failed(List<OutboxEntry> batch, List<Long> seqs, boolean transientFailure, String message) {
        lastError = message;
        if (stopping) {
            log.markPending(seqs); // abandoned: the next publisher delivers it again
            return;
        }
        if (transientFailure) {
            failedAttempts.incrementAndGet();
            int attempts = batch.get(0).attempts() + 1;
            Instant next = clock.instant().plus(options.backoff().delayAfter(attempts, random));
            log.markFailed(seqs, message, next);
        } else if (seqs.size() > 1) {
            failedAttempts.incrementAndGet();
            log.markPending(seqs);
            splitting = seqs.size(); // find the entry refused by trying them one by one
        } else {
            log.markDead(seqs.get(0), message);
            deadLettered.incrementAndGet();
            splitting = 0; // the refused entry is found: the rest go in batches again
        }
    }

    private static String describe(Throwable e) {
        String message = e.getMessage();
        if (message == null || message.isBlank()) {
            message = e.getClass().getName();
        }
        Throwable cause = e.getCause();
        if (cause != null && cause.getMessage() != null && !message.contains(cause.getMessage())) {
            message += ": " + cause.getMessage();
        }
        return message;
    }

    private long currentSignals() {
        lock.lock();
        try {
            return signals;
        } finally {
            lock.unlock();
        }
    }

    private boolean takeUrgent() {
        lock.lock();
        try {
            boolean was = urgent;
            urgent = false;
            return was;
        } finally {
            lock.unlock();
        }
    }

    /** Waits up to {@code millis} unless a signal came since {@code seen} or the publisher stops. */
    private void await(long seen, long millis) {
        long deadline = millis == Long.MAX_VALUE ? Long.MAX_VALUE : System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(millis);
        lock.lock();
        try {
            while (signals == seen && !stopping) {
                if (deadline == Long.MAX_VALUE) {
                    signal.await();
                } else {
                    long remaining = deadline - System.nanoTime();
                    if (remaining <= 0) {
                        return;
                    }
                    signal.awaitNanos(remaining);
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            stopping = true;
        } finally {
            lock.unlock();
        }
    }
}
