package dev.qdrantedge.spring.client;

import dev.qdrantedge.engine.idtracker.PointId;
import dev.qdrantedge.engine.operation.ClearPayload;
import dev.qdrantedge.engine.operation.DeletePayload;
import dev.qdrantedge.engine.operation.DeleteVectors;
import dev.qdrantedge.engine.operation.OverwritePayload;
import dev.qdrantedge.engine.operation.PointVectors;
import dev.qdrantedge.engine.operation.SetPayload;
import dev.qdrantedge.engine.operation.UpdateOperation;
import dev.qdrantedge.engine.operation.UpdateVectors;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * Operations that change listed points in part (payload changes, vector updates and deletes by ids): the ones
 * Qdrant answers {@code NOT_FOUND} when a listed point is missing. {@link #of} names their points as the
 * {@link GrpcOperationMapper} sends them (ids decide over a filter); {@link #restrict} keeps some of them.
 */
final class ListedPoints {

    private ListedPoints() {
    }

    /** The points {@code op} lists, when it changes listed points in part; empty for every other operation. */
    static Optional<List<PointId>> of(UpdateOperation op) {
        if (op instanceof SetPayload set) {
            return set.points();
        }
        if (op instanceof OverwritePayload overwrite) {
            return overwrite.points();
        }
        if (op instanceof DeletePayload delete) {
            return delete.points();
        }
        if (op instanceof ClearPayload clear) {
            return Optional.of(clear.points());
        }
        if (op instanceof UpdateVectors update) {
            return Optional.of(update.points().stream().map(PointVectors::id).toList());
        }
        if (op instanceof DeleteVectors delete) {
            return Optional.of(delete.points());
        }
        return Optional.empty();
    }

    /**
     * {@code op} on those of its listed points that are in {@code keep}, in their order.
     *
     * @throws IllegalArgumentException when {@code op} does not change listed points ({@link #of} is empty)
     */
    static UpdateOperation restrict(UpdateOperation op, Set<PointId> keep) {
        if (op instanceof SetPayload set) {
            return new SetPayload(set.payload(), Optional.of(kept(set.points().orElseThrow(), keep)), Optional.empty(),
                    set.key());
        }
        if (op instanceof OverwritePayload overwrite) {
            return new OverwritePayload(overwrite.payload(), Optional.of(kept(overwrite.points().orElseThrow(), keep)),
                    Optional.empty(), overwrite.key());
        }
        if (op instanceof DeletePayload delete) {
            return new DeletePayload(delete.keys(), Optional.of(kept(delete.points().orElseThrow(), keep)),
                    Optional.empty());
        }
        if (op instanceof ClearPayload clear) {
            return new ClearPayload(kept(clear.points(), keep));
        }
        if (op instanceof UpdateVectors update) {
            return new UpdateVectors(update.points().stream().filter(p -> keep.contains(p.id())).toList(),
                    update.updateFilter());
        }
        if (op instanceof DeleteVectors delete) {
            return new DeleteVectors(kept(delete.points(), keep), delete.vectorNames());
        }
        throw new IllegalArgumentException(op.variant() + " does not change listed points");
    }

    private static List<PointId> kept(List<PointId> ids, Set<PointId> keep) {
        return ids.stream().filter(keep::contains).toList();
    }
}
