package dev.qdrantedge.engine.query;

import dev.qdrantedge.engine.EdgeOperations;
import dev.qdrantedge.engine.filter.DateTimes;
import dev.qdrantedge.engine.filter.Filter;
import dev.qdrantedge.engine.idtracker.PointId;
import dev.qdrantedge.engine.search.ScoredPoint;
import dev.qdrantedge.engine.search.WithPayload;
import dev.qdrantedge.engine.search.WithVector;
import dev.qdrantedge.engine.shard.Record;
import dev.qdrantedge.engine.shard.ScrollPage;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import tools.jackson.databind.JsonNode;

/**
 * Points ordered by a numeric or datetime payload field, as Qdrant's {@code order_by}: one entry per value at
 * the key (a point with several values appears once per value), ordered by value and then id (both
 * ascending, or both descending), from {@code start_from} on; each with score 1. A number is ordered by its
 * value, a datetime string (as {@link DateTimes} reads them) by its microseconds since the epoch, as
 * Qdrant's datetime index keeps it. Points without such a value at the key are left out.
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

    /** Whole microseconds since the epoch (rounded down): the value Qdrant orders and scores datetimes by. */
    static long micros(Instant instant) {
        return Math.addExact(Math.multiplyExact(instant.getEpochSecond(), 1_000_000L), instant.getNano() / 1_000);
    }

    private static void add(List<Entry> entries, ScoringQuery.OrderBy order, PointId id, JsonNode value) {
        double v;
        if (value.isNumber()) {
            v = value.doubleValue();
        } else if (value.isString()) {
            Optional<Instant> instant = DateTimes.parse(value.asString());
            if (instant.isEmpty()) {
                return;
            }
            v = micros(instant.get());
        } else {
            return;
        }
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
