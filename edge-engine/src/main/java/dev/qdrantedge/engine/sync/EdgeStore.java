package dev.qdrantedge.engine.sync;

import dev.qdrantedge.engine.EdgeException;
import dev.qdrantedge.engine.EdgeOperations;
import dev.qdrantedge.engine.config.EdgeConfig;
import dev.qdrantedge.engine.facet.FacetRequest;
import dev.qdrantedge.engine.facet.FacetResponse;
import dev.qdrantedge.engine.filter.Filter;
import dev.qdrantedge.engine.idtracker.PointId;
import dev.qdrantedge.engine.operation.DeletePoints;
import dev.qdrantedge.engine.operation.UpdateOperation;
import dev.qdrantedge.engine.query.ScrollRequest;
import dev.qdrantedge.engine.search.ScoredPoint;
import dev.qdrantedge.engine.search.SearchRequest;
import dev.qdrantedge.engine.search.WithPayload;
import dev.qdrantedge.engine.search.WithVector;
import dev.qdrantedge.engine.shard.EdgeShard;
import dev.qdrantedge.engine.shard.PointNotFoundException;
import dev.qdrantedge.engine.shard.Record;
import dev.qdrantedge.engine.shard.ScrollPage;
import dev.qdrantedge.engine.shard.WriteOptions;
import dev.qdrantedge.engine.snapshot.FileSync;
import dev.qdrantedge.engine.snapshot.SnapshotManifest;
import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.locks.ReentrantLock;
import java.util.concurrent.locks.ReentrantReadWriteLock;
import java.util.function.Supplier;

/**
 * A local shard merged with a mirror of the server's shard, and the outbox of local operations on their way
 * to the server: what an application reads and writes when it syncs with a Qdrant server.
 *
 * <p>One directory holds {@value #LOCAL_DIR}/ (a writable {@link EdgeShard} receiving the application's
 * writes), {@value #MIRROR_DIR}/ (the server's shard, restored from its snapshots; absent until the first
 * {@link #refresh}) and {@value #OUTBOX_DIR}/ (an {@link OutboxLog}). The store manages {@code local/}: do
 * not point it at a shard with other data.
 *
 * <h2>Writes</h2>
 * {@link #update} checks the operation against the configuration and the merged view first (a bad operation,
 * or one naming a point that exists nowhere, writes nothing anywhere), works out its local effect
 * ({@link LocalWrites}: copy-on-write of mirror points, filters resolved against the merged view), then
 * <ol>
 *   <li>appends the outbox entry, recording the points it touches and the local operation number its effect
 *       will get, durable as {@link OutboxOptions#fsync()} says;</li>
 *   <li>applies the effect to the local shard.</li>
 * </ol>
 * <b>Invariant:</b> every local operation of an entry has a number larger than those of every earlier entry,
 * and the local shard holds a prefix of its operations (its WAL). So on opening, the first outbox entry not
 * reflected by the mirror whose recorded local operation number is beyond the local shard's last operation,
 * and every entry after it, are applied again, from the entry alone. A crash between the two steps therefore
 * leaves the write either nowhere (the entry's append was torn and is cut off) or in both the outbox and the
 * local shard; never in one only. The number {@code update} returns is the entry's sequence number.
 *
 * <p>Against the loss of the machine, the fsync policies decide ({@link EdgeStoreOptions}): with
 * {@link dev.qdrantedge.engine.shard.FsyncPolicy#perOperation()} (the default) an acknowledged write
 * survives; with {@code grouped(interval)} a power cut may lose the writes of the last interval, and a write
 * whose outbox entry was lost while its local effect survived reads locally until the next refresh drops it.
 *
 * <h2>Reads</h2>
 * Reads see the union of the two shards ({@link MergedReads}): the local copy of a point, or its deletion
 * mark, wins over the mirror's. The shadowed ids are the local points and every point an entry the mirror
 * does not reflect yet touches ({@link ShadowSet}). Reads never wait for a delivery or a download; they wait
 * only while a write or a refresh changes the local shard and the shadow set together (one local operation).
 *
 * <h2>Refresh</h2>
 * {@link #refresh} downloads a full snapshot when the mirror is absent or empty, else a partial one for the
 * mirror's manifest, and applies it atomically ({@link EdgeShard#updateFromSnapshot}); reads go on meanwhile
 * and see the new mirror at once. Before asking, it notes the entries already delivered: the server's answer
 * reflects them. Afterwards they are marked reflected, and every local point and deletion mark that no
 * unreflected entry touches any more is dropped from the local shard (an internal operation, not sent). A
 * write acknowledged before the request is thus read from the mirror alone, never twice; a later write, or
 * one not delivered yet, keeps its local copy, so an application always reads its own writes.
 *
 * <p><b>Dead entries</b> keep their local effect: the point reads as the application wrote it until the entry
 * is purged ({@link OutboxLog#purge}); the next refresh after the purge lets the mirror's copy win. A
 * resubmitted entry is pending again and keeps the local effect too.
 *
 * <p>Thread-safe. Updates are serialized with each other; refreshes with each other. Deliveries are the
 * business of an {@link OutboxPublisher} on {@link #outbox()}, which the owner starts and stops.
 */
public final class EdgeStore implements EdgeOperations, AutoCloseable {

    public static final String LOCAL_DIR = "local";
    public static final String MIRROR_DIR = "mirror";
    public static final String OUTBOX_DIR = "outbox";
    /** Where snapshot archives are downloaded to; emptied after each refresh. */
    static final String DOWNLOAD_DIR = ".download";

    private static final System.Logger LOG = System.getLogger(EdgeStore.class.getName());

    private final Path directory;
    private final EdgeStoreOptions options;
    private final EdgeShard local;
    private final OutboxLog outbox;
    private volatile EdgeShard mirror;
    private final ShadowSet shadow = new ShadowSet();
    /** Serializes updates, the drop step of refreshes, and closing. */
    private final ReentrantLock updates = new ReentrantLock();
    /** Serializes refreshes. */
    private final ReentrantLock refreshes = new ReentrantLock();
    /** Reads hold it shared; changes of the local shard together with the shadow set hold it exclusively. */
    private final ReentrantReadWriteLock view = new ReentrantReadWriteLock();
    private volatile RefreshResult lastRefresh;
    private volatile Instant lastRefreshFailedAt;
    private volatile String lastRefreshError;
    private volatile RuntimeException failure;
    private volatile boolean closed;

    private EdgeStore(Path directory, EdgeStoreOptions options, EdgeShard local, OutboxLog outbox, EdgeShard mirror) {
        this.directory = directory;
        this.options = options;
        this.local = local;
        this.outbox = outbox;
        this.mirror = mirror;
    }

    /** As {@link #open(Path, EdgeConfig, EdgeStoreOptions)} with {@link EdgeStoreOptions#defaults()}. */
    public static EdgeStore open(Path directory, EdgeConfig config) {
        return open(directory, config, EdgeStoreOptions.defaults());
    }

    /**
     * Opens the store in {@code directory}, creating it (and its local shard, with {@code config}) when
     * missing, and completes the local effect of outbox entries a crash interrupted.
     *
     * @param config the configuration of the local shard; {@code null} to use the stored one of an existing
     *     store. The mirror is opened with the local shard's configuration and must agree with it
     * @throws EdgeException when the store is open elsewhere, or a part of it cannot be opened
     */
    public static EdgeStore open(Path directory, EdgeConfig config, EdgeStoreOptions options) {
        Objects.requireNonNull(options, "options");
        try {
            Files.createDirectories(directory);
            removeLeftovers(directory);
        } catch (IOException e) {
            throw new EdgeException("cannot open the store in " + directory + ": " + e.getMessage(), e);
        }
        Path localDir = directory.resolve(LOCAL_DIR);
        EdgeShard local;
        if (Files.isDirectory(localDir.resolve(EdgeShard.SEGMENTS_DIR))) {
            local = EdgeShard.load(localDir, config, options.writes());
        } else if (config == null) {
            throw new EdgeException("the store in " + directory + " has no local shard yet; a configuration is"
                    + " needed to create it");
        } else {
            local = EdgeShard.create(localDir, config, options.writes());
        }
        OutboxLog outbox = null;
        EdgeShard mirror = null;
        try {
            outbox = OutboxLog.open(directory.resolve(OUTBOX_DIR), options.outbox(), options.clock());
            Path mirrorDir = directory.resolve(MIRROR_DIR);
            if (Files.isDirectory(mirrorDir.resolve(EdgeShard.SEGMENTS_DIR))) {
                mirror = EdgeShard.load(mirrorDir, local.config().orElseThrow(), mirrorWrites());
            }
            EdgeStore store = new EdgeStore(directory, options, local, outbox, mirror);
            store.recover();
            return store;
        } catch (RuntimeException e) {
            closeAll(e, mirror, outbox, local);
            throw e;
        }
    }

    /** The mirror takes no updates of its own: nothing to sync in the background. */
    private static WriteOptions mirrorWrites() {
        return WriteOptions.defaults();
    }

    /** Downloads and unpacking directories a crash left behind. */
    private static void removeLeftovers(Path directory) throws IOException {
        FileSync.deleteTree(directory.resolve(DOWNLOAD_DIR));
        try (DirectoryStream<Path> entries = Files.newDirectoryStream(directory, "." + MIRROR_DIR + ".unpacking-*")) {
            for (Path leftover : entries) {
                FileSync.deleteTree(leftover);
            }
        }
    }

    /**
     * Rebuilds the shadow set and applies again the local effect of every entry from the first one the local
     * shard lacks (see the class comment).
     */
    private void recover() {
        Set<PointId> localIds = new HashSet<>();
        PointId offset = null;
        do {
            ScrollPage page = local.scroll(new ScrollRequest(offset, 4096, null, WithPayload.NONE, WithVector.NONE));
            page.points().forEach(r -> localIds.add(r.id()));
            offset = page.nextOffset();
        } while (offset != null);
        shadow.reset(localIds, List.of());
        long lastLocal = local.lastOperationNumber();
        boolean replaying = false;
        int replayed = 0;
        for (OutboxEntry entry : outbox.unreflected()) {
            replaying = replaying || entry.localOperation() > lastLocal;
            if (replaying && entry.localOperation() >= 0) {
                UpdateOperation op = outbox.operation(entry.seq());
                applyLocally(LocalWrites.derive(op, entry.pointIds(), reads()), true);
                replayed++;
            }
            shadow.pin(entry.pointIds());
        }
        if (replayed > 0) {
            LOG.log(System.Logger.Level.INFO, "store " + directory + ": applied the local effect of " + replayed
                    + " outbox entries again after an interrupted write");
        }
    }

    // ---------------------------------------------------------------------------------------------
    // reads

    @Override
    public List<Record> retrieve(Collection<PointId> ids, boolean withPayload, boolean withVector) {
        return read(() -> reads().retrieve(ids, withPayload, withVector));
    }

    @Override
    public ScrollPage scroll(ScrollRequest request) {
        return read(() -> reads().scroll(request));
    }

    @Override
    public long count(Filter filter) {
        return read(() -> reads().count(filter));
    }

    @Override
    public List<ScoredPoint> search(SearchRequest request) {
        return read(() -> reads().search(request, config()));
    }

    /**
     * {@inheritDoc} The field needs a facetable payload index in the mirror (or the local shard), as in
     * Qdrant; counts are exact over both.
     */
    @Override
    public FacetResponse facet(FacetRequest request) {
        return read(() -> reads().facet(request));
    }

    private MergedReads reads() {
        return new MergedReads(local, mirror, shadow);
    }

    private <T> T read(Supplier<T> reader) {
        view.readLock().lock();
        try {
            ensureOpen();
            return reader.get();
        } finally {
            view.readLock().unlock();
        }
    }

    // ---------------------------------------------------------------------------------------------
    // writes

    /**
     * Checks {@code operation} against the local shard's configuration as {@link #update} does first.
     *
     * @throws dev.qdrantedge.engine.operation.InvalidOperationException for a bad operation
     */
    public void validate(UpdateOperation operation) {
        ensureOpen();
        local.validate(operation);
    }

    /**
     * Applies {@code operation} locally and appends it to the outbox, in one durable step (see the class
     * comment).
     *
     * @return the outbox sequence number of the operation
     * @throws dev.qdrantedge.engine.operation.InvalidOperationException for a bad or unsupported operation
     *     ({@link MissingPointException} when it names a point the store does not have); nothing was written
     * @throws EdgeException when the store is closed, or failed to apply an operation earlier and must be
     *     reopened
     */
    @Override
    public long update(UpdateOperation operation) {
        Objects.requireNonNull(operation, "operation");
        updates.lock();
        try {
            ensureOpen();
            ensureHealthy();
            local.validate(operation);
            MergedReads reads = reads();
            List<PointId> touched = LocalWrites.resolve(operation, reads);
            LocalWrites.Plan plan = LocalWrites.derive(operation, touched, reads);
            if (plan.copies() != null) {
                local.validate(plan.copies());
            }
            long localOperation = plan.operationCount() == 0 ? -1
                    : local.lastOperationNumber() + plan.operationCount();
            long seq = outbox.append(operation, localOperation, plan.touched());
            try {
                applyLocally(plan, false);
            } catch (RuntimeException e) {
                failure = e;
                throw new EdgeException("outbox entry " + seq + " (" + operation.variant() + ") is recorded but its"
                        + " local effect failed; the store accepts no more updates until it is reopened, which"
                        + " applies it: " + e.getMessage(), e);
            }
            return seq;
        } finally {
            updates.unlock();
        }
    }

    /** Runs a plan on the local shard and updates the shadow set, as one change for readers. */
    private void applyLocally(LocalWrites.Plan plan, boolean recovering) {
        view.writeLock().lock();
        try {
            if (plan.copies() != null) {
                local.update(plan.copies());
            }
            if (plan.operation() != null) {
                try {
                    local.update(plan.operation());
                } catch (PointNotFoundException e) {
                    // Only when redoing an entry after the mirror changed: applied around the missing point, as
                    // the server applies it.
                    LOG.log(recovering ? System.Logger.Level.INFO : System.Logger.Level.WARNING, e.getMessage());
                }
            }
            Set<PointId> present = new HashSet<>();
            for (Record r : local.retrieve(plan.touched(), false, false)) {
                present.add(r.id());
            }
            for (PointId id : plan.touched()) {
                shadow.setLocal(id, present.contains(id));
            }
            shadow.pin(plan.touched());
        } finally {
            view.writeLock().unlock();
        }
    }

    /** Persists the local shard's segments (the outbox is durable as it goes). */
    public void flush() {
        ensureOpen();
        local.flush();
    }

    // ---------------------------------------------------------------------------------------------
    // refresh

    /**
     * Brings the mirror up to date from {@code source} and drops the local copies it now reflects (see the
     * class comment). Serialized with other refreshes; reads and writes go on during the download.
     *
     * @throws IOException when the download fails; the store is unchanged
     * @throws dev.qdrantedge.engine.snapshot.SnapshotException when the archive is refused; the mirror is
     *     unchanged
     */
    public RefreshResult refresh(SnapshotSource source) throws IOException {
        Objects.requireNonNull(source, "source");
        refreshes.lock();
        try {
            ensureOpen();
            long started = System.nanoTime();
            List<Long> delivered = outbox.deliveredUnreflected(); // the server's answer reflects these
            Path downloads = directory.resolve(DOWNLOAD_DIR);
            FileSync.deleteTree(downloads);
            Files.createDirectories(downloads);
            try {
                EdgeShard current = mirror;
                RefreshResult.Kind kind;
                Optional<Path> archive;
                if (current == null || current.count() == 0) {
                    kind = RefreshResult.Kind.FULL;
                    archive = Optional.of(source.downloadFull(downloads));
                } else {
                    SnapshotManifest manifest = current.snapshotManifest();
                    archive = source.downloadPartial(manifest, downloads);
                    kind = archive.isPresent() ? RefreshResult.Kind.PARTIAL : RefreshResult.Kind.NOT_MODIFIED;
                }
                long bytes = 0;
                if (archive.isPresent()) {
                    bytes = Files.size(archive.get());
                    apply(current, archive.get());
                }
                long[] reflected = reflect(delivered);
                RefreshResult result = new RefreshResult(kind, bytes, Duration.ofNanos(System.nanoTime() - started),
                        reflected[0], reflected[1], options.clock().instant());
                lastRefresh = result;
                lastRefreshFailedAt = null;
                lastRefreshError = null;
                return result;
            } finally {
                FileSync.deleteTree(downloads);
            }
        } catch (IOException | RuntimeException e) {
            lastRefreshFailedAt = options.clock().instant();
            lastRefreshError = e.getMessage() == null ? e.getClass().getName() : e.getMessage();
            throw e;
        } finally {
            refreshes.unlock();
        }
    }

    private void apply(EdgeShard current, Path archive) throws IOException {
        if (current != null) {
            current.updateFromSnapshot(archive, options.snapshotLimits());
            return;
        }
        Path mirrorDir = directory.resolve(MIRROR_DIR);
        FileSync.deleteTree(mirrorDir); // no shard there (it would have been opened): a leftover at most
        EdgeShard.unpackSnapshot(archive, mirrorDir, options.snapshotLimits());
        EdgeShard opened;
        try {
            opened = EdgeShard.load(mirrorDir, config(), mirrorWrites());
        } catch (RuntimeException e) {
            FileSync.deleteTree(mirrorDir); // a snapshot that does not fit must not block the next open
            throw e;
        }
        view.writeLock().lock();
        try {
            if (closed) {
                opened.close();
                throw new EdgeException("store " + directory + " is closed");
            }
            mirror = opened;
        } finally {
            view.writeLock().unlock();
        }
    }

    /**
     * Marks the entries delivered before the request as reflected and drops the local points and deletion
     * marks no unreflected entry touches any more; returns {entries marked, points dropped}.
     */
    private long[] reflect(List<Long> delivered) {
        updates.lock();
        try {
            ensureOpen();
            List<Long> marked = outbox.markReflected(delivered);
            Set<PointId> pinned = new HashSet<>();
            for (OutboxEntry entry : outbox.unreflected()) {
                pinned.addAll(entry.pointIds());
            }
            view.writeLock().lock();
            try {
                List<PointId> drop = new ArrayList<>();
                Set<PointId> keep = new HashSet<>();
                for (PointId id : shadow.localIds()) {
                    if (pinned.contains(id)) {
                        keep.add(id);
                    } else {
                        drop.add(id);
                    }
                }
                long releasedMarks = 0;
                for (PointId id : shadow.pinnedIds()) {
                    if (!shadow.isLocal(id) && !pinned.contains(id)) {
                        releasedMarks++;
                    }
                }
                if (!drop.isEmpty()) {
                    drop.sort(null);
                    local.update(new DeletePoints(drop)); // internal: not an outbox entry
                }
                shadow.reset(keep, pinned);
                return new long[] {marked.size(), drop.size() + releasedMarks};
            } finally {
                view.writeLock().unlock();
            }
        } finally {
            updates.unlock();
        }
    }

    // ---------------------------------------------------------------------------------------------
    // state

    /** The local shard's configuration, which the mirror shares. */
    public EdgeConfig config() {
        return local.config().orElseThrow();
    }

    public Path directory() {
        return directory;
    }

    /** The outbox: for a publisher to drain, and to inspect, resubmit and purge entries. */
    public OutboxLog outbox() {
        return outbox;
    }

    /** Whether the mirror was bootstrapped. */
    public boolean hasMirror() {
        return mirror != null;
    }

    /** The last successful refresh, if any. */
    public Optional<RefreshResult> lastRefresh() {
        return Optional.ofNullable(lastRefresh);
    }

    public StoreStatus status() {
        return read(() -> {
            EdgeShard m = mirror;
            String error = lastRefreshError;
            return new StoreStatus(outbox.stats(), local.count(), m == null ? 0 : m.count(), m != null,
                    shadow.size(), Optional.ofNullable(lastRefresh), Optional.ofNullable(lastRefreshFailedAt),
                    Optional.ofNullable(error));
        });
    }

    /**
     * Closes the local shard (flushing it), the mirror and the outbox. Stop the publisher first. A refresh in
     * progress fails.
     */
    @Override
    public void close() {
        updates.lock();
        try {
            if (closed) {
                return;
            }
            view.writeLock().lock();
            try {
                closed = true;
            } finally {
                view.writeLock().unlock();
            }
            RuntimeException failed = new EdgeException("cannot close the store in " + directory);
            closeAll(failed, mirror, outbox, local);
            if (failed.getSuppressed().length > 0) {
                throw failed;
            }
        } finally {
            updates.unlock();
        }
    }

    private static void closeAll(RuntimeException failure, AutoCloseable... parts) {
        for (AutoCloseable part : parts) {
            if (part == null) {
                continue;
            }
            try {
                part.close();
            } catch (Exception e) {
                failure.addSuppressed(e);
            }
        }
    }

    private void ensureOpen() {
        if (closed) {
            throw new EdgeException("store " + directory + " is closed");
        }
    }

    private void ensureHealthy() {
        RuntimeException f = failure;
        if (f != null) {
            throw new EdgeException("store " + directory + " failed to apply an operation locally and accepts no"
                    + " more updates until it is reopened: " + f.getMessage(), f);
        }
    }
}
