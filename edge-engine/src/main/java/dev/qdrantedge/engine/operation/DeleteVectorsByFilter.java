package dev.qdrantedge.engine.operation;

import java.util.List;
import java.util.Objects;
import tools.jackson.databind.JsonNode;

/**
 * {@code delete_vectors_by_filter}: remove the named vectors from every point matching the filter.
 *
 * @param filter the filter (Qdrant filter JSON)
 * @param vectorNames the vector names ({@code ""} is the default vector)
 */
public record DeleteVectorsByFilter(JsonNode filter, List<String> vectorNames) implements UpdateOperation {

    public DeleteVectorsByFilter {
        Objects.requireNonNull(filter, "filter");
        vectorNames = List.copyOf(vectorNames);
    }

    @Override
    public String variant() {
        return "delete_vectors_by_filter";
    }
}
