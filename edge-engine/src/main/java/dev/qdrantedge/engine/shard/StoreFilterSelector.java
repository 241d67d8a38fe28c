package dev.qdrantedge.engine.shard;

import dev.qdrantedge.engine.filter.Filter;
import dev.qdrantedge.engine.filter.FilterEvaluator;
import dev.qdrantedge.engine.filter.FilterParser;
import dev.qdrantedge.engine.filter.PointView;
import dev.qdrantedge.engine.idtracker.PointId;
import java.util.ArrayList;
import java.util.List;
import tools.jackson.databind.JsonNode;

/**
 * Selects the points of a {@link PointStore} a stored (WAL) filter matches, by evaluating it on every point with
 * the payload indexes of its segment.
 * Filters read back from the WAL are parsed as Qdrant reads them back: without the API's input checks.
 */
final class StoreFilterSelector implements OperationApplier.FilterSelector {

    private final SegmentFieldIndexes indexes;

    StoreFilterSelector(SegmentFieldIndexes indexes) {
        this.indexes = indexes;
    }

    @Override
    public List<PointId> select(JsonNode json, PointStore store) {
        Filter filter = FilterParser.parseStored(json, "filter");
        List<PointId> matching = new ArrayList<>();
        for (PointId id : store.ids()) {
            StoredPoint point = store.get(id);
            if (point != null && FilterEvaluator.matches(filter, view(id, point), indexes.of(point))) {
                matching.add(id);
            }
        }
        return matching;
    }

    static PointView view(PointId id, StoredPoint point) {
        var payload = point.payload();
        var vectorNames = point.vectors().keySet();
        return new PointView() {
            @Override
            public PointId id() {
                return id;
            }

            @Override
            public JsonNode payload() {
                return payload;
            }

            @Override
            public boolean hasVector(String name) {
                return vectorNames.contains(name);
            }
        };
    }
}
