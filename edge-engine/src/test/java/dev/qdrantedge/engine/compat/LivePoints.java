package dev.qdrantedge.engine.compat;

import dev.qdrantedge.engine.idtracker.IdTracker;
import dev.qdrantedge.engine.idtracker.PointId;
import dev.qdrantedge.engine.segment.Segment;
import dev.qdrantedge.engine.segment.SegmentDirectories;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Where each live point of a shard lives: the segment and internal id of its highest-version copy. On equal
 * versions the copy in a non-appendable segment wins, as in Qdrant's retrieve path.
 */
public final class LivePoints {

    /** A point's winning copy. */
    public record Location(Segment segment, int internalId, long version) {
    }

    private LivePoints() {
    }

    /** Opens every segment of the shard, non-appendable segments first. */
    public static List<Segment> openSegments(Path shardDir) {
        List<Segment> segments = new ArrayList<>();
        for (Path dir : SegmentDirectories.scan(shardDir.resolve("segments"))) {
            segments.add(Segment.open(dir));
        }
        segments.sort(Comparator.comparing(Segment::appendable));
        return segments;
    }

    /** The winning copy of every live point of the shard, by point id. */
    public static Map<PointId, Location> of(Path shardDir) {
        return of(openSegments(shardDir));
    }

    /** The winning copy of every live point in {@code segments}, by point id. */
    public static Map<PointId, Location> of(List<Segment> segments) {
        List<Segment> ordered = new ArrayList<>(segments);
        ordered.sort(Comparator.comparing(Segment::appendable));
        Map<PointId, Location> points = new TreeMap<>();
        for (Segment segment : ordered) {
            IdTracker tracker = segment.idTracker();
            for (int i = 0; i < tracker.totalPointCount(); i++) {
                if (tracker.isLive(i)) {
                    Location candidate = new Location(segment, i, tracker.version(i));
                    points.merge(tracker.externalId(i), candidate,
                            (old, now) -> now.version() > old.version() ? now : old);
                }
            }
        }
        return points;
    }
}
