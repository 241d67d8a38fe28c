package dev.qdrantedge.engine.shard;

import dev.qdrantedge.engine.EdgeException;
import dev.qdrantedge.engine.EdgeFormatException;
import dev.qdrantedge.engine.config.EdgeConfig;
import dev.qdrantedge.engine.config.EdgeConfigFile;
import dev.qdrantedge.engine.idtracker.IdTracker;
import dev.qdrantedge.engine.idtracker.PointId;
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

/**
 * A Qdrant shard directory (what a server shard snapshot unpacks to, or what Qdrant Edge writes), opened
 * in this process. Loading reads every segment, keeps the copy of each point with the highest version,
 * and replays WAL entries the segments may not hold yet, all in memory: nothing is written to the
 * directory. Vectors and payloads stay in memory-mapped files until read.
 */
public final class EdgeShard implements AutoCloseable {

    public static final String SEGMENTS_DIR = "segments";
    public static final String WAL_DIR = "wal";

    private final Path directory;
    private final List<Segment> segments;
    private final Optional<EdgeConfig> config;
    private final NavigableMap<PointId, StoredPoint> points;
    private volatile boolean closed;

    private EdgeShard(Path directory, List<Segment> segments, Optional<EdgeConfig> config,
            NavigableMap<PointId, StoredPoint> points) {
        this.directory = directory;
        this.segments = segments;
        this.config = config;
        this.points = points;
    }

    /**
     * Creates an empty shard: {@code edge_config.json}, {@code segments/} and {@code wal/}. Qdrant Edge
     * loads such a directory and adds its appendable segment on first load.
     *
     * @throws EdgeException if the directory already holds segments
     */
    public static EdgeShard create(Path directory, EdgeConfig config) {
        Path segmentsDir = directory.resolve(SEGMENTS_DIR);
        if (Files.isDirectory(segmentsDir) && !SegmentDirectories.scan(segmentsDir).isEmpty()) {
            throw new EdgeException("cannot create a shard in " + directory + ": it already holds segments");
        }
        try {
            Files.createDirectories(segmentsDir);
            Files.createDirectories(directory.resolve(WAL_DIR));
        } catch (IOException e) {
            throw new EdgeException("cannot create a shard in " + directory + ": " + e.getMessage(), e);
        }
        EdgeConfigFile.write(directory, config);
        return load(directory);
    }

    /**
     * Loads the shard at {@code directory}.
     *
     * @throws EdgeFormatException naming the file when a file is missing, truncated, corrupt, of an
     *     unknown kind or written by a newer, incompatible format
     */
    public static EdgeShard load(Path directory) {
        if (!Files.isDirectory(directory)) {
            throw new EdgeFormatException(directory, "not a directory");
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
                        new StoreFilterSelector());
                WalReplay.replay(applier, directory.resolve(WAL_DIR));
                config = Optional.of(applier.config());
            }
            return new EdgeShard(directory, Collections.unmodifiableList(segments), config, points);
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
        return config;
    }

    /** The number of live points. */
    public long count() {
        ensureOpen();
        return points.size();
    }

    /**
     * The points with the given ids, in the order asked; ids without a live point are left out, and an id
     * asked twice is answered once.
     */
    public List<Record> retrieve(Collection<PointId> ids, boolean withPayload, boolean withVector) {
        ensureOpen();
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
        ensureOpen();
        if (limit <= 0) {
            throw new IllegalArgumentException("limit must be positive, was " + limit);
        }
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
        ensureOpen();
        long indexed = 0;
        for (Segment segment : segments) {
            indexed += segment.indexedVectorCount();
        }
        return new ShardInfo(segments.size(), points.size(), indexed, config.orElse(null));
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
    public List<dev.qdrantedge.engine.search.ScoredPoint> search(dev.qdrantedge.engine.search.SearchRequest request) {
        ensureOpen();
        return dev.qdrantedge.engine.search.ExactSearch.search(ShardSearchSource.of(segments, points), searchConfig(),
                request);
    }

    /**
     * A page of the points matching the request's filter, in id order, with the payload and vectors it
     * selects; the next page starts at the returned offset.
     */
    public ScrollPage scroll(dev.qdrantedge.engine.query.ScrollRequest request) {
        ensureOpen();
        return ShardReads.scroll(points, request);
    }

    /** The exact number of points matching {@code filter} ({@code null}: all points). */
    public long count(dev.qdrantedge.engine.filter.Filter filter) {
        ensureOpen();
        return filter == null ? points.size()
                : dev.qdrantedge.engine.search.FilteredScan.count(ShardSearchSource.of(segments, points), filter);
    }

    /**
     * The most frequent values of a payload field among the points matching the request's filter; the
     * field needs a keyword, integer, uuid or bool payload index, as in Qdrant. See
     * {@link dev.qdrantedge.engine.facet.Facets}.
     */
    public dev.qdrantedge.engine.facet.FacetResponse facet(dev.qdrantedge.engine.facet.FacetRequest request) {
        ensureOpen();
        List<Path> dirs = new ArrayList<>();
        segments.forEach(segment -> dirs.add(segment.directory()));
        return dev.qdrantedge.engine.facet.Facets.facet(ShardSearchSource.of(segments, points), request,
                dev.qdrantedge.engine.facet.PayloadIndexes.facetIndex(dirs, request.key()).orElse(null));
    }

    private EdgeConfig searchConfig() {
        return config.orElseGet(() -> new EdgeConfig(Map.of(), Map.of()));
    }

    @Override
    public void close() {
        if (!closed) {
            closed = true;
            segments.forEach(Segment::close);
        }
    }

    private void ensureOpen() {
        if (closed) {
            throw new EdgeException("shard " + directory + " is closed");
        }
    }
}
