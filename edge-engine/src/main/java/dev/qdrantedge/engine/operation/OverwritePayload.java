package dev.qdrantedge.engine.operation;

import dev.qdrantedge.engine.idtracker.PointId;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * {@code overwrite_payload}: replace the payload of the selected points by {@code payload} (or, with
 * {@code key}, replace only the value at that JSON path). Points are selected by ids, by a filter, or
 * both, as recorded.
 *
 * @param payload the new payload
 * @param points the selected ids, if the record selects by ids
 * @param filter the selecting filter (Qdrant filter JSON), if the record selects by filter
 * @param key the JSON path to replace, if any
 */
public record OverwritePayload(ObjectNode payload, Optional<List<PointId>> points, Optional<JsonNode> filter,
        Optional<String> key) implements UpdateOperation {

    public OverwritePayload {
        Objects.requireNonNull(payload, "payload");
        points = points.map(List::copyOf);
        Objects.requireNonNull(filter, "filter");
        Objects.requireNonNull(key, "key");
    }

    @Override
    public String variant() {
        return "overwrite_payload";
    }
}
