package dev.qdrantedge.engine.shard;

import dev.qdrantedge.engine.idtracker.PointId;
import dev.qdrantedge.engine.vectors.VectorValue;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import tools.jackson.databind.node.ObjectNode;

/** Applied operations kept in memory over the points read from the segments; the files stay untouched. */
final class MemoryPointStore implements PointStore {

    private final NavigableMap<PointId, StoredPoint> points;

    MemoryPointStore(NavigableMap<PointId, StoredPoint> points) {
        this.points = points;
    }

    @Override
    public StoredPoint get(PointId id) {
        return points.get(id);
    }

    @Override
    public void put(PointId id, long version, Map<String, VectorValue> vectors, ObjectNode payload) {
        points.put(id, new StoredPoint.Replayed(version, Collections.unmodifiableMap(new LinkedHashMap<>(vectors)), payload));
    }

    @Override
    public void delete(PointId id, long version) {
        points.remove(id);
    }

    @Override
    public List<PointId> ids() {
        return new ArrayList<>(points.keySet());
    }
}
