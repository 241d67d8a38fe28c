package dev.qdrantedge.engine.operation;

import dev.qdrantedge.engine.idtracker.PointId;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * {@code set_payload}: merge {@code payload} into the payload of the selected points (at {@code key},
 * a JSON path, when given). Points are selected by ids, by a filter, or both, as recorded.
 *
 * @param payload the keys and values to set
 * @param points the selected ids, if the record selects by ids
 * @param filter the selecting filter (Qdrant filter JSON), if the record selects by filter
 * @param key the JSON path to set the payload under, if any
 */
public record SetPayload(ObjectNode payload, Optional<List<PointId>> points, Optional<JsonNode> filter,
        Optional<String> key) implements UpdateOperation {

    public SetPayload {
        Objects.requireNonNull(payload, "payload");
        points = points.map(List::copyOf);
        Objects.requireNonNull(filter, "filter");
        Objects.requireNonNull(key, "key");
    }

    @Override
    public String variant() {
        return "set_payload";
    }
}
