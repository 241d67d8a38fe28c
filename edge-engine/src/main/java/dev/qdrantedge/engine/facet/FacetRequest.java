package dev.qdrantedge.engine.facet;

import dev.qdrantedge.engine.filter.Filter;
import dev.qdrantedge.engine.filter.JsonPath;
import java.util.Objects;

/**
 * Qdrant's facet request: the {@code limit} most frequent values of the payload field {@code key} among the
 * points matching {@code filter}. Counts here are always exact; {@code exact} is kept as asked.
 *
 * @param key the payload field; it needs a keyword, integer, UUID or bool payload index, as in Qdrant
 * @param limit hits wanted, at least 1 (Qdrant's default is {@value #DEFAULT_LIMIT})
 * @param filter the filter, or {@code null}
 * @param exact whether exact counts were asked for (Qdrant's default: false)
 */
public record FacetRequest(JsonPath key, int limit, Filter filter, boolean exact) {

    public static final int DEFAULT_LIMIT = 10;

    public FacetRequest {
        Objects.requireNonNull(key, "key");
        if (limit < 1) {
            throw new IllegalArgumentException("limit must be at least 1, was " + limit);
        }
    }
}
