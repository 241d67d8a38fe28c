package dev.qdrantedge.engine.operation;

import dev.qdrantedge.engine.idtracker.PointId;
import java.util.List;

/**
 * {@code delete_points}: delete the points with these ids (missing ids are ignored).
 *
 * @param ids the ids, in the recorded order
 */
public record DeletePoints(List<PointId> ids) implements UpdateOperation {

    public DeletePoints {
        ids = List.copyOf(ids);
    }

    @Override
    public String variant() {
        return "delete_points";
    }
}
