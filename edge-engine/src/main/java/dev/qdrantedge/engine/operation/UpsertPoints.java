package dev.qdrantedge.engine.operation;

import java.util.List;

/**
 * {@code upsert_points}: insert the points or replace them entirely (vectors and payload). Qdrant
 * records either a point list or a column-wise batch; both are given here as a point list.
 *
 * @param points the points, in the recorded order
 */
public record UpsertPoints(List<PointStruct> points) implements UpdateOperation {

    public UpsertPoints {
        points = List.copyOf(points);
    }

    @Override
    public String variant() {
        return "upsert_points";
    }
}
