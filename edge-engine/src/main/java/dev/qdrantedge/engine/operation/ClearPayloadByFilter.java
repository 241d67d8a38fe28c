package dev.qdrantedge.engine.operation;

import java.util.Objects;
import tools.jackson.databind.JsonNode;

/**
 * {@code clear_payload_by_filter}: remove the whole payload of every point matching the filter.
 *
 * @param filter the filter (Qdrant filter JSON)
 */
public record ClearPayloadByFilter(JsonNode filter) implements UpdateOperation {

    public ClearPayloadByFilter {
        Objects.requireNonNull(filter, "filter");
    }

    @Override
    public String variant() {
        return "clear_payload_by_filter";
    }
}
