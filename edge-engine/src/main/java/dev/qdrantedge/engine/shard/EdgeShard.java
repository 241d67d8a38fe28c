package dev.qdrantedge.engine.shard;

import dev.qdrantedge.engine.EdgeException;
import dev.qdrantedge.engine.EdgeFormatException;
import dev.qdrantedge.engine.EdgeOperations;
import dev.qdrantedge.engine.config.EdgeConfig;
import dev.qdrantedge.engine.config.EdgeConfigFile;
import dev.qdrantedge.engine.idtracker.IdTracker;
import dev.qdrantedge.engine.idtracker.PointId;
import dev.qdrantedge.engine.optimize.OptimizationPlanner;
import dev.qdrantedge.engine.optimize.OptimizeJournal;
import dev.qdrantedge.engine.optimize.OptimizeReport;
import dev.qdrantedge.engine.optimize.OptimizedSegment;
import dev.qdrantedge.engine.optimize.IndexedFieldSchemas;
import dev.qdrantedge.engine.optimize.OptimizedSegmentBuilder;
import dev.qdrantedge.engine.optimize.OptimizerThresholds;
import dev.qdrantedge.engine.optimize.SegmentSummary;
import dev.qdrantedge.engine.optimize.SourcePoint;
import dev.qdrantedge.engine.segment.Segment;
import dev.qdrantedge.engine.segment.SegmentDirectories;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.Objects;
import java.util.concurrent.locks.Lock;
import java.util.concurrent.locks.ReadWriteLock;
import java.util.concurrent.locks.ReentrantReadWriteLock;
import java.util.function.Supplier;
import dev.qdrantedge.engine.operation.UpdateOperation;
import dev.qdrantedge.engine.segment.WritableSegment;
import dev.qdrantedge.engine.segment.AppendableSegmentCreator;
import dev.qdrantedge.engine.snapshot.ShardManifests;
import dev.qdrantedge.engine.snapshot.ShardSwap;
import dev.qdrantedge.engine.snapshot.StagedShardUpdate;
import dev.qdrantedge.engine.snapshot.ShardSnapshotWriter;
import dev.qdrantedge.engine.snapshot.SnapshotException;
import dev.qdrantedge.engine.snapshot.SnapshotLimits;
import dev.qdrantedge.engine.snapshot.SnapshotManifest;
import dev.qdrantedge.engine.snapshot.SnapshotUnpacker;

/**
 * A Qdrant shard directory (what a server shard snapshot unpacks to, or what Qdrant Edge writes), opened in
 * this process.
 *
 * <p>{@link #create} and {@link #load} open it for writing, as Qdrant Edge does: the directory is locked,
 * WAL entries the segments may lack are replayed into them, and {@link #update} logs each operation to the
 * WAL (in Qdrant's format, so Qdrant replays it too) before applying it to the segments. {@link #flush}
 * persists the segments and then truncates the WAL; {@link #close} flushes.
 *
 * <p>{@link #openReadOnly} leaves every file untouched: WAL entries are replayed in memory only.
 *
 * <p>Thread-safe. Updates are serialized; reads run concurrently with each other and with the WAL write of
 * an update, and see each operation whole: they wait only while an operation is applied in memory or the
 * segments are flushed. Vectors and payloads stay in memory-mapped files until read.
 */
public final class EdgeShard implements EdgeOperations, AutoCloseable {

    public static final String SEGMENTS_DIR = "segments";
    public static final String WAL_DIR = "wal";

    private final Path directory;
    // The state below is replaced (under the write lock) only by updateFromSnapshot.
    private List<Segment> segments;
    private NavigableMap<PointId, StoredPoint> points;
    /** The payload field indexes of {@link #segments}, which filters consult. */
    private SegmentFieldIndexes fieldIndexes;
    private volatile ShardWriter writer;
    private final ReadWriteLock lock;
    /** Held shared by updates and flushes, exclusively by snapshot operations that need the files still. */
    private final ReadWriteLock maintenance = new ReentrantReadWriteLock();
    private Optional<EdgeConfig> config;
    private volatile boolean closed;
    /** The search source of the current state, rebuilt after a change (see {@link #searchSource()}). */
    private volatile CachedSource cachedSource;

    private EdgeShard(Path directory, List<Segment> segments, Optional<EdgeConfig> config,
            NavigableMap<PointId, StoredPoint> points, ShardWriter writer, ReadWriteLock lock) {
        this.lock = lock;
        this.directory = directory;
        this.segments = segments;
        this.fieldIndexes = new SegmentFieldIndexes(segments);
        this.config = config;
        this.points = points;
        this.writer = writer;
    }

    /**
     * Creates a shard in {@code directory} (created when missing) and opens it for writing:
     * {@code edge_config.json}, an empty appendable segment and an empty WAL, as Qdrant Edge creates them.
     *
     * @throws EdgeException if the directory already holds segments
     */
    public static EdgeShard create(Path directory, EdgeConfig config) {
        return create(directory, config, WriteOptions.defaults());
    }

    /** As {@link #create(Path, EdgeConfig)} with the given durability options. */
    public static EdgeShard create(Path directory, EdgeConfig config, WriteOptions options) {
        Objects.requireNonNull(config, "config");
        Path segmentsDir = directory.resolve(SEGMENTS_DIR);
        if (Files.isDirectory(segmentsDir) && !SegmentDirectories.scan(segmentsDir).isEmpty()) {
            throw new EdgeException("cannot create a shard in " + directory + ": it already holds segments");
        }
        try {
            Files.createDirectories(directory);
        } catch (IOException e) {
            throw new EdgeException("cannot create a shard in " + directory + ": " + e.getMessage(), e);
        }
        return open(directory, Optional.of(config), options);
    }

    /**
     * Opens the shard at {@code directory} for writing, with the configuration it holds
     * ({@code edge_config.json}, else derived from its segments).
     *
     * @throws EdgeFormatException naming the file when a file is missing, truncated, corrupt, of an
     *     unknown kind or written by a newer, incompatible format
     * @throws EdgeException when the shard is open for writing elsewhere, or has no configuration
     */
    public static EdgeShard load(Path directory) {
        return load(directory, null, WriteOptions.defaults());
    }

    /**
     * Opens the shard at {@code directory} for writing with {@code config}, which takes precedence over
     * the stored one and must agree with the vectors the segments hold; {@code null} uses the stored one.
     */
    public static EdgeShard load(Path directory, EdgeConfig config) {
        return load(directory, config, WriteOptions.defaults());
    }

    /** As {@link #load(Path, EdgeConfig)} with the given durability options. */
    public static EdgeShard load(Path directory, EdgeConfig config, WriteOptions options) {
        if (!Files.isDirectory(directory)) {
            throw new EdgeFormatException(directory, "not a directory");
        }
        return open(directory, Optional.ofNullable(config), options);
    }

    private static EdgeShard open(Path directory, Optional<EdgeConfig> provided, WriteOptions options) {
        return open(directory, provided, options, null, new ReentrantReadWriteLock());
    }

    /**
     * Opens for writing with {@code heldLock}, or a newly acquired lock when {@code null}; reads and the
     * in-memory apply of updates are serialized by {@code readWrite}.
     */
    private static EdgeShard open(Path directory, Optional<EdgeConfig> provided, WriteOptions options,
            ShardLock heldLock, ReadWriteLock readWrite) {
        Objects.requireNonNull(options, "options");
        ShardLock lock = heldLock != null ? heldLock : ShardLock.acquire(directory);
        List<WritableSegment> opened = new ArrayList<>();
        try {
            ShardSwap.recover(directory); // completes or discards a snapshot update a crash interrupted
            OptimizeJournal.recover(directory); // likewise an optimization
            Path segmentsDir = directory.resolve(SEGMENTS_DIR);
            Files.createDirectories(segmentsDir);
            Files.createDirectories(directory.resolve(WAL_DIR));
            for (Path dir : SegmentDirectories.scan(segmentsDir)) {
                opened.add(WritableSegment.open(dir));
            }
            EdgeConfig config = ShardConfigs.resolveForWriting(directory, provided,
                    opened.stream().map(WritableSegment::view).toList());
            if (opened.stream().noneMatch(WritableSegment::appendable)) {
                opened.add(WritableSegment.open(AppendableSegmentCreator.forConfig(config).createIn(segmentsDir)));
            }
            // Qdrant's read path visits non-appendable segments first and keeps the first copy on equal versions.
            opened.sort(Comparator.comparing(WritableSegment::appendable));
            EdgeConfigFile.write(directory, config);
            ShardWriter writer = ShardWriter.open(directory, config, opened, options, lock, readWrite.writeLock());
            List<Segment> views = opened.stream().map(WritableSegment::view).toList();
            return new EdgeShard(directory, views, Optional.of(writer.config()), writer.points(), writer, readWrite);
        } catch (IOException e) {
            closeAll(opened, lock, e);
            throw new EdgeException("cannot open the shard in " + directory + ": " + e.getMessage(), e);
        } catch (RuntimeException e) {
            closeAll(opened, lock, e);
            throw e;
        }
    }

    private static void closeAll(List<WritableSegment> segments, ShardLock lock, Exception failure) {
        for (WritableSegment segment : segments) {
            try {
                segment.close();
            } catch (RuntimeException suppressed) {
                failure.addSuppressed(suppressed);
            }
        }
        lock.close();
    }

    /**
     * Opens the shard at {@code directory} for reading only: every segment is read, the copy of each point
     * with the highest version kept, and WAL entries the segments may not hold yet are replayed in memory.
     * Nothing is written to the directory and no lock is taken.
     *
     * @throws EdgeFormatException naming the file when a file is missing, truncated, corrupt, of an
     *     unknown kind or written by a newer, incompatible format
     */
    public static EdgeShard openReadOnly(Path directory) {
        if (!Files.isDirectory(directory)) {
            throw new EdgeFormatException(directory, "not a directory");
        }
        if (ShardSwap.hasPendingSwitch(directory)) {
            throw new EdgeException("shard " + directory + " is in the middle of a snapshot update (or one was"
                    + " interrupted); open it for writing, which completes it, or retry");
        }
        Path segmentsDir = directory.resolve(SEGMENTS_DIR);
        if (!Files.isDirectory(segmentsDir)) {
            throw new EdgeFormatException(directory, "not a shard: no " + SEGMENTS_DIR + "/ directory");
        }
        List<Segment> segments = new ArrayList<>();
        try {
            for (Path dir : SegmentDirectories.scan(segmentsDir)) {
                segments.add(Segment.open(dir));
            }
            // Qdrant's read path visits non-appendable segments first and keeps the first copy on equal versions.
            segments.sort(Comparator.comparing(Segment::appendable));
            Optional<EdgeConfig> config = ShardConfigs.resolve(directory, segments);
            NavigableMap<PointId, StoredPoint> points = mergePoints(segments);
            if (config.isPresent()) {
                OperationApplier applier = new OperationApplier(config.get(), new MemoryPointStore(points),
                        new StoreFilterSelector(new SegmentFieldIndexes(segments)));
                WalReplay.replay(applier, directory.resolve(WAL_DIR));
                config = Optional.of(applier.config());
            }
            return new EdgeShard(directory, Collections.unmodifiableList(segments), config, points, null,
                    new ReentrantReadWriteLock());
        } catch (RuntimeException e) {
            segments.forEach(Segment::close);
            throw e;
        }
    }

    /** The copy with the highest version wins; on a tie the copy met first. */
    private static NavigableMap<PointId, StoredPoint> mergePoints(List<Segment> segments) {
        NavigableMap<PointId, StoredPoint> points = new TreeMap<>();
        for (Segment segment : segments) {
            IdTracker tracker = segment.idTracker();
            for (int i = 0; i < tracker.totalPointCount(); i++) {
                if (!tracker.isLive(i)) {
                    continue;
                }
                StoredPoint candidate = new StoredPoint.InSegment(segment, i, tracker.version(i));
                points.merge(tracker.externalId(i), candidate,
                        (existing, incoming) -> existing.version() >= incoming.version() ? existing : incoming);
            }
        }
        return points;
    }

    public Path directory() {
        return directory;
    }

    /**
     * The shard's configuration: {@code edge_config.json}, or derived from the segments; empty for a shard
     * with neither.
     */
    public Optional<EdgeConfig> config() {
        return writer != null ? Optional.of(writer.config()) : config;
    }

    /** Whether the shard was opened with {@link #openReadOnly}. */
    public boolean readOnly() {
        return writer == null;
    }

    /** The number of live points. */
    public long count() {
        return read(() -> (long) points.size());
    }

    /**
     * The points with the given ids, in the order asked; ids without a live point are left out, and an id
     * asked twice is answered once.
     */
    @Override
    public List<Record> retrieve(Collection<PointId> ids, boolean withPayload, boolean withVector) {
        return read(() -> retrieveLocked(ids, withPayload, withVector));
    }

    private List<Record> retrieveLocked(Collection<PointId> ids, boolean withPayload, boolean withVector) {
        List<Record> records = new ArrayList<>(ids.size());
        Set<PointId> seen = new HashSet<>();
        for (PointId id : ids) {
            StoredPoint point = points.get(id);
            if (point != null && seen.add(id)) {
                records.add(read(id, point, withPayload, withVector));
            }
        }
        return records;
    }

    /**
     * Up to {@code limit} points in id order, starting at {@code offset} (inclusive; {@code null} for the
     * first page), and the offset of the next page.
     */
    public ScrollPage scroll(PointId offset, int limit, boolean withPayload, boolean withVector) {
        if (limit <= 0) {
            throw new IllegalArgumentException("limit must be positive, was " + limit);
        }
        return read(() -> scrollLocked(offset, limit, withPayload, withVector));
    }

    private ScrollPage scrollLocked(PointId offset, int limit, boolean withPayload, boolean withVector) {
        NavigableMap<PointId, StoredPoint> tail = offset == null ? points : points.tailMap(offset, true);
        List<Record> records = new ArrayList<>(Math.min(limit, tail.size()));
        PointId next = null;
        for (Map.Entry<PointId, StoredPoint> e : tail.entrySet()) {
            if (records.size() == limit) {
                next = e.getKey();
                break;
            }
            records.add(read(e.getKey(), e.getValue(), withPayload, withVector));
        }
        return new ScrollPage(records, next);
    }

    private static Record read(PointId id, StoredPoint point, boolean withPayload, boolean withVector) {
        return new Record(id, point.version(), withVector ? Collections.unmodifiableMap(point.vectors()) : null,
                withPayload ? point.payload() : null);
    }

    public ShardInfo info() {
        return read(() -> {
            long indexed = 0;
            for (Segment segment : segments) {
                indexed += segment.indexedVectorCount();
            }
            return new ShardInfo(segments.size(), points.size(), indexed, config.orElse(null));
        });
    }

    // -----------------------------------------------------------------------------------------------
    // search and filtered reads: the logic is in dev.qdrantedge.engine.search, .query and .facet (names are
    // written out in full here so this block stays self-contained)

    /**
     * Exact nearest-neighbour search, with Qdrant Edge's results; see
     * {@link dev.qdrantedge.engine.search.ExactSearch}.
     *
     * @throws dev.qdrantedge.engine.search.InvalidSearchException when the vector name is unknown or the
     *     query does not fit it
     */
    @Override
    public List<dev.qdrantedge.engine.search.ScoredPoint> search(dev.qdrantedge.engine.search.SearchRequest request) {
        return read(() -> dev.qdrantedge.engine.search.ExactSearch.search(searchSource(),
                searchConfig(), request));
    }

    /**
     * A page of the points matching the request's filter, in id order, with the payload and vectors it
     * selects; the next page starts at the returned offset.
     */
    @Override
    public ScrollPage scroll(dev.qdrantedge.engine.query.ScrollRequest request) {
        return read(() -> ShardReads.scroll(points, request, fieldIndexes));
    }

    /** The exact number of points matching {@code filter} ({@code null}: all points). */
    @Override
    public long count(dev.qdrantedge.engine.filter.Filter filter) {
        return read(() -> filter == null ? (long) points.size()
                : dev.qdrantedge.engine.search.FilteredScan.count(searchSource(), filter));
    }

    /**
     * The most frequent values of a payload field among the points matching the request's filter; the
     * field needs a keyword, integer, uuid or bool payload index, as in Qdrant. See
     * {@link dev.qdrantedge.engine.facet.Facets}.
     */
    @Override
    public dev.qdrantedge.engine.facet.FacetResponse facet(dev.qdrantedge.engine.facet.FacetRequest request) {
        return read(() -> {
            List<dev.qdrantedge.engine.filter.FieldIndexes> indexes = new ArrayList<>();
            segments.forEach(segment -> indexes.add(fieldIndexes.of(segment)));
            return dev.qdrantedge.engine.facet.Facets.facet(searchSource(), request,
                    dev.qdrantedge.engine.facet.PayloadIndexes.facetIndex(indexes, request.key()).orElse(null));
        });
    }

    /**
     * Changes the shard's files with the writer stopped ({@code change}, under the read-write lock, so no reader
     * sees the switch half done), then reopens the shard in place with the writer's lock and options. When either
     * fails the shard is closed, with {@code failure}'s description of what went wrong.
     */
    private void switchOnDisk(ShardWriter w, Runnable change,
            java.util.function.Function<RuntimeException, String> failure) {
        w.stopBackgroundWork();
        lock.writeLock().lock();
        try {
            ShardLock held = w.detach();
            EdgeShard reopened;
            try {
                change.run();
                reopened = open(directory, Optional.empty(), w.options(), held, lock);
            } catch (RuntimeException e) {
                closed = true;
                segments = List.of();
                held.close();
                throw new EdgeException("the shard " + directory + " was closed: " + failure.apply(e), e);
            }
            segments = reopened.segments;
            fieldIndexes = reopened.fieldIndexes;
            points = reopened.points;
            config = reopened.config;
            writer = reopened.writer;
        } finally {
            lock.writeLock().unlock();
        }
    }

    /**
     * The shard's points as search sees them. Building it walks the whole point map, so it is kept until the
     * state changes: an update or flush (counted by the writer under the write lock, which readers exclude),
     * or a snapshot update (which replaces the segments and the point map). Call with the read lock held.
     */
    ShardSearchSource searchSource() {
        long generation = writer == null ? 0 : writer.generation();
        CachedSource cached = cachedSource;
        if (cached == null || cached.segments != segments || cached.points != points
                || cached.generation != generation) {
            cached = new CachedSource(segments, points, generation,
                    ShardSearchSource.of(segments, points, fieldIndexes));
            cachedSource = cached;
        }
        return cached.source;
    }

    /** A search source and the state it was built from. */
    private record CachedSource(List<Segment> segments, NavigableMap<PointId, StoredPoint> points, long generation,
            ShardSearchSource source) {
    }

    /**
     * The kind of the facetable payload index any segment holds on {@code key}, or empty when none has one
     * (see {@link dev.qdrantedge.engine.facet.PayloadIndexes#facetIndex}).
     */
    public Optional<dev.qdrantedge.engine.facet.FacetIndexKind> facetIndex(dev.qdrantedge.engine.filter.JsonPath key) {
        return read(() -> {
            List<dev.qdrantedge.engine.filter.FieldIndexes> indexes = new ArrayList<>();
            segments.forEach(segment -> indexes.add(fieldIndexes.of(segment)));
            return dev.qdrantedge.engine.facet.PayloadIndexes.facetIndex(indexes, key);
        });
    }

    /**
     * Facet counts as {@link #facet(dev.qdrantedge.engine.facet.FacetRequest)} computes them, with the field
     * taken as indexed by {@code kind} whether or not this shard has that index: for a store whose other part
     * (a server mirror) holds the index, so that both parts count the same values.
     */
    public dev.qdrantedge.engine.facet.FacetResponse facet(dev.qdrantedge.engine.facet.FacetRequest request,
            dev.qdrantedge.engine.facet.FacetIndexKind kind) {
        Objects.requireNonNull(kind, "kind");
        return read(() -> dev.qdrantedge.engine.facet.Facets.facet(searchSource(), request,
                kind));
    }

    private EdgeConfig searchConfig() {
        return config().orElseThrow(() -> new dev.qdrantedge.engine.search.InvalidSearchException(
                "shard " + directory + " has no vectors to search"));
    }

    /**
     * Applies one operation: checked against the configuration (a bad operation changes nothing), written
     * to the WAL (and forced to the device under {@link FsyncPolicy#perOperation()}), then applied to the
     * segments. When this returns the operation survives a crash of the process.
     *
     * @return the operation number: the WAL index of the entry
     * @throws dev.qdrantedge.engine.operation.InvalidOperationException for a bad operation, naming the point
     *     and field at fault; nothing was written
     * @throws PointNotFoundException when an operation on listed points names a point the shard does not
     *     have; as in Qdrant Edge the operation was logged and applied to the points around it (see there)
     * @throws EdgeException when the shard is read-only or closed, or the WAL cannot be written
     */
    @Override
    public long update(UpdateOperation operation) {
        Objects.requireNonNull(operation, "operation");
        maintenance.readLock().lock();
        try {
            ShardWriter w = requireWriter();
            return w.update(operation, this::ensureOpen);
        } finally {
            maintenance.readLock().unlock();
        }
    }

    /**
     * Checks {@code operation} against the configuration exactly as {@link #update} does before it writes
     * anything, without writing it: for callers that must know an operation is acceptable before they record
     * it elsewhere.
     *
     * @throws dev.qdrantedge.engine.operation.InvalidOperationException for a bad operation, naming the point
     *     and field at fault
     * @throws dev.qdrantedge.engine.filter.FilterParseException for a malformed filter
     * @throws EdgeException when the shard is read-only or closed
     */
    public void validate(UpdateOperation operation) {
        Objects.requireNonNull(operation, "operation");
        requireWriter().validate(operation);
    }

    /**
     * The operation number of the last operation this shard holds (in its WAL, so also one that a crash
     * interrupted before it was applied and that opening replayed); -1 when it holds none. The next
     * {@link #update} returns a larger number.
     *
     * @throws EdgeException when the shard is read-only or closed
     */
    public long lastOperationNumber() {
        return requireWriter().lastOperationNumber();
    }

    /**
     * Persists everything applied so far in the segments, then acknowledges it in the WAL, which lets the WAL
     * drop entries no longer needed.
     */
    public void flush() {
        maintenance.readLock().lock();
        try {
            requireWriter().flush(this::ensureOpen);
        } finally {
            maintenance.readLock().unlock();
        }
    }

    /** Flushes (when writable) and releases every file and the directory lock. */
    @Override
    public void close() {
        if (closed) {
            return;
        }
        maintenance.writeLock().lock();
        try {
            closeShard();
        } finally {
            maintenance.writeLock().unlock();
        }
    }

    private void closeShard() {
        if (closed) {
            return;
        }
        if (writer != null) {
            writer.close(() -> closed = true);
            return;
        }
        lock.writeLock().lock();
        try {
            closed = true;
            segments.forEach(Segment::close);
        } finally {
            lock.writeLock().unlock();
        }
    }

    // ---------------------------------------------------------------------------------------------
    // snapshots (dev.qdrantedge.engine.snapshot does the work)

    /**
     * Unpacks a shard snapshot (a server's, streamed or stored, full or partial, or one {@link #createSnapshot}
     * wrote) into {@code target}, which must not exist or be empty, with the {@linkplain SnapshotLimits#defaults()
     * default limits}. A refused archive leaves {@code target} untouched.
     *
     * @throws SnapshotException naming the entry or file at fault
     */
    public static void unpackSnapshot(Path archive, Path target) {
        unpackSnapshot(archive, target, SnapshotLimits.defaults());
    }

    /** As {@link #unpackSnapshot(Path, Path)} with the given limits. */
    public static void unpackSnapshot(Path archive, Path target, SnapshotLimits limits) {
        SnapshotUnpacker.unpack(archive, target, limits);
    }

    /**
     * The shard's snapshot manifest, as Qdrant computes it: what a server needs to send only what changed.
     * A shard open for writing is flushed first, so the manifest describes everything applied so far.
     */
    public SnapshotManifest snapshotManifest() {
        maintenance.writeLock().lock();
        try {
            if (writer != null) {
                flush();
            }
            return read(() -> ShardManifests.of(directory));
        } finally {
            maintenance.writeLock().unlock();
        }
    }

    /**
     * Writes the shard as a Qdrant shard snapshot (streamed layout, empty WAL) that a server recovers a
     * collection shard from, and that {@link #unpackSnapshot} and Qdrant Edge unpack. A shard open for writing
     * is flushed first; updates wait while the archive is written.
     *
     * @throws SnapshotException when the archive cannot be written, or when this read-only shard's WAL holds
     *     operations its segments lack (open it for writing once, which applies them)
     */
    public void createSnapshot(Path archive) {
        maintenance.writeLock().lock();
        try {
            flushForSnapshot();
            read(() -> {
                ShardSnapshotWriter.writeFull(directory, archive);
                return null;
            });
        } finally {
            maintenance.writeLock().unlock();
        }
    }

    /**
     * Writes a partial snapshot for a requester whose copy of this shard has the manifest {@code requester}, as a
     * server answers {@code POST /collections/{c}/shards/{s}/snapshot/partial/create}: only the segment files the
     * requester lacks or has in an older version ({@link SnapshotManifest#empty()} asks for everything). When
     * {@code requester} equals this shard's manifest nothing changed, and nothing is written (the server's
     * 304). A shard open for writing is flushed first; updates wait while the archive is written.
     *
     * @return whether an archive was written
     * @throws SnapshotException as {@link #createSnapshot} does
     */
    public boolean createPartialSnapshot(SnapshotManifest requester, Path archive) {
        Objects.requireNonNull(requester, "requester");
        Objects.requireNonNull(archive, "archive");
        maintenance.writeLock().lock();
        try {
            flushForSnapshot();
            return read(() -> {
                if (ShardManifests.of(directory).equals(requester)) {
                    return false;
                }
                ShardSnapshotWriter.writePartial(directory, requester, archive);
                return true;
            });
        } finally {
            maintenance.writeLock().unlock();
        }
    }

    /** Flushes a writable shard; refuses a read-only one whose WAL holds operations its segments may lack. */
    private void flushForSnapshot() {
        if (writer != null) {
            flush();
        } else if (ShardSnapshotWriter.hasUnflushedOperations(directory)) {
            throw new SnapshotException(SnapshotException.Kind.IO, "shard " + directory + " has WAL entries"
                    + " its segments may lack; open it for writing once (which applies them) before creating a"
                    + " snapshot");
        }
    }

    /**
     * Updates the shard from a snapshot archive, as Qdrant Edge's {@code update_from_snapshot} does: an archive
     * without segment manifests replaces segments, WAL and clocks (the configuration stays and must fit the
     * new segments); a partial snapshot is merged by Qdrant's plan (changed files replaced, new segments
     * added, segments and files the server no longer has deleted). Unlike Qdrant, the update is atomic: the
     * new state is staged and checked beside the shard, forced to the device and switched in by a commit
     * marker and renames that a crash can only leave to be completed on the next open. A refused archive
     * leaves the shard untouched.
     *
     * <p>Reads in progress finish on the old state; then the shard is reopened on the new one, in this same
     * object. Updates and flushes wait meanwhile.
     *
     * @throws SnapshotException naming what was refused
     * @throws EdgeException when the shard is read-only or closed, or the new segments do not fit its
     *     configuration
     */
    public void updateFromSnapshot(Path archive) {
        updateFromSnapshot(archive, SnapshotLimits.defaults());
    }

    /** As {@link #updateFromSnapshot(Path)} with the given limits. */
    public void updateFromSnapshot(Path archive, SnapshotLimits limits) {
        maintenance.writeLock().lock();
        try {
            ShardWriter w = requireWriter();
            w.flush(this::ensureOpen);
            StagedShardUpdate staged = StagedShardUpdate.prepare(directory, archive, limits,
                    ShardManifests.of(directory));
            try {
                checkStagedConfig(staged.stagedDirectory(), w.config());
            } catch (RuntimeException e) {
                staged.abort();
                throw e;
            }
            switchOnDisk(w, staged::commit,
                    e -> "it could not be reopened after the snapshot update (" + e.getMessage() + ")");
        } finally {
            maintenance.writeLock().unlock();
        }
    }

    // ---------------------------------------------------------------------------------------------
    // optimization (dev.qdrantedge.engine.optimize does the work)

    /**
     * Runs the optimizers as Qdrant Edge's {@code optimize} does, until they plan nothing more: small segments are
     * merged down to the configured number of segments, and segments whose vectors reach the indexing threshold
     * get HNSW graphs ({@link OptimizerThresholds}). Each optimized segment is built beside the shard from the
     * current copies of its points (same versions), forced to the device and switched in by a commit marker
     * ({@link OptimizeJournal}); then the shard is reopened on the new segments, in this same object.
     *
     * <p>Reads go on while a segment is built and wait only for the switch; updates and flushes wait until the
     * optimization ends (they are not lost: they are applied after it).
     *
     * @return the segments built; empty when nothing needed optimizing
     * @throws EdgeException when the shard is read-only or closed, or a segment cannot be written (the shard is
     *     then unchanged) or switched in (the shard is then closed; opening it completes the switch)
     */
    public OptimizeReport optimize() {
        maintenance.writeLock().lock();
        try {
            List<OptimizedSegment> built = new ArrayList<>();
            for (int round = 0; round < 64; round++) {
                ShardWriter w = requireWriter();
                w.flush(this::ensureOpen);
                EdgeConfig cfg = w.config();
                OptimizerThresholds thresholds = OptimizerThresholds.of(cfg);
                List<List<String>> plans = OptimizationPlanner.plan(
                        segments.stream().map(SegmentSummary::of).toList(), thresholds);
                if (plans.isEmpty()) {
                    break;
                }
                built.add(optimizeSegments(w, cfg, thresholds, plans.get(0)));
            }
            return new OptimizeReport(built);
        } finally {
            maintenance.writeLock().unlock();
        }
    }

    private OptimizedSegment optimizeSegments(ShardWriter w, EdgeConfig cfg, OptimizerThresholds thresholds,
            List<String> replaced) {
        OptimizeJournal journal = new OptimizeJournal(directory);
        Path staged = journal.newStagingDir();
        OptimizedSegmentBuilder.Result result;
        try {
            Set<String> sources = Set.copyOf(replaced);
            List<SourcePoint> sourcePoints = new ArrayList<>();
            read(() -> {
                for (Map.Entry<PointId, StoredPoint> e : points.entrySet()) {
                    if (e.getValue() instanceof StoredPoint.InSegment in && sources.contains(in.segment().id())) {
                        sourcePoints.add(new SourcePoint(e.getKey(), in.version(), in.vectors(), in.payload()));
                    }
                }
                return null;
            });
            List<Path> sourceDirs = new ArrayList<>();
            for (String id : replaced) {
                segments.stream().filter(s -> s.id().equals(id)).findFirst()
                        .ifPresent(s -> sourceDirs.add(s.directory()));
            }
            result = new OptimizedSegmentBuilder(cfg, thresholds, IndexedFieldSchemas.of(sourceDirs))
                    .build(staged, sourcePoints);
        } catch (RuntimeException e) {
            try {
                journal.abort();
            } catch (RuntimeException suppressed) {
                e.addSuppressed(suppressed);
            }
            throw e;
        }
        switchOnDisk(w, () -> journal.commit(staged, replaced), e -> "the optimized segment could not be switched"
                + " in (" + e.getMessage() + "); opening it completes the switch");
        return new OptimizedSegment(staged.getFileName().toString(), replaced, result.points(),
                result.indexedVectors());
    }

    /** The staged segments must hold the vectors the configuration names, as a reload would require. */
    private static void checkStagedConfig(Path staged, EdgeConfig config) {
        List<Segment> opened = new ArrayList<>();
        try {
            for (Path dir : SegmentDirectories.scan(staged.resolve(SEGMENTS_DIR))) {
                opened.add(Segment.open(dir));
            }
            ShardConfigs.resolveForWriting(staged, Optional.of(config), opened);
        } finally {
            opened.forEach(Segment::close);
        }
    }

    private ShardWriter requireWriter() {
        ensureOpen();
        if (writer == null) {
            throw new EdgeException("shard " + directory + " was opened read-only");
        }
        return writer;
    }

    private <T> T read(Supplier<T> reader) {
        Lock readLock = lock.readLock();
        readLock.lock();
        try {
            ensureOpen();
            return reader.get();
        } finally {
            readLock.unlock();
        }
    }

    private void ensureOpen() {
        if (closed) {
            throw new EdgeException("shard " + directory + " is closed");
        }
    }
}
