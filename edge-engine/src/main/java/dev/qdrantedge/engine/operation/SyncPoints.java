package dev.qdrantedge.engine.operation;

import dev.qdrantedge.engine.idtracker.PointId;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * {@code sync_points} (server shard transfers): make the id range {@code [fromId, toId)} hold exactly
 * these points, deleting the others in the range; an absent bound means unbounded.
 *
 * @param fromId lower bound of the range, if any
 * @param toId upper bound of the range, if any
 * @param points the points the range must hold
 */
public record SyncPoints(Optional<PointId> fromId, Optional<PointId> toId, List<PointStruct> points)
        implements UpdateOperation {

    public SyncPoints {
        Objects.requireNonNull(fromId, "fromId");
        Objects.requireNonNull(toId, "toId");
        points = List.copyOf(points);
    }

    @Override
    public String variant() {
        return "sync_points";
    }
}
