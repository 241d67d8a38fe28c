package dev.qdrantedge.engine.sync;

import dev.qdrantedge.engine.filter.Condition;
import dev.qdrantedge.engine.filter.Filter;
import dev.qdrantedge.engine.filter.FilterParser;
import dev.qdrantedge.engine.idtracker.PointId;
import dev.qdrantedge.engine.operation.ClearPayload;
import dev.qdrantedge.engine.operation.ClearPayloadByFilter;
import dev.qdrantedge.engine.operation.ConditionalUpsertPoints;
import dev.qdrantedge.engine.operation.DeletePayload;
import dev.qdrantedge.engine.operation.DeletePoints;
import dev.qdrantedge.engine.operation.DeletePointsByFilter;
import dev.qdrantedge.engine.operation.DeleteVectors;
import dev.qdrantedge.engine.operation.DeleteVectorsByFilter;
import dev.qdrantedge.engine.operation.InvalidOperationException;
import dev.qdrantedge.engine.operation.OverwritePayload;
import dev.qdrantedge.engine.operation.PointStruct;
import dev.qdrantedge.engine.operation.PointVectors;
import dev.qdrantedge.engine.operation.SetPayload;
import dev.qdrantedge.engine.operation.UpdateMode;
import dev.qdrantedge.engine.operation.UpdateOperation;
import dev.qdrantedge.engine.operation.UpdateVectors;
import dev.qdrantedge.engine.operation.UpsertPoints;
import dev.qdrantedge.engine.shard.Record;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import tools.jackson.databind.JsonNode;

/**
 * What an operation does to the store's local shard, worked out against the merged view.
 *
 * <p>{@link #resolve} decides, when the operation is accepted, which points it touches: the listed ones
 * (every one must exist in the merged view, else {@link MissingPointException}), the points a filter matches
 * in the merged view, and for conditional upserts and conditional vector updates the points the condition
 * lets through there, as Qdrant decides them (an insert-only upsert inserts the points the merged view lacks;
 * an update-only one updates the existing ones matching the condition).
 *
 * <p>{@link #derive} turns the operation and those ids into local shard operations, deterministically, so
 * that opening the store after a crash can redo them from the outbox entry alone:
 * <ul>
 *   <li>copy-on-write: operations that change part of a point (payload changes, vector updates and deletes)
 *       first copy the touched points the merged view takes from the mirror into the local shard, whole
 *       (vectors and payload, one upsert), so that the local copy carries the full new state;</li>
 *   <li>the operation itself, with a filter or condition replaced by the resolved ids (the outbox keeps the
 *       original: the server evaluates filters itself). Upserts replace whole points and deletes need no
 *       copy: a deleted id stays pinned by its entry, which hides the mirror's copy.</li>
 * </ul>
 */
final class LocalWrites {

    /**
     * The local effect of one operation.
     *
     * @param touched the points the operation touches, to record with its outbox entry
     * @param copies the copy-on-write upsert, or {@code null}
     * @param operation the operation for the local shard, or {@code null} when it changes nothing there
     */
    record Plan(List<PointId> touched, UpsertPoints copies, UpdateOperation operation) {

        /** The number of local shard operations the plan runs. */
        int operationCount() {
            return (copies == null ? 0 : 1) + (operation == null ? 0 : 1);
        }
    }

    private LocalWrites() {
    }

    /**
     * The points {@code op} touches in the merged view, for an operation accepted now.
     *
     * @throws MissingPointException when an operation on listed points names a point the view lacks
     * @throws InvalidOperationException for operations the store does not take
     */
    static List<PointId> resolve(UpdateOperation op, MergedReads view) {
        if (op instanceof UpsertPoints upsert) {
            return ids(upsert.points());
        }
        if (op instanceof ConditionalUpsertPoints conditional) {
            List<PointId> ids = ids(conditional.points());
            Set<PointId> existing = view.existing(ids);
            Set<PointId> passing = passing(view, conditional.condition(), ids);
            List<PointId> applied = new ArrayList<>();
            UpdateMode mode = conditional.updateMode();
            for (PointId id : ids) {
                boolean apply = existing.contains(id) ? mode != UpdateMode.INSERT_ONLY && passing.contains(id)
                        : mode != UpdateMode.UPDATE_ONLY;
                if (apply) {
                    applied.add(id);
                }
            }
            return applied;
        }
        if (op instanceof DeletePoints delete) {
            return distinct(delete.ids());
        }
        if (op instanceof DeletePointsByFilter delete) {
            return view.matching(filter(delete.filter()));
        }
        if (op instanceof SetPayload set) {
            return selected(view, op, set.points(), set.filter());
        }
        if (op instanceof OverwritePayload overwrite) {
            return selected(view, op, overwrite.points(), overwrite.filter());
        }
        if (op instanceof DeletePayload delete) {
            return selected(view, op, delete.points(), delete.filter());
        }
        if (op instanceof ClearPayload clear) {
            return existing(view, op, clear.points());
        }
        if (op instanceof ClearPayloadByFilter clear) {
            return view.matching(filter(clear.filter()));
        }
        if (op instanceof UpdateVectors update) {
            List<PointId> ids = existing(view, op, update.points().stream().map(PointVectors::id).toList());
            Optional<JsonNode> condition = update.updateFilter().filter(f -> !f.isNull() && !f.isMissingNode());
            if (condition.isEmpty()) {
                return ids;
            }
            Set<PointId> passing = passing(view, condition.get(), ids);
            return ids.stream().filter(passing::contains).toList();
        }
        if (op instanceof DeleteVectors delete) {
            return existing(view, op, delete.points());
        }
        if (op instanceof DeleteVectorsByFilter delete) {
            return view.matching(filter(delete.filter()));
        }
        throw new InvalidOperationException(op.variant() + " is not supported by the store");
    }

    /**
     * The local shard operations of {@code op} touching {@code touched} (as {@link #resolve} found them, or
     * as the outbox entry recorded them), with copies of the mirror's points as the view stands now.
     */
    static Plan derive(UpdateOperation op, List<PointId> touched, MergedReads view) {
        Set<PointId> ids = new LinkedHashSet<>(touched);
        List<PointId> idList = List.copyOf(ids);
        UpdateOperation local;
        boolean copyOnWrite = true;
        if (op instanceof UpsertPoints) {
            local = op;
            copyOnWrite = false;
        } else if (op instanceof ConditionalUpsertPoints conditional) {
            List<PointStruct> applied = conditional.points().stream().filter(p -> ids.contains(p.id())).toList();
            local = applied.isEmpty() ? null : new UpsertPoints(applied);
            copyOnWrite = false;
        } else if (op instanceof DeletePoints || op instanceof DeletePointsByFilter) {
            local = ids.isEmpty() ? null : new DeletePoints(idList);
            copyOnWrite = false;
        } else if (ids.isEmpty()) {
            local = null;
        } else if (op instanceof SetPayload set) {
            local = new SetPayload(set.payload(), Optional.of(idList), Optional.empty(), set.key());
        } else if (op instanceof OverwritePayload overwrite) {
            local = new OverwritePayload(overwrite.payload(), Optional.of(idList), Optional.empty(), overwrite.key());
        } else if (op instanceof DeletePayload delete) {
            local = new DeletePayload(delete.keys(), Optional.of(idList), Optional.empty());
        } else if (op instanceof ClearPayload || op instanceof ClearPayloadByFilter) {
            local = new ClearPayload(idList);
        } else if (op instanceof UpdateVectors update) {
            local = new UpdateVectors(update.points().stream().filter(p -> ids.contains(p.id())).toList(),
                    Optional.empty());
        } else if (op instanceof DeleteVectors delete) {
            local = new DeleteVectors(idList, delete.vectorNames());
        } else if (op instanceof DeleteVectorsByFilter delete) {
            local = new DeleteVectors(idList, delete.vectorNames());
        } else {
            throw new InvalidOperationException(op.variant() + " is not supported by the store");
        }
        UpsertPoints copies = null;
        if (copyOnWrite && local != null) {
            List<PointStruct> copied = new ArrayList<>();
            for (Record r : view.mirrorOnly(idList)) {
                copied.add(new PointStruct(r.id(), r.vectors(), Optional.of(r.payload())));
            }
            copies = copied.isEmpty() ? null : new UpsertPoints(copied);
        }
        return new Plan(idList, copies, local);
    }

    private static List<PointId> selected(MergedReads view, UpdateOperation op, Optional<List<PointId>> points,
            Optional<JsonNode> filter) {
        if (points.isPresent()) {
            return existing(view, op, points.get()); // Qdrant uses the ids when both are given
        }
        return view.matching(filter(filter.orElseThrow()));
    }

    /** The listed ids, once each, after checking each exists in the merged view. */
    private static List<PointId> existing(MergedReads view, UpdateOperation op, List<PointId> listed) {
        List<PointId> ids = distinct(listed);
        Set<PointId> existing = view.existing(ids);
        for (PointId id : ids) {
            if (!existing.contains(id)) {
                throw new MissingPointException(id, op.variant());
            }
        }
        return ids;
    }

    /** Those of {@code ids} whose point in the merged view matches {@code condition}. */
    private static Set<PointId> passing(MergedReads view, JsonNode condition, List<PointId> ids) {
        if (ids.isEmpty()) {
            return Set.of();
        }
        Filter restricted = new Filter(List.of(filter(condition), new Condition.HasId(new HashSet<>(ids))), null,
                null, null);
        return new HashSet<>(view.matching(restricted));
    }

    private static Filter filter(JsonNode json) {
        return FilterParser.parseStored(json, "filter");
    }

    private static List<PointId> ids(List<PointStruct> points) {
        return distinct(points.stream().map(PointStruct::id).toList());
    }

    private static List<PointId> distinct(List<PointId> ids) {
        return List.copyOf(new LinkedHashSet<>(ids));
    }
}
