package dev.qdrantedge.engine.operation;

import java.util.List;
import java.util.Objects;
import tools.jackson.databind.JsonNode;

/**
 * {@code upsert_points_conditional}: an upsert whose updates of existing points only apply where the
 * stored point matches {@code condition}, restricted further by {@code updateMode}. Qdrant Edge records
 * an upsert with an update mode but no condition this way too, with an empty filter as condition.
 *
 * @param points the points, in the recorded order
 * @param condition the filter an existing point must match (Qdrant filter JSON; may be {@code {}})
 * @param updateMode the mode; {@link UpdateMode#UPSERT} when the record names none
 */
public record ConditionalUpsertPoints(List<PointStruct> points, JsonNode condition, UpdateMode updateMode)
        implements UpdateOperation {

    public ConditionalUpsertPoints {
        points = List.copyOf(points);
        Objects.requireNonNull(condition, "condition");
        Objects.requireNonNull(updateMode, "updateMode");
    }

    @Override
    public String variant() {
        return "upsert_points_conditional";
    }
}
