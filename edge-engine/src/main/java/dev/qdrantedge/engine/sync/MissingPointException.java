package dev.qdrantedge.engine.sync;

import dev.qdrantedge.engine.idtracker.PointId;
import dev.qdrantedge.engine.operation.InvalidOperationException;

/**
 * An operation on listed points (payload changes, vector updates and deletes by id) named a point that the
 * store holds neither locally nor in its server mirror. Unlike a single shard, which applies such an
 * operation to the points around the missing one (as Qdrant Edge does), the store refuses it whole: nothing
 * is written, locally or to the outbox, so the server never receives an operation it would reject.
 */
public final class MissingPointException extends InvalidOperationException {

    private static final long serialVersionUID = 1L;

    private final transient PointId pointId;

    public MissingPointException(PointId pointId, String variant) {
        super("no point with id " + pointId + " for " + variant + ": the store holds it neither locally nor in"
                + " its server mirror; nothing was written");
        this.pointId = pointId;
    }

    /** The first missing point the operation named. */
    public PointId pointId() {
        return pointId;
    }
}
