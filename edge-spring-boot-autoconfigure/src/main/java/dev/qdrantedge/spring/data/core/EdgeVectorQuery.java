package dev.qdrantedge.spring.data.core;

import dev.qdrantedge.engine.filter.Filter;
import dev.qdrantedge.engine.vectors.VectorValue;
import java.util.Objects;
import org.springframework.data.domain.Limit;
import org.springframework.data.domain.Range;
import org.springframework.data.domain.Score;

/**
 * A nearest-neighbour search for entities: the points nearest to {@code vector} on the named vector
 * {@code using}, best first.
 *
 * @param using the vector name ({@code ""}: the unnamed vector)
 * @param vector the query vector
 * @param filter the points to consider, {@code null} for all
 * @param offset how many results to skip first
 * @param limit how many results to return at most; unlimited ranks every matching point
 * @param threshold Qdrant's {@code score_threshold}, or {@code null}: only results scoring better than it
 *     (above it for Cosine, Dot and sparse vectors, below it for the distances Euclid and Manhattan)
 * @param scoreRange only results whose score lies in this range, or {@code null}; applied to the ranked
 *     results before the offset and the limit
 */
public record EdgeVectorQuery(String using, VectorValue vector, Filter filter, long offset, Limit limit,
        Score threshold, Range<Score> scoreRange) {

    public EdgeVectorQuery {
        Objects.requireNonNull(using, "using");
        Objects.requireNonNull(vector, "vector");
        Objects.requireNonNull(limit, "limit");
        if (offset < 0 || offset > Integer.MAX_VALUE) {
            throw new IllegalArgumentException("offset must be between 0 and " + Integer.MAX_VALUE + ", was "
                    + offset);
        }
    }

    /** Every point ranked by its closeness to {@code vector} on the vector {@code using}. */
    public static EdgeVectorQuery nearest(String using, VectorValue vector) {
        return new EdgeVectorQuery(using, vector, null, 0, Limit.unlimited(), null, null);
    }

    public EdgeVectorQuery withFilter(Filter newFilter) {
        return new EdgeVectorQuery(using, vector, newFilter, offset, limit, threshold, scoreRange);
    }

    public EdgeVectorQuery withOffset(long newOffset) {
        return new EdgeVectorQuery(using, vector, filter, newOffset, limit, threshold, scoreRange);
    }

    public EdgeVectorQuery with(Limit newLimit) {
        return new EdgeVectorQuery(using, vector, filter, offset, newLimit, threshold, scoreRange);
    }

    public EdgeVectorQuery withThreshold(Score newThreshold) {
        return new EdgeVectorQuery(using, vector, filter, offset, limit, newThreshold, scoreRange);
    }

    public EdgeVectorQuery withScoreRange(Range<Score> newRange) {
        return new EdgeVectorQuery(using, vector, filter, offset, limit, threshold, newRange);
    }
}
