package dev.qdrantedge.engine.operation;

import java.util.Objects;
import tools.jackson.databind.JsonNode;

/**
 * {@code delete_points_by_filter}: delete every point matching the filter.
 *
 * @param filter the filter (Qdrant filter JSON)
 */
public record DeletePointsByFilter(JsonNode filter) implements UpdateOperation {

    public DeletePointsByFilter {
        Objects.requireNonNull(filter, "filter");
    }

    @Override
    public String variant() {
        return "delete_points_by_filter";
    }
}
