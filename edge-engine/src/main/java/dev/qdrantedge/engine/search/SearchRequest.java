package dev.qdrantedge.engine.search;

import dev.qdrantedge.engine.filter.Filter;
import dev.qdrantedge.engine.vectors.VectorValue;
import java.util.Objects;

/**
 * A nearest-neighbour search: the query vector (dense, multi-dense or sparse) against the named vector
 * {@code using}, restricted to points matching {@code filter}.
 *
 * @param using the vector name ({@code ""} is the default vector)
 * @param query the query vector as given (it is preprocessed as Qdrant does before scoring)
 * @param filter the points to consider, or {@code null} for all
 * @param limit the number of results, at least 1
 * @param offset results to skip first
 * @param scoreThreshold keep only results scoring better than this (strictly: above it for Cosine, Dot and
 *     sparse vectors, below it for the distances Euclid and Manhattan), or {@code null}
 * @param withPayload the payload to return
 * @param withVector the vectors to return
 * @param params search parameters: exact search, and the beam size of HNSW graph searches
 */
public record SearchRequest(String using, VectorValue query, Filter filter, int limit, int offset,
        Float scoreThreshold, WithPayload withPayload, WithVector withVector, SearchParams params) {

    public SearchRequest {
        Objects.requireNonNull(using, "using");
        Objects.requireNonNull(query, "query");
        Objects.requireNonNull(withPayload, "withPayload");
        Objects.requireNonNull(withVector, "withVector");
        if (params == null) {
            params = SearchParams.DEFAULT;
        }
        if (limit < 1) {
            throw new IllegalArgumentException("limit must be at least 1, was " + limit);
        }
        if (offset < 0) {
            throw new IllegalArgumentException("offset must not be negative, was " + offset);
        }
    }

    /** The {@code limit} best points for {@code query} on vector {@code using}, without payload or vectors. */
    public static SearchRequest of(String using, VectorValue query, int limit) {
        return new SearchRequest(using, query, null, limit, 0, null, WithPayload.NONE, WithVector.NONE, null);
    }

    public SearchRequest withFilter(Filter newFilter) {
        return new SearchRequest(using, query, newFilter, limit, offset, scoreThreshold, withPayload, withVector,
                params);
    }

    public SearchRequest withOffset(int newOffset) {
        return new SearchRequest(using, query, filter, limit, newOffset, scoreThreshold, withPayload, withVector,
                params);
    }

    public SearchRequest withScoreThreshold(Float threshold) {
        return new SearchRequest(using, query, filter, limit, offset, threshold, withPayload, withVector, params);
    }

    public SearchRequest with(WithPayload payload, WithVector vector) {
        return new SearchRequest(using, query, filter, limit, offset, scoreThreshold, payload, vector, params);
    }
}
