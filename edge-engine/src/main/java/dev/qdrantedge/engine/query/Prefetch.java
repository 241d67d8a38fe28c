package dev.qdrantedge.engine.query;

import dev.qdrantedge.engine.filter.Filter;
import dev.qdrantedge.engine.search.SearchParams;
import java.util.List;
import java.util.Objects;

/**
 * One {@code prefetch} of a query: its own query over its own prefetches (nested to any depth), whose results
 * the enclosing query rescores or fuses. The enclosing query's filter applies to it as well.
 *
 * @param prefetches nested prefetches (empty: the query runs on the whole shard)
 * @param query what it scores by, or {@code null} (points in id order)
 * @param using the vector name of a nearest or MMR query
 * @param filter its filter, or {@code null}
 * @param limit results it passes on (default 10)
 * @param scoreThreshold its score threshold, or {@code null}
 * @param params search parameters
 */
public record Prefetch(List<Prefetch> prefetches, ScoringQuery query, String using, Filter filter, int limit,
        Float scoreThreshold, SearchParams params) {

    public Prefetch {
        prefetches = prefetches == null ? List.of() : List.copyOf(prefetches);
        Objects.requireNonNull(using, "using");
        if (params == null) {
            params = SearchParams.DEFAULT;
        }
    }
}
