package dev.qdrantedge.engine.operation;

import java.util.List;
import java.util.Objects;
import java.util.Optional;
import tools.jackson.databind.JsonNode;

/**
 * {@code update_vectors}: replace the named vectors of existing points, optionally only where the
 * point matches {@code updateFilter}.
 *
 * @param points the points and their new vectors
 * @param updateFilter the condition a point must match to be updated, if any (Qdrant filter JSON)
 */
public record UpdateVectors(List<PointVectors> points, Optional<JsonNode> updateFilter) implements UpdateOperation {

    public UpdateVectors {
        points = List.copyOf(points);
        Objects.requireNonNull(updateFilter, "updateFilter");
    }

    @Override
    public String variant() {
        return "update_vectors";
    }
}
