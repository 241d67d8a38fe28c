package dev.qdrantedge.spring.boot.autoconfigure;

import dev.qdrantedge.engine.snapshot.SnapshotManifest;
import dev.qdrantedge.engine.sync.EdgeStore;
import dev.qdrantedge.engine.sync.RefreshResult;
import dev.qdrantedge.engine.sync.SnapshotSource;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.springframework.context.SmartLifecycle;

/**
 * Keeps the {@link EdgeStore}'s mirror in step with the server: runs {@link EdgeStore#refresh(SnapshotSource)} on
 * a single thread of its own (the application need not enable scheduling) every {@code qdrant.edge.sync
 * .refresh-interval}, the first time after {@code initial-delay}.
 *
 * <p><b>Bootstrap.</b> With {@code bootstrap=BLOCKING} and no mirror yet, {@link #start()} downloads the first full
 * snapshot before it returns, so the application takes requests only with the server's points; when that fails,
 * start-up fails with a {@link MirrorBootstrapException} naming the server and the cause. With {@code BACKGROUND},
 * or when the store has a mirror from an earlier run, start-up goes on at once and the first refresh runs in the
 * background.
 *
 * <p><b>Failures</b> (server unreachable, snapshot refused) leave the store as it was: reads go on on the mirror
 * it has, writes wait in the outbox. The first failure of a streak is logged as a warning with its reason, later
 * ones of the same streak at debug level, and the first success after it at info level; {@link #stats()} and the
 * store's {@link EdgeStore#status()} tell the current state. The next scheduled refresh tries again.
 *
 * <p><b>Stop.</b> {@link #stop()} ends the schedule; a download in progress is interrupted (applying a downloaded
 * snapshot is never interrupted: it is atomic and short) and the stop waits for the thread up to ten seconds.
 */
public final class EdgeMirrorRefresher implements SmartLifecycle {

    private static final Log LOG = LogFactory.getLog(EdgeMirrorRefresher.class);
    /** The longest {@link #stop()} waits for a refresh in progress. */
    private static final Duration STOP_WAIT = Duration.ofSeconds(10);

    /**
     * What the refresher has done since it was created.
     *
     * @param refreshes refreshes that succeeded
     * @param failures refreshes that failed
     * @param totalTime the time the successful refreshes took, downloads included
     * @param totalBytes the bytes of the snapshots they downloaded
     * @param consecutiveFailures failures since the last success (0 when the last refresh succeeded)
     * @param lastAttemptAt when the last refresh ended, if any ran
     * @param startedAt when the refresher last started, if it did
     * @param running whether it runs
     */
    public record Stats(long refreshes, long failures, Duration totalTime, long totalBytes, long consecutiveFailures,
            Optional<Instant> lastAttemptAt, Optional<Instant> startedAt, boolean running) {
    }

    private final EdgeStore store;
    private final SnapshotSource source;
    private final EdgeProperties.Sync sync;
    private final String server;
    private final Clock clock;
    private final InterruptibleDownloads downloads;
    private ScheduledExecutorService executor;
    private volatile Instant startedAt;
    private volatile Instant lastAttemptAt;
    private final AtomicLong refreshes = new AtomicLong();
    private final AtomicLong failures = new AtomicLong();
    private final AtomicLong totalNanos = new AtomicLong();
    private final AtomicLong totalBytes = new AtomicLong();
    private final AtomicLong streak = new AtomicLong();

    /**
     * @param source where snapshots come from
     * @param sync bootstrap, refresh-interval and initial-delay
     * @param server the server's name for messages, e.g. its REST base URI
     */
    public EdgeMirrorRefresher(EdgeStore store, SnapshotSource source, EdgeProperties.Sync sync, String server,
            Clock clock) {
        this.store = Objects.requireNonNull(store, "store");
        this.source = Objects.requireNonNull(source, "source");
        this.sync = Objects.requireNonNull(sync, "sync");
        this.server = Objects.requireNonNull(server, "server");
        this.clock = Objects.requireNonNull(clock, "clock");
        this.downloads = new InterruptibleDownloads(source);
    }

    public SnapshotSource source() {
        return source;
    }

    // ---------------------------------------------------------------------------------------------
    // lifecycle

    /**
     * Starts the schedule; with {@code bootstrap=BLOCKING} and no mirror, first downloads the server's snapshot.
     *
     * @throws MirrorBootstrapException when that download fails
     */
    @Override
    public synchronized void start() {
        if (executor != null) {
            return;
        }
        ScheduledThreadPoolExecutor started = new ScheduledThreadPoolExecutor(1, r -> {
            Thread t = new Thread(r, "edge-mirror-refresh");
            t.setDaemon(true);
            return t;
        });
        started.setExecuteExistingDelayedTasksAfterShutdownPolicy(false);
        started.setContinueExistingPeriodicTasksAfterShutdownPolicy(false);
        executor = started;
        startedAt = clock.instant();
        downloads.reset();
        Duration first = sync.getInitialDelay();
        if (sync.getBootstrap() == EdgeProperties.Sync.Bootstrap.BLOCKING && !store.hasMirror()) {
            bootstrap(started);
            first = sync.getRefreshInterval();
        }
        started.scheduleWithFixedDelay(this::scheduledRefresh, first.toNanos(), sync.getRefreshInterval().toNanos(),
                TimeUnit.NANOSECONDS);
    }

    private void bootstrap(ScheduledThreadPoolExecutor started) {
        LOG.info("Downloading the first snapshot of the server's shard from " + server
                + " before start-up goes on (qdrant.edge.sync.bootstrap=BLOCKING)");
        try {
            RefreshResult result = started.submit(this::refreshOnce).get();
            LOG.info("Mirror bootstrapped from " + server + " (" + result.bytes() + " bytes in "
                    + result.duration().toMillis() + " ms)");
        } catch (ExecutionException e) {
            abandon(started);
            Throwable cause = e.getCause();
            throw new MirrorBootstrapException("qdrant.edge.sync.bootstrap=BLOCKING: the first snapshot of the"
                    + " server's shard could not be downloaded from " + server + ": " + describe(cause) + ". Start-up"
                    + " stops here; once the server is reachable, start again, or set qdrant.edge.sync.bootstrap="
                    + "BACKGROUND to start without the mirror and fill it when the server answers", cause);
        } catch (InterruptedException e) {
            abandon(started);
            Thread.currentThread().interrupt();
            throw new MirrorBootstrapException("start-up was interrupted while downloading the first snapshot from "
                    + server, e);
        }
    }

    private void abandon(ScheduledThreadPoolExecutor started) {
        started.shutdownNow();
        executor = null;
    }

    @Override
    public void stop() {
        ScheduledExecutorService stopping;
        synchronized (this) {
            stopping = executor;
            executor = null;
        }
        if (stopping == null) {
            return;
        }
        stopping.shutdown();
        downloads.cancel();
        try {
            if (!stopping.awaitTermination(STOP_WAIT.toMillis(), TimeUnit.MILLISECONDS)) {
                LOG.warn("The mirror refresh in progress did not end within " + STOP_WAIT + "; it fails when the store"
                        + " closes");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public synchronized boolean isRunning() {
        return executor != null;
    }

    @Override
    public int getPhase() {
        return EdgeLifecyclePhases.BACKGROUND_WORK;
    }

    // ---------------------------------------------------------------------------------------------
    // refreshes

    /**
     * Refreshes the mirror now, on the refresher's thread (after a refresh in progress).
     *
     * @return the refresh's result, or its failure
     * @throws IllegalStateException when the refresher is not running
     */
    public CompletableFuture<RefreshResult> triggerRefresh() {
        CompletableFuture<RefreshResult> result = new CompletableFuture<>();
        ScheduledExecutorService running;
        synchronized (this) {
            running = executor;
        }
        if (running == null) {
            throw new IllegalStateException("the mirror refresher is not running");
        }
        try {
            running.execute(() -> {
                try {
                    result.complete(refreshOnce());
                } catch (IOException | RuntimeException e) {
                    result.completeExceptionally(e);
                }
            });
        } catch (RejectedExecutionException e) {
            throw new IllegalStateException("the mirror refresher is stopping", e);
        }
        return result;
    }

    private void scheduledRefresh() {
        try {
            refreshOnce();
        } catch (IOException | RuntimeException e) {
            // logged by refreshOnce; the schedule goes on (an exception would end it)
        }
    }

    private RefreshResult refreshOnce() throws IOException {
        try {
            RefreshResult result = store.refresh(downloads);
            refreshes.incrementAndGet();
            totalNanos.addAndGet(result.duration().toNanos());
            totalBytes.addAndGet(result.bytes());
            long failed = streak.getAndSet(0);
            if (failed > 0) {
                LOG.info("Mirror refresh from " + server + " succeeded again after " + failed + " failed "
                        + (failed == 1 ? "attempt" : "attempts") + " (" + result.kind() + ", " + result.bytes()
                        + " bytes)");
            } else if (LOG.isDebugEnabled()) {
                LOG.debug("Mirror refreshed from " + server + ": " + result);
            }
            return result;
        } catch (IOException | RuntimeException e) {
            failures.incrementAndGet();
            long failed = streak.incrementAndGet();
            if (failed == 1) {
                LOG.warn("Mirror refresh from " + server + " failed: " + describe(e) + ". Reads go on on the mirror"
                        + " as it is; retrying every " + sync.getRefreshInterval() + " (further failures are logged"
                        + " at debug level until one succeeds)");
            } else if (LOG.isDebugEnabled()) {
                LOG.debug("Mirror refresh from " + server + " failed again (" + failed + " in a row): " + describe(e));
            }
            throw e;
        } finally {
            lastAttemptAt = clock.instant();
        }
    }

    private static String describe(Throwable e) {
        String message = e.getMessage();
        return message == null || message.isBlank() ? e.getClass().getName() : message;
    }

    public Stats stats() {
        return new Stats(refreshes.get(), failures.get(), Duration.ofNanos(totalNanos.get()), totalBytes.get(),
                streak.get(), Optional.ofNullable(lastAttemptAt), Optional.ofNullable(startedAt), isRunning());
    }

    /**
     * The source the store refreshes from: the configured one, with downloads that {@link #cancel()} interrupts
     * (and nothing else: a thread is interrupted only while it downloads, never while the store applies the
     * archive, whose files an interrupt would close).
     */
    private static final class InterruptibleDownloads implements SnapshotSource {

        private final SnapshotSource source;
        private Thread downloading;
        private boolean cancelled;

        InterruptibleDownloads(SnapshotSource source) {
            this.source = source;
        }

        synchronized void reset() {
            cancelled = false;
        }

        synchronized void cancel() {
            cancelled = true;
            if (downloading != null) {
                downloading.interrupt();
            }
        }

        @Override
        public Path downloadFull(Path directory) throws IOException {
            return download(() -> source.downloadFull(directory));
        }

        @Override
        public Optional<Path> downloadPartial(SnapshotManifest manifest, Path directory) throws IOException {
            return download(() -> source.downloadPartial(manifest, directory));
        }

        /** One download of the source. */
        private interface Download<T> {
            T run() throws IOException;
        }

        /**
         * Runs a download that {@link #cancel()} may interrupt; a download that succeeded while it was cancelled is
         * refused here, before the store applies it. The interrupt is cleared either way: it was only for the
         * download.
         */
        private <T> T download(Download<T> download) throws IOException {
            synchronized (this) {
                if (cancelled) {
                    throw new InterruptedIOException("the mirror refresher is stopping");
                }
                downloading = Thread.currentThread();
            }
            T result;
            try {
                result = download.run();
            } catch (IOException | RuntimeException e) {
                finish();
                throw e;
            }
            if (finish()) {
                throw new InterruptedIOException("the mirror refresher is stopping");
            }
            return result;
        }

        /** Ends a download; whether it was cancelled meanwhile. */
        private synchronized boolean finish() {
            downloading = null;
            boolean interrupted = Thread.interrupted();
            return interrupted || cancelled;
        }
    }
}
