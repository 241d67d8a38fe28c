package dev.qdrantedge.engine.query;

import dev.qdrantedge.engine.filter.Filter;

/**
 * Qdrant's count request. Counting here is always exact; {@code exact} is kept as asked.
 *
 * @param filter the filter, or {@code null} for every point
 * @param exact whether an exact count was asked for (Qdrant's default: true)
 */
public record CountRequest(Filter filter, boolean exact) {
}
