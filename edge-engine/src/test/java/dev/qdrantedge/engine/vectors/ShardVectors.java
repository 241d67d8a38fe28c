package dev.qdrantedge.engine.vectors;

import dev.qdrantedge.engine.idtracker.IdTracker;
import dev.qdrantedge.engine.idtracker.PointId;
import dev.qdrantedge.engine.segment.Segment;
import dev.qdrantedge.engine.segment.SegmentDirectories;
import dev.qdrantedge.engine.segment.VectorDataConfig;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The dense vectors of a shard's live points, for tests: every segment's storages opened with
 * {@link VectorStorages}, and each live point located in the segment holding its newest version (on equal
 * versions the non-appendable segment wins, as in Qdrant's retrieve path).
 */
final class ShardVectors implements AutoCloseable {

    /** Where a live point's newest copy lives. */
    record Location(Segment segment, int internalId, long version) {
    }

    private final List<Segment> segments;
    private final Map<PointId, Location> locations;
    private final Map<Segment, Map<String, VectorStorage>> storages;

    private ShardVectors(List<Segment> segments, Map<PointId, Location> locations,
            Map<Segment, Map<String, VectorStorage>> storages) {
        this.segments = segments;
        this.locations = locations;
        this.storages = storages;
    }

    static ShardVectors open(Path shardDir) {
        List<Segment> segments = new ArrayList<>();
        for (Path dir : SegmentDirectories.scan(shardDir.resolve("segments"))) {
            segments.add(Segment.open(dir));
        }
        segments.sort(Comparator.comparing(Segment::appendable));
        Map<PointId, Location> locations = new HashMap<>();
        for (Segment segment : segments) {
            IdTracker tracker = segment.idTracker();
            for (int internal = 0; internal < tracker.totalPointCount(); internal++) {
                if (!tracker.isLive(internal)) {
                    continue;
                }
                Location candidate = new Location(segment, internal, tracker.version(internal));
                locations.merge(tracker.externalId(internal), candidate,
                        (old, now) -> now.version() > old.version() ? now : old);
            }
        }
        Map<Segment, Map<String, VectorStorage>> storages = new LinkedHashMap<>();
        for (Segment segment : segments) {
            Map<String, VectorStorage> byName = new LinkedHashMap<>();
            for (Map.Entry<String, VectorDataConfig> e : segment.state().vectorData().entrySet()) {
                byName.put(e.getKey(), VectorStorages.open(segment.directory(), e.getKey(), e.getValue()));
            }
            storages.put(segment, byName);
        }
        return new ShardVectors(segments, locations, storages);
    }

    List<Segment> segments() {
        return segments;
    }

    Map<PointId, Location> locations() {
        return locations;
    }

    VectorStorage storage(Segment segment, String vectorName) {
        return storages.get(segment).get(vectorName);
    }

    /** The live point's stored vector {@code vectorName}, or null when it has none. */
    VectorValue vector(PointId id, String vectorName) {
        Location at = locations.get(id);
        return storage(at.segment(), vectorName).get(at.internalId());
    }

    @Override
    public void close() {
        storages.values().forEach(m -> m.values().forEach(VectorStorage::close));
    }
}
