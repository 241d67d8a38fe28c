package dev.qdrantedge.engine.shard;

import dev.qdrantedge.engine.filter.FilterEvaluator;
import dev.qdrantedge.engine.filter.PointView;
import dev.qdrantedge.engine.idtracker.PointId;
import dev.qdrantedge.engine.query.ScrollRequest;
import dev.qdrantedge.engine.segment.Segment;
import dev.qdrantedge.engine.vectors.DenseVectorBlocks;
import dev.qdrantedge.engine.vectors.VectorStorage;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/** Filtered scroll over a shard's point map (in id order, as Qdrant's scroll by id). */
final class ShardReads {

    private ShardReads() {
    }

    static ScrollPage scroll(NavigableMap<PointId, StoredPoint> points, ScrollRequest request,
            SegmentFieldIndexes indexes) {
        NavigableMap<PointId, StoredPoint> tail = request.offset() == null ? points
                : points.tailMap(request.offset(), true);
        List<Record> records = new ArrayList<>(Math.min(request.limit(), 1024));
        PointId next = null;
        for (Map.Entry<PointId, StoredPoint> e : tail.entrySet()) {
            if (request.filter() != null
                    && !FilterEvaluator.matches(request.filter(), new StoredPointView(e.getKey(), e.getValue()),
                            indexes.of(e.getValue()))) {
                continue;
            }
            if (records.size() == request.limit()) {
                next = e.getKey();
                break;
            }
            StoredPoint point = e.getValue();
            ObjectNode payload = request.withPayload().enabled() ? request.withPayload().select(point.payload()) : null;
            Map<String, dev.qdrantedge.engine.vectors.VectorValue> vectors = request.withVector().enabled()
                    ? Collections.unmodifiableMap(request.withVector().select(point.vectors())) : null;
            records.add(new Record(e.getKey(), point.version(), vectors, payload));
        }
        return new ScrollPage(records, next);
    }

    /** A stored point as filters see it; its payload is read once, when first needed. */
    static final class StoredPointView implements PointView {

        private final PointId id;
        private final StoredPoint point;
        private JsonNode payload;

        StoredPointView(PointId id, StoredPoint point) {
            this.id = id;
            this.point = point;
        }

        @Override
        public PointId id() {
            return id;
        }

        @Override
        public JsonNode payload() {
            if (payload == null) {
                payload = point.payload();
            }
            return payload;
        }

        @Override
        public boolean hasVector(String name) {
            if (point instanceof StoredPoint.InSegment in) {
                Segment segment = in.segment();
                VectorStorage storage = segment.vectorStorage(name);
                if (storage instanceof DenseVectorBlocks blocks) {
                    return blocks.hasVector(in.internalId());
                }
                return storage != null && storage.get(in.internalId()) != null;
            }
            return point.vectors().containsKey(name);
        }
    }
}
