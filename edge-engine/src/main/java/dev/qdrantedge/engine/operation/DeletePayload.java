package dev.qdrantedge.engine.operation;

import dev.qdrantedge.engine.idtracker.PointId;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import tools.jackson.databind.JsonNode;

/**
 * {@code delete_payload}: remove the keys (JSON paths) from the payload of the selected points. Points
 * are selected by ids, by a filter, or both, as recorded.
 *
 * @param keys the JSON paths to remove
 * @param points the selected ids, if the record selects by ids
 * @param filter the selecting filter (Qdrant filter JSON), if the record selects by filter
 */
public record DeletePayload(List<String> keys, Optional<List<PointId>> points, Optional<JsonNode> filter)
        implements UpdateOperation {

    public DeletePayload {
        keys = List.copyOf(keys);
        points = points.map(List::copyOf);
        Objects.requireNonNull(filter, "filter");
    }

    @Override
    public String variant() {
        return "delete_payload";
    }
}
