package dev.qdrantedge.engine.operation;

import dev.qdrantedge.engine.idtracker.PointId;
import java.util.List;

/**
 * {@code delete_vectors}: remove the named vectors from these points.
 *
 * @param points the ids
 * @param vectorNames the vector names ({@code ""} is the default vector)
 */
public record DeleteVectors(List<PointId> points, List<String> vectorNames) implements UpdateOperation {

    public DeleteVectors {
        points = List.copyOf(points);
        vectorNames = List.copyOf(vectorNames);
    }

    @Override
    public String variant() {
        return "delete_vectors";
    }
}
