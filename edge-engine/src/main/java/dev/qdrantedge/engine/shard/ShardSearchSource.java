package dev.qdrantedge.engine.shard;

import dev.qdrantedge.engine.filter.FieldIndexes;
import dev.qdrantedge.engine.idtracker.IdTracker;
import dev.qdrantedge.engine.idtracker.PointId;
import dev.qdrantedge.engine.index.hnsw.HnswGraph;
import dev.qdrantedge.engine.search.SearchPart;
import dev.qdrantedge.engine.search.SearchSource;
import dev.qdrantedge.engine.segment.Segment;
import dev.qdrantedge.engine.vectors.DenseVectorBlocks;
import dev.qdrantedge.engine.vectors.SparseVector;
import dev.qdrantedge.engine.vectors.VectorStorage;
import dev.qdrantedge.engine.vectors.VectorValue;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.function.Consumer;
import tools.jackson.databind.node.ObjectNode;

/**
 * A shard's points as search sees them: one part per segment (in the shard's segment order, positions
 * being internal ids, current where the shard's point map points at that copy), then one part with the
 * points only WAL replay holds, in id order.
 */
final class ShardSearchSource implements SearchSource {

    private final List<SearchPart> parts;

    private ShardSearchSource(List<SearchPart> parts) {
        this.parts = parts;
    }

    static ShardSearchSource of(List<Segment> segments, NavigableMap<PointId, StoredPoint> points,
            SegmentFieldIndexes indexes) {
        Map<Segment, BitSet> current = new IdentityHashMap<>();
        for (Segment segment : segments) {
            current.put(segment, new BitSet(segment.idTracker().totalPointCount()));
        }
        List<PointId> replayedIds = new ArrayList<>();
        List<StoredPoint.Replayed> replayed = new ArrayList<>();
        for (Map.Entry<PointId, StoredPoint> e : points.entrySet()) {
            if (e.getValue() instanceof StoredPoint.InSegment in) {
                BitSet bits = current.get(in.segment());
                if (bits != null) {
                    bits.set(in.internalId());
                }
            } else {
                replayedIds.add(e.getKey());
                replayed.add((StoredPoint.Replayed) e.getValue());
            }
        }
        List<SearchPart> parts = new ArrayList<>(segments.size() + 1);
        for (Segment segment : segments) {
            parts.add(new SegmentPart(segment, current.get(segment), indexes.of(segment)));
        }
        if (!replayed.isEmpty()) {
            parts.add(new ReplayedPart(replayedIds, replayed, indexes.forReplayed()));
        }
        return new ShardSearchSource(parts);
    }

    @Override
    public List<SearchPart> parts() {
        return parts;
    }

    /** A segment; its positions are internal ids. */
    private static final class SegmentPart implements SearchPart {

        private final Segment segment;
        private final IdTracker tracker;
        private final BitSet current;
        private final FieldIndexes fieldIndexes;
        private final Map<String, BitSet> candidates = new java.util.concurrent.ConcurrentHashMap<>();

        SegmentPart(Segment segment, BitSet current, FieldIndexes fieldIndexes) {
            this.segment = segment;
            this.tracker = segment.idTracker();
            this.current = current;
            this.fieldIndexes = fieldIndexes;
        }

        @Override
        public FieldIndexes fieldIndexes() {
            return fieldIndexes;
        }

        @Override
        public int size() {
            return tracker.totalPointCount();
        }

        @Override
        public boolean isCurrent(int position) {
            return current.get(position);
        }

        @Override
        public PointId id(int position) {
            return tracker.externalId(position);
        }

        @Override
        public long version(int position) {
            return tracker.version(position);
        }

        @Override
        public ObjectNode payload(int position) {
            return segment.payload(position);
        }

        @Override
        public Map<String, VectorValue> vectors(int position) {
            return segment.vectors(position);
        }

        @Override
        public VectorValue vector(int position, String name) {
            VectorStorage storage = segment.vectorStorage(name);
            return storage == null ? null : storage.get(position);
        }

        @Override
        public boolean hasVector(int position, String name) {
            VectorStorage storage = segment.vectorStorage(name);
            if (storage instanceof DenseVectorBlocks blocks) {
                return blocks.hasVector(position);
            }
            return storage != null && storage.get(position) != null;
        }

        /** Computed once per vector name: the source lives until the next write. */
        @Override
        public BitSet denseCandidates(String name) {
            DenseVectorBlocks blocks = denseBlocks(name);
            if (blocks == null) {
                return null;
            }
            return candidates.computeIfAbsent(name, n -> {
                BitSet bits = new BitSet(size());
                int limit = Math.min(size(), blocks.slotCount());
                for (int i = current.nextSetBit(0); i >= 0 && i < limit; i = current.nextSetBit(i + 1)) {
                    if (blocks.hasVector(i)) {
                        bits.set(i);
                    }
                }
                return bits;
            });
        }

        @Override
        public DenseVectorBlocks denseBlocks(String name) {
            return segment.vectorStorage(name) instanceof DenseVectorBlocks blocks ? blocks : null;
        }

        @Override
        public HnswGraph hnswGraph(String name) {
            return segment.hnswGraph(name);
        }

        /**
         * An appendable segment's sparse index is rebuilt on load from its live points; an immutable
         * segment's index was built when the segment was, and keeps the vectors of points deleted or
         * moved since (their vectors stay in storage), so all its stored vectors count.
         */
        @Override
        public void forEachIndexedSparse(String name, Consumer<SparseVector> action) {
            VectorStorage storage = segment.vectorStorage(name);
            if (storage == null) {
                return;
            }
            int slots = Math.min(storage.slotCount(), size());
            for (int i = 0; i < slots; i++) {
                if (segment.appendable() && !current.get(i)) {
                    continue;
                }
                if (storage.get(i) instanceof SparseVector vector) {
                    action.accept(vector);
                }
            }
        }
    }

    /** Points rebuilt in memory by WAL replay, in id order. */
    private static final class ReplayedPart implements SearchPart {

        private final List<PointId> ids;
        private final List<StoredPoint.Replayed> points;
        private final FieldIndexes fieldIndexes;

        ReplayedPart(List<PointId> ids, List<StoredPoint.Replayed> points, FieldIndexes fieldIndexes) {
            this.ids = ids;
            this.points = points;
            this.fieldIndexes = fieldIndexes;
        }

        @Override
        public FieldIndexes fieldIndexes() {
            return fieldIndexes;
        }

        @Override
        public int size() {
            return points.size();
        }

        @Override
        public boolean isCurrent(int position) {
            return true;
        }

        @Override
        public PointId id(int position) {
            return ids.get(position);
        }

        @Override
        public long version(int position) {
            return points.get(position).version();
        }

        @Override
        public ObjectNode payload(int position) {
            return points.get(position).payload();
        }

        @Override
        public Map<String, VectorValue> vectors(int position) {
            return points.get(position).vectors();
        }

        @Override
        public VectorValue vector(int position, String name) {
            return points.get(position).vectors().get(name);
        }

        @Override
        public void forEachIndexedSparse(String name, Consumer<SparseVector> action) {
            for (StoredPoint.Replayed point : points) {
                if (point.vectors().get(name) instanceof SparseVector vector) {
                    action.accept(vector);
                }
            }
        }
    }
}
