package dev.qdrantedge.engine.shard;

import dev.qdrantedge.engine.EdgeException;
import dev.qdrantedge.engine.EdgeFormatException;
import dev.qdrantedge.engine.config.EdgeConfig;
import dev.qdrantedge.engine.filter.FilterParser;
import dev.qdrantedge.engine.idtracker.PointId;
import dev.qdrantedge.engine.operation.ClearPayloadByFilter;
import dev.qdrantedge.engine.operation.ConditionalUpsertPoints;
import dev.qdrantedge.engine.operation.CreateFieldIndex;
import dev.qdrantedge.engine.operation.CreateVectorName;
import dev.qdrantedge.engine.operation.DeleteFieldIndex;
import dev.qdrantedge.engine.operation.DeletePayload;
import dev.qdrantedge.engine.operation.DeletePointsByFilter;
import dev.qdrantedge.engine.operation.DeleteVectorName;
import dev.qdrantedge.engine.operation.DeleteVectorsByFilter;
import dev.qdrantedge.engine.operation.InvalidOperationException;
import dev.qdrantedge.engine.operation.OperationValidator;
import dev.qdrantedge.engine.operation.OverwritePayload;
import dev.qdrantedge.engine.operation.SetPayload;
import dev.qdrantedge.engine.operation.SyncPoints;
import dev.qdrantedge.engine.operation.UpdateOperation;
import dev.qdrantedge.engine.operation.UpdateVectors;
import dev.qdrantedge.engine.segment.WritableSegment;
import dev.qdrantedge.engine.wal.WalOptions;
import dev.qdrantedge.engine.wal.WalWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.NavigableMap;
import java.util.Optional;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Lock;
import java.util.concurrent.locks.ReentrantLock;
import tools.jackson.databind.JsonNode;

/**
 * The write side of a shard opened for writing: its WAL, its segments and the applier between them. One
 * update runs at a time; the shard's write lock is taken only around the in-memory apply and the segment
 * flush, so readers wait for neither the WAL write nor its sync.
 */
final class ShardWriter {

    private static final System.Logger LOG = System.getLogger(EdgeShard.class.getName());

    private final Path directory;
    private final List<WritableSegment> segments;
    private final SegmentPointStore store;
    private final OperationApplier applier;
    private final WalWriter wal;
    private final WriteOptions options;
    private final ShardLock directoryLock;
    private final ReentrantLock updates = new ReentrantLock();
    private final ScheduledExecutorService syncer;
    /** The last operation applied to the segments; -1 before any. */
    private long lastApplied;
    private volatile RuntimeException failure;
    /** The shard's write lock: held while operations are applied in memory and while segments flush. */
    private final Lock writeLock;
    /**
     * Counts the changes made under the write lock (applied operations, flushes); readers holding the read
     * lock see a stable value, so state cached for reads is current while this number is unchanged.
     */
    private volatile long generation;
    private boolean closed;

    private ShardWriter(Path directory, List<WritableSegment> segments, SegmentPointStore store,
            OperationApplier applier, WalWriter wal, WriteOptions options, ShardLock directoryLock, long lastApplied,
            Lock writeLock) {
        this.directory = directory;
        this.segments = segments;
        this.store = store;
        this.applier = applier;
        this.wal = wal;
        this.options = options;
        this.writeLock = writeLock;
        this.directoryLock = directoryLock;
        this.lastApplied = lastApplied;
        this.syncer = startBackgroundWork(options);
    }

    /**
     * Indexes the segments, replays into them the WAL entries they may lack, and opens the WAL for
     * appending. Takes ownership of the segments and the lock only when it returns.
     */
    static ShardWriter open(Path directory, EdgeConfig config, List<WritableSegment> segments, WriteOptions options,
            ShardLock lock, Lock writeLock) {
        SegmentPointStore store = new SegmentPointStore(segments);
        OperationApplier applier = new OperationApplier(config, store,
                new StoreFilterSelector(new SegmentFieldIndexes(segments.stream().map(WritableSegment::view).toList())));
        Path walDir = directory.resolve(EdgeShard.WAL_DIR);
        WalReplay.replay(applier, walDir);
        WalOptions walOptions = config.effectiveWalOptions();
        WalWriter wal = WalWriter.open(walDir, walOptions);
        try {
            long highestVersion = -1;
            for (WritableSegment segment : segments) {
                highestVersion = Math.max(highestVersion, segment.version());
            }
            for (StoredPoint point : store.points().values()) {
                highestVersion = Math.max(highestVersion, point.version());
            }
            boolean walEmpty = wal.nextIndex() == wal.firstStoredIndex();
            if (highestVersion >= wal.nextIndex()) {
                if (!walEmpty) {
                    throw new EdgeFormatException(walDir, "the WAL ends at entry " + wal.lastIndex()
                            + " but the segments hold operation " + highestVersion + "; new operations would be"
                            + " ignored as older than the stored points");
                }
                // A shard restored from a snapshot without its WAL: number new operations after the stored ones.
                wal.close();
                WalWriter.replaceEmpty(walDir, walOptions, highestVersion);
                wal = WalWriter.open(walDir, walOptions);
            }
            long lastApplied = walEmpty ? -1 : wal.lastIndex();
            return new ShardWriter(directory, List.copyOf(segments), store, applier, wal, options, lock, lastApplied,
                    writeLock);
        } catch (RuntimeException e) {
            wal.close();
            throw e;
        }
    }

    private ScheduledExecutorService startBackgroundWork(WriteOptions writeOptions) {
        if (writeOptions.fsync().isPerOperation() && writeOptions.autoFlushInterval() == null) {
            return null;
        }
        ScheduledExecutorService executor = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "edge-shard-" + directory.getFileName());
            t.setDaemon(true);
            return t;
        });
        if (!writeOptions.fsync().isPerOperation()) {
            long nanos = writeOptions.fsync().interval().toNanos();
            executor.scheduleWithFixedDelay(this::syncQuietly, nanos, nanos, TimeUnit.NANOSECONDS);
        }
        if (writeOptions.autoFlushInterval() != null) {
            long nanos = writeOptions.autoFlushInterval().toNanos();
            executor.scheduleWithFixedDelay(this::flushQuietly, nanos, nanos, TimeUnit.NANOSECONDS);
        }
        return executor;
    }

    private void syncQuietly() {
        updates.lock();
        try {
            if (!closed && failure == null) {
                wal.flush(true);
            }
        } catch (RuntimeException e) {
            LOG.log(System.Logger.Level.ERROR, "cannot sync the WAL of " + directory, e);
        } finally {
            updates.unlock();
        }
    }

    private void flushQuietly() {
        updates.lock();
        try {
            if (!closed && failure == null) {
                flushLocked();
            }
        } catch (RuntimeException e) {
            LOG.log(System.Logger.Level.ERROR, "cannot flush the shard " + directory, e);
        } finally {
            updates.unlock();
        }
    }

    EdgeConfig config() {
        return applier.config();
    }

    NavigableMap<PointId, StoredPoint> points() {
        return store.points();
    }

    /** The number of in-memory changes so far; read it under the shard's read lock. */
    long generation() {
        return generation;
    }

    long update(UpdateOperation operation, Runnable ensureOpen) {
        updates.lock();
        try {
            ensureOpen.run();
            ensureHealthy();
            validate(operation);
            long opNum = wal.append(operation);
            if (options.fsync().isPerOperation()) {
                wal.flush(true);
            }
            PointId missing;
            writeLock.lock();
            try {
                generation++;
                missing = applier.apply(operation, opNum);
                lastApplied = opNum;
            } catch (RuntimeException e) {
                failure = e;
                throw new EdgeException("operation " + opNum + " (" + operation.variant() + ") is in the WAL but"
                        + " failed to apply; the shard accepts no more updates until it is reopened: "
                        + e.getMessage(), e);
            } finally {
                writeLock.unlock();
            }
            if (missing != null) {
                throw new PointNotFoundException(missing, opNum, operation.variant());
            }
            return opNum;
        } finally {
            updates.unlock();
        }
    }

    /** Checks an operation as {@link #update} does before writing anything; nothing is written here. */
    void validate(UpdateOperation operation) {
        new OperationValidator(applier.config()).validate(operation);
        checkSupported(operation);
    }

    /** The number of the last operation in the WAL (applied, or replayed on open); -1 before any. */
    long lastOperationNumber() {
        updates.lock();
        try {
            return wal.nextIndex() - 1;
        } finally {
            updates.unlock();
        }
    }

    /** Refuses, before anything is written, what the applier cannot apply or would reject half-way. */
    private static void checkSupported(UpdateOperation op) {
        if (op instanceof CreateVectorName || op instanceof DeleteVectorName || op instanceof CreateFieldIndex
                || op instanceof DeleteFieldIndex || op instanceof SyncPoints) {
            throw new InvalidOperationException(op.variant() + " is not supported by this engine yet");
        }
        for (JsonNode filter : filters(op)) {
            FilterParser.parse(filter, "filter");
        }
        if (op instanceof SetPayload set) {
            requirePointsOrFilter(op, set.points(), set.filter());
        } else if (op instanceof OverwritePayload overwrite) {
            requirePointsOrFilter(op, overwrite.points(), overwrite.filter());
        } else if (op instanceof DeletePayload delete) {
            requirePointsOrFilter(op, delete.points(), delete.filter());
        }
        List<String> keys = new ArrayList<>();
        if (op instanceof SetPayload set) {
            set.key().ifPresent(keys::add);
        } else if (op instanceof OverwritePayload overwrite) {
            overwrite.key().ifPresent(keys::add);
        } else if (op instanceof DeletePayload delete) {
            keys.addAll(delete.keys());
        }
        for (String key : keys) {
            if (!PayloadPaths.isSupported(key)) {
                throw new InvalidOperationException("payload key '" + key + "': only plain dotted paths"
                        + " (such as a.b.c) are supported");
            }
        }
    }

    private static void requirePointsOrFilter(UpdateOperation op, Optional<List<PointId>> points,
            Optional<JsonNode> filter) {
        if (points.isEmpty() && filter.filter(f -> !f.isNull() && !f.isMissingNode()).isEmpty()) {
            throw new InvalidOperationException(op.variant() + " names neither points nor a filter");
        }
    }

    private static List<JsonNode> filters(UpdateOperation op) {
        List<Optional<JsonNode>> found = new ArrayList<>();
        if (op instanceof DeletePointsByFilter d) {
            found.add(Optional.of(d.filter()));
        } else if (op instanceof ClearPayloadByFilter c) {
            found.add(Optional.of(c.filter()));
        } else if (op instanceof DeleteVectorsByFilter d) {
            found.add(Optional.of(d.filter()));
        } else if (op instanceof ConditionalUpsertPoints c) {
            found.add(Optional.ofNullable(c.condition()));
        } else if (op instanceof SetPayload s) {
            found.add(s.filter());
        } else if (op instanceof OverwritePayload o) {
            found.add(o.filter());
        } else if (op instanceof DeletePayload d) {
            found.add(d.filter());
        } else if (op instanceof UpdateVectors u) {
            found.add(u.updateFilter());
        }
        List<JsonNode> filters = new ArrayList<>();
        for (Optional<JsonNode> f : found) {
            f.filter(json -> !json.isNull() && !json.isMissingNode()).ifPresent(filters::add);
        }
        return filters;
    }

    void flush(Runnable ensureOpen) {
        updates.lock();
        try {
            ensureOpen.run();
            ensureHealthy();
            flushLocked();
        } finally {
            updates.unlock();
        }
    }

    /** Segments in Qdrant's order (appendable ones, which receive moved points, first), then the WAL ack. */
    private void flushLocked() {
        wal.flush(true);
        writeLock.lock();
        try {
            generation++;
            for (WritableSegment segment : segments) {
                if (segment.appendable()) {
                    segment.flush();
                }
            }
            for (WritableSegment segment : segments) {
                if (!segment.appendable()) {
                    segment.flush();
                }
            }
        } finally {
            writeLock.unlock();
        }
        if (lastApplied >= 0) {
            wal.ack(lastApplied);
        }
    }

    /** Flushes (unless an update failed), then releases the WAL, the segments and the directory lock. */
    void close(Runnable markClosed) {
        updates.lock();
        try {
            if (closed) {
                return;
            }
            closed = true;
            if (syncer != null) {
                syncer.shutdownNow();
            }
            try {
                if (failure == null) {
                    flushLocked();
                }
            } finally {
                writeLock.lock();
                try {
                    markClosed.run();
                    try {
                        wal.close();
                    } finally {
                        segments.forEach(WritableSegment::close);
                    }
                } finally {
                    writeLock.unlock();
                    directoryLock.close();
                }
            }
        } finally {
            updates.unlock();
        }
    }

    /**
     * Flushes, then closes the WAL and the segments like {@link #close} but keeps the directory lock, which
     * it returns: the shard stays claimed while its files are switched (a snapshot update) and reopened.
     */
    ShardLock detach() {
        stopBackgroundWork();
        updates.lock();
        try {
            closed = true;
            if (syncer != null) {
                syncer.shutdownNow();
            }
            try {
                if (failure == null) {
                    flushLocked();
                }
            } finally {
                writeLock.lock();
                try {
                    wal.close();
                } finally {
                    segments.forEach(WritableSegment::close);
                    writeLock.unlock();
                }
            }
            return directoryLock;
        } finally {
            updates.unlock();
        }
    }

    /**
     * Stops the background sync and flush thread and waits for it; call before taking the shard's write lock
     * ahead of {@link #detach}, so that a background flush waiting for that lock cannot deadlock it.
     */
    void stopBackgroundWork() {
        if (syncer == null) {
            return;
        }
        syncer.shutdownNow();
        try {
            if (!syncer.awaitTermination(1, TimeUnit.MINUTES)) {
                throw new EdgeException("the background flush of " + directory + " did not stop");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new EdgeException("interrupted while stopping the background flush of " + directory, e);
        }
    }

    WriteOptions options() {
        return options;
    }

    private void ensureHealthy() {
        RuntimeException f = failure;
        if (f != null) {
            throw new EdgeException("shard " + directory + " failed to apply an operation earlier and accepts no"
                    + " more updates until it is reopened: " + f.getMessage(), f);
        }
    }
}
