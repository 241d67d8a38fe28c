package dev.qdrantedge.engine.shard;

import dev.qdrantedge.engine.idtracker.IdTracker;
import dev.qdrantedge.engine.idtracker.PointId;
import dev.qdrantedge.engine.segment.Segment;
import dev.qdrantedge.engine.segment.WritableSegment;
import dev.qdrantedge.engine.vectors.VectorValue;
import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.TreeMap;
import tools.jackson.databind.node.ObjectNode;

/**
 * Applied operations written into the segments of a shard opened for writing, placed as Qdrant places them:
 * a point in an appendable segment is rewritten there; a point in a non-appendable segment is moved (stored
 * in an appendable segment, then removed from its old one); a new point goes to the appendable segment
 * holding the fewest points.
 */
final class SegmentPointStore implements PointStore {

    private final List<WritableSegment> segments;
    private final List<WritableSegment> appendable;
    private final Map<Segment, WritableSegment> byView = new IdentityHashMap<>();
    private final NavigableMap<PointId, StoredPoint> points = new TreeMap<>();

    /**
     * Indexes the live points of {@code segments}. A point found in several segments (a move a crash
     * interrupted) keeps its copy with the highest version, the first one met on a tie, as the read path
     * decides; the other copies are removed.
     */
    SegmentPointStore(List<WritableSegment> segments) {
        this.segments = List.copyOf(segments);
        this.appendable = this.segments.stream().filter(WritableSegment::appendable).toList();
        for (WritableSegment segment : this.segments) {
            byView.put(segment.view(), segment);
        }
        for (WritableSegment segment : this.segments) {
            IdTracker tracker = segment.view().idTracker();
            List<PointId> losers = new ArrayList<>();
            for (int i = 0; i < tracker.totalPointCount(); i++) {
                if (!tracker.isLive(i)) {
                    continue;
                }
                PointId id = tracker.externalId(i);
                StoredPoint.InSegment candidate = new StoredPoint.InSegment(segment.view(), i, tracker.version(i));
                StoredPoint existing = points.get(id);
                if (existing == null) {
                    points.put(id, candidate);
                } else if (existing.version() >= candidate.version()) {
                    losers.add(id);
                } else {
                    StoredPoint.InSegment old = (StoredPoint.InSegment) existing;
                    byView.get(old.segment()).delete(id, old.version());
                    points.put(id, candidate);
                }
            }
            for (PointId id : losers) {
                segment.delete(id, segment.view().idTracker().version(segment.view().idTracker().internalId(id)));
            }
        }
    }

    /** Every live point by id: the index readers use. */
    NavigableMap<PointId, StoredPoint> points() {
        return points;
    }

    @Override
    public StoredPoint get(PointId id) {
        return points.get(id);
    }

    @Override
    public void put(PointId id, long version, Map<String, VectorValue> vectors, ObjectNode payload) {
        WritableSegment home = homeOf(points.get(id));
        WritableSegment target = home != null && home.appendable() ? home : smallestAppendable();
        for (String name : vectors.keySet()) {
            if (target.view().vectorStorage(name) == null) {
                throw new UnsupportedOperationException("vector '" + name + "' has no storage in segment "
                        + target.view().id());
            }
        }
        int internal = target.upsert(id, version, vectors, payload);
        if (home != null && home != target) {
            home.delete(id, version);
        }
        points.put(id, new StoredPoint.InSegment(target.view(), internal, version));
    }

    @Override
    public void delete(PointId id, long version) {
        WritableSegment home = homeOf(points.remove(id));
        if (home != null) {
            home.delete(id, version);
        }
    }

    @Override
    public List<PointId> ids() {
        return new ArrayList<>(points.keySet());
    }

    private WritableSegment homeOf(StoredPoint point) {
        return point == null ? null : byView.get(((StoredPoint.InSegment) point).segment());
    }

    private WritableSegment smallestAppendable() {
        if (appendable.size() == 1) {
            return appendable.get(0);
        }
        WritableSegment best = null;
        for (WritableSegment segment : segments) {
            if (segment.appendable() && (best == null || segment.liveCount() < best.liveCount())) {
                best = segment;
            }
        }
        if (best == null) {
            throw new IllegalStateException("the shard has no appendable segment");
        }
        return best;
    }
}
