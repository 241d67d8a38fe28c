package dev.qdrantedge.engine.query;

import dev.qdrantedge.engine.filter.Filter;
import dev.qdrantedge.engine.search.SearchParams;
import dev.qdrantedge.engine.search.WithPayload;
import dev.qdrantedge.engine.search.WithVector;
import java.util.List;
import java.util.Objects;

/**
 * A search or query as a REST body asks for it: Qdrant's {@code /points/search} body ({@code vector}) or
 * {@code /points/query} body ({@code query}, {@code using}, {@code prefetch}). Without a query (only
 * possible in the query form, and only without prefetches) it lists the points matching the filter in id
 * order, each with score 1, as Qdrant does.
 *
 * @param queryApi whether it came as a query body (the response is then {@code {"points": [...]}})
 * @param prefetches the prefetches whose results the query rescores or fuses (empty: none)
 * @param using the vector name of a nearest or MMR query
 * @param query what to score by, or {@code null}
 * @param filter the filter, or {@code null}; it applies to the prefetches too
 * @param limit results wanted
 * @param offset results skipped
 * @param scoreThreshold the score threshold, or {@code null}
 * @param withPayload payload selection
 * @param withVector vector selection
 * @param params search parameters
 */
public record QueryRequest(boolean queryApi, List<Prefetch> prefetches, String using, ScoringQuery query,
        Filter filter, int limit, int offset, Float scoreThreshold, WithPayload withPayload, WithVector withVector,
        SearchParams params) {

    public QueryRequest {
        prefetches = prefetches == null ? List.of() : List.copyOf(prefetches);
        Objects.requireNonNull(using, "using");
        Objects.requireNonNull(withPayload, "withPayload");
        Objects.requireNonNull(withVector, "withVector");
        if (params == null) {
            params = SearchParams.DEFAULT;
        }
    }
}
