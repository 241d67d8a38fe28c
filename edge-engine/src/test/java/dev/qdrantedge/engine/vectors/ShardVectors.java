package dev.qdrantedge.engine.vectors;

import dev.qdrantedge.engine.compat.LivePoints;
import dev.qdrantedge.engine.compat.LivePoints.Location;
import dev.qdrantedge.engine.idtracker.PointId;
import dev.qdrantedge.engine.segment.Segment;
import dev.qdrantedge.engine.segment.VectorDataConfig;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The dense vectors of a shard's live points, for tests: every segment's storages opened with
 * {@link VectorStorages}, and each live point located by {@link LivePoints}.
 */
final class ShardVectors implements AutoCloseable {

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
        List<Segment> segments = LivePoints.openSegments(shardDir);
        Map<PointId, Location> locations = LivePoints.of(segments);
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
