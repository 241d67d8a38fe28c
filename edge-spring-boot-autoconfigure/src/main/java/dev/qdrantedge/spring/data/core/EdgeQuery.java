package dev.qdrantedge.spring.data.core;

import dev.qdrantedge.engine.filter.Filter;
import java.util.Objects;
import org.springframework.data.domain.Limit;
import org.springframework.data.domain.Pageable;
import org.springframework.data.domain.Sort;

/**
 * A query for entities: the points matching a filter, in id order or sorted by properties, from an offset, at
 * most a limit of them.
 *
 * @param filter the points to consider, {@code null} for all
 * @param sort the order; unsorted is the points' id order (numbers before UUIDs). Sorting by properties
 *     happens in memory after reading every matching point
 * @param offset how many entities to skip first
 * @param limit how many entities to return at most
 */
public record EdgeQuery(Filter filter, Sort sort, long offset, Limit limit) {

    public EdgeQuery {
        Objects.requireNonNull(sort, "sort");
        Objects.requireNonNull(limit, "limit");
        if (offset < 0) {
            throw new IllegalArgumentException("offset must not be negative, was " + offset);
        }
    }

    /** Every point, in id order. */
    public static EdgeQuery all() {
        return new EdgeQuery(null, Sort.unsorted(), 0, Limit.unlimited());
    }

    /** The points matching {@code filter}, in id order. */
    public static EdgeQuery of(Filter filter) {
        return new EdgeQuery(filter, Sort.unsorted(), 0, Limit.unlimited());
    }

    public EdgeQuery with(Sort newSort) {
        return new EdgeQuery(filter, newSort, offset, limit);
    }

    /** The page's offset and size; the page's sort, if any, after this query's. */
    public EdgeQuery with(Pageable pageable) {
        Sort combined = sort.and(pageable.getSort());
        if (pageable.isUnpaged()) {
            return with(combined);
        }
        return new EdgeQuery(filter, combined, pageable.getOffset(), Limit.of(pageable.getPageSize()));
    }

    public EdgeQuery withOffset(long newOffset) {
        return new EdgeQuery(filter, sort, newOffset, limit);
    }

    public EdgeQuery with(Limit newLimit) {
        return new EdgeQuery(filter, sort, offset, newLimit);
    }
}
