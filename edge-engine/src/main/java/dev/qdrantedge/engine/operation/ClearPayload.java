package dev.qdrantedge.engine.operation;

import dev.qdrantedge.engine.idtracker.PointId;
import java.util.List;

/**
 * {@code clear_payload}: remove the whole payload of these points.
 *
 * @param points the ids, in the recorded order
 */
public record ClearPayload(List<PointId> points) implements UpdateOperation {

    public ClearPayload {
        points = List.copyOf(points);
    }

    @Override
    public String variant() {
        return "clear_payload";
    }
}
