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
import java.util.Collections;
import java.util.Comparator;
import java.util.List;
import java.util.NavigableMap;
import java.util.TreeMap;

/**
 * A Qdrant shard directory (what a server shard snapshot unpacks to, or what Qdrant Edge writes), opened
 * in this process. Loading writes nothing to the directory.
 */
public final class EdgeShard implements AutoCloseable {

    public static final String SEGMENTS_DIR = "segments";
    public static final String WAL_DIR = "wal";

    private final Path directory;
    private final List<Segment> segments;
    private final NavigableMap<PointId, PointLocation> points;
    private volatile boolean closed;

    private EdgeShard(Path directory, List<Segment> segments, NavigableMap<PointId, PointLocation> points) {
        this.directory = directory;
        this.segments = segments;
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

    /** Loads the shard at {@code directory}. */
    public static EdgeShard load(Path directory) {
        if (!Files.isDirectory(directory)) {
            throw new EdgeFormatException(directory, "not a directory");
        }
        Path segmentsDir = directory.resolve(SEGMENTS_DIR);
        if (!Files.isDirectory(segmentsDir)) {
            throw new EdgeFormatException(directory, "not a shard: no " + SEGMENTS_DIR + "/ directory");
        }
        List<Segment> segments = new ArrayList<>();
        for (Path dir : SegmentDirectories.scan(segmentsDir)) {
            segments.add(Segment.open(dir));
        }
        // Qdrant's read path visits non-appendable segments first and keeps the first copy on equal versions.
        segments.sort(Comparator.comparing(Segment::appendable));
        return new EdgeShard(directory, Collections.unmodifiableList(segments), mergePoints(segments));
    }

    /** The copy with the highest version wins; on a tie the copy met first. */
    private static NavigableMap<PointId, PointLocation> mergePoints(List<Segment> segments) {
        NavigableMap<PointId, PointLocation> points = new TreeMap<>();
        for (Segment segment : segments) {
            IdTracker tracker = segment.idTracker();
            for (int i = 0; i < tracker.totalPointCount(); i++) {
                if (!tracker.isLive(i)) {
                    continue;
                }
                PointLocation candidate = new PointLocation(segment, i, tracker.version(i));
                points.merge(tracker.externalId(i), candidate,
                        (existing, incoming) -> existing.version() >= incoming.version() ? existing : incoming);
            }
        }
        return points;
    }

    public Path directory() {
        return directory;
    }

    /** The number of live points. */
    public long count() {
        ensureOpen();
        return points.size();
    }

    /** The ids of all live points, in Qdrant's id order. */
    public List<PointId> pointIds() {
        ensureOpen();
        return List.copyOf(points.keySet());
    }

    public ShardInfo info() {
        ensureOpen();
        return new ShardInfo(segments.size(), points.size());
    }

    @Override
    public void close() {
        closed = true;
    }

    private void ensureOpen() {
        if (closed) {
            throw new EdgeException("shard " + directory + " is closed");
        }
    }
}
