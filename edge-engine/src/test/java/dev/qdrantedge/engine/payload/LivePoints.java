package dev.qdrantedge.engine.payload;

import dev.qdrantedge.engine.idtracker.IdTracker;
import dev.qdrantedge.engine.idtracker.PointId;
import dev.qdrantedge.engine.segment.Segment;
import dev.qdrantedge.engine.segment.SegmentDirectories;
import java.nio.file.Path;
import java.util.Map;
import java.util.TreeMap;

/** Where each live point of a shard lives: the segment and internal id of its highest-version copy. */
public final class LivePoints {

    /** A point's winning copy. */
    public record Location(Segment segment, int internalId, long version) {
    }

    private LivePoints() {
    }

    public static Map<PointId, Location> of(Path shardDir) {
        Map<PointId, Location> points = new TreeMap<>();
        for (Path dir : SegmentDirectories.scan(shardDir.resolve("segments"))) {
            Segment segment = Segment.open(dir);
            IdTracker tracker = segment.idTracker();
            for (int i = 0; i < tracker.totalPointCount(); i++) {
                if (tracker.isLive(i)) {
                    Location candidate = new Location(segment, i, tracker.version(i));
                    points.merge(tracker.externalId(i), candidate,
                            (a, b) -> b.version() > a.version() ? b : a);
                }
            }
        }
        return points;
    }
}
