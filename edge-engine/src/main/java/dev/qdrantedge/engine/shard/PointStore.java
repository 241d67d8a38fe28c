package dev.qdrantedge.engine.shard;

import dev.qdrantedge.engine.idtracker.PointId;
import dev.qdrantedge.engine.vectors.VectorValue;
import java.util.List;
import java.util.Map;
import tools.jackson.databind.node.ObjectNode;

/**
 * Where applied operations land: the in-memory state of a shard opened for reading (WAL replay without
 * writing), or the segments of a shard opened for writing. {@link OperationApplier} holds the semantics;
 * a store only keeps whole points.
 */
interface PointStore {

    /** The current copy of a point, or {@code null}. */
    StoredPoint get(PointId id);

    /** Replaces the point (or inserts it) with exactly these vectors (preprocessed) and payload. */
    void put(PointId id, long version, Map<String, VectorValue> vectors, ObjectNode payload);

    /** Removes the point. */
    void delete(PointId id, long version);

    /** The ids of all points now, in id order (a copy: the store may change while it is used). */
    List<PointId> ids();
}
