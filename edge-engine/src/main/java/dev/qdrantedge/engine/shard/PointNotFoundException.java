package dev.qdrantedge.engine.shard;

import dev.qdrantedge.engine.EdgeException;
import dev.qdrantedge.engine.idtracker.PointId;

/**
 * An operation on listed points named a point the shard does not have. As in Qdrant Edge, the operation was
 * logged and applied anyway, up to the batch of points that names the missing one: the existing points of
 * that batch and of the batches before it were changed, later batches were not. The shard goes on taking
 * updates; replaying the WAL reproduces exactly this state.
 */
public class PointNotFoundException extends EdgeException {

    private static final long serialVersionUID = 1L;

    private final transient PointId pointId;
    private final long operationNumber;

    public PointNotFoundException(PointId pointId, long operationNumber, String variant) {
        super("no point with id " + pointId + "; operation " + operationNumber + " (" + variant + ") is in the WAL"
                + " and changed the existing points up to the batch of " + OperationApplier.POINT_BATCH
                + " that names it, as Qdrant does");
        this.pointId = pointId;
        this.operationNumber = operationNumber;
    }

    /** The first missing point the operation named. */
    public PointId pointId() {
        return pointId;
    }

    /** The operation's number (its WAL index). */
    public long operationNumber() {
        return operationNumber;
    }
}
