package dev.qdrantedge.engine.query;

import dev.qdrantedge.engine.EdgeOperations;
import dev.qdrantedge.engine.filter.Filter;
import dev.qdrantedge.engine.idtracker.PointId;
import dev.qdrantedge.engine.search.ScoredPoint;
import dev.qdrantedge.engine.search.WithPayload;
import dev.qdrantedge.engine.search.WithVector;
import dev.qdrantedge.engine.shard.Record;
import dev.qdrantedge.engine.shard.ScrollPage;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import tools.jackson.databind.JsonNode;

/**
 * Points ordered by a numeric payload field, as Qdrant's {@code order_by}: one entry per numeric value at the
 * key (a point with several values appears once per value), ordered by value and then id (both ascending,
 * or both descending), from {@code start_from} on; each with score 1. Points without a numeric value at the
 * key are left out.
 */
final class PayloadOrder {

    private static final int PAGE = 1024;

    private PayloadOrder() {
    }

    static List<ScoredPoint> top(EdgeOperations ops, ScoringQuery.OrderBy order, Filter filter, int limit) {
        List<Entry> entries = new ArrayList<>();
        ScrollRequest page = new ScrollRequest(null, PAGE, filter, WithPayload.include(List.of(order.key())),
                WithVector.NONE);
        while (true) {
            ScrollPage result = ops.scroll(page);
            for (Record r : result.points()) {
                for (JsonNode value : order.key().values(r.payload())) {
                    if (value.isArray()) {
                        for (JsonNode element : value) {
                            add(entries, order, r.id(), element);
                        }
                    } else {
                        add(entries, order, r.id(), value);
                    }
                }
            }
            if (result.nextOffset() == null) {
                break;
            }
            page = page.from(result.nextOffset());
        }
        Comparator<Entry> ascending = Comparator.<Entry>comparingDouble(e -> e.value).thenComparing(e -> e.id);
        entries.sort(order.descending() ? ascending.reversed() : ascending);
        List<ScoredPoint> out = new ArrayList<>();
        Entry previous = null;
        for (Entry e : entries) {
            if (out.size() >= limit) {
                break;
            }
            if (previous != null && previous.value == e.value && previous.id.equals(e.id)) {
                continue;
            }
            out.add(new ScoredPoint(e.id, 0, 1.0f, null, null));
            previous = e;
        }
        return out;
    }

    private static void add(List<Entry> entries, ScoringQuery.OrderBy order, PointId id, JsonNode value) {
        if (!value.isNumber()) {
            return;
        }
        double v = value.doubleValue();
        Double from = order.startFrom();
        if (from != null && (order.descending() ? v > from : v < from)) {
            return;
        }
        entries.add(new Entry(id, v));
    }

    private static final class Entry {
        final PointId id;
        final double value;

        Entry(PointId id, double value) {
            this.id = id;
            this.value = value;
        }
    }
}
