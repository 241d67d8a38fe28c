package dev.qdrantedge.engine.query;

import dev.qdrantedge.engine.filter.Filter;
import dev.qdrantedge.engine.idtracker.PointId;
import dev.qdrantedge.engine.search.WithPayload;
import dev.qdrantedge.engine.search.WithVector;
import java.util.Objects;

/**
 * A page of points in id order, as Qdrant's scroll: from {@code offset} (inclusive; {@code null} for the
 * start), at most {@code limit} points matching {@code filter}.
 *
 * @param offset the first id to consider, or {@code null}
 * @param limit the page size, at least 1 (Qdrant's default is {@value #DEFAULT_LIMIT})
 * @param filter the filter, or {@code null} for every point
 * @param withPayload payload selection (Qdrant's default: all)
 * @param withVector vector selection (Qdrant's default: none)
 */
public record ScrollRequest(PointId offset, int limit, Filter filter, WithPayload withPayload, WithVector withVector) {

    public static final int DEFAULT_LIMIT = 10;

    public ScrollRequest {
        Objects.requireNonNull(withPayload, "withPayload");
        Objects.requireNonNull(withVector, "withVector");
        if (limit < 1) {
            throw new IllegalArgumentException("limit must be at least 1, was " + limit);
        }
    }

    /** The first page of {@code limit} points matching {@code filter}, with payload and without vectors. */
    public static ScrollRequest of(Filter filter, int limit) {
        return new ScrollRequest(null, limit, filter, WithPayload.ALL, WithVector.NONE);
    }

    public ScrollRequest from(PointId newOffset) {
        return new ScrollRequest(newOffset, limit, filter, withPayload, withVector);
    }
}
