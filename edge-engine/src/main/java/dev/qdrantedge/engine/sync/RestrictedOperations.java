package dev.qdrantedge.engine.sync;

import dev.qdrantedge.engine.idtracker.PointId;
import dev.qdrantedge.engine.operation.ClearPayloadByFilter;
import dev.qdrantedge.engine.operation.ConditionalUpsertPoints;
import dev.qdrantedge.engine.operation.DeletePayload;
import dev.qdrantedge.engine.operation.DeletePoints;
import dev.qdrantedge.engine.operation.DeletePointsByFilter;
import dev.qdrantedge.engine.operation.DeleteVectorsByFilter;
import dev.qdrantedge.engine.operation.OverwritePayload;
import dev.qdrantedge.engine.operation.PointStruct;
import dev.qdrantedge.engine.operation.PointVectors;
import dev.qdrantedge.engine.operation.SetPayload;
import dev.qdrantedge.engine.operation.UpdateOperation;
import dev.qdrantedge.engine.operation.UpdateVectors;
import dev.qdrantedge.engine.operation.UpsertPoints;
import dev.qdrantedge.engine.query.RestResponses;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.JsonNodeFactory;
import tools.jackson.databind.node.ObjectNode;

/**
 * The form in which an outbox entry that the receiver may already have applied is delivered again: the
 * operation restricted to the points it selected when the store accepted it.
 *
 * <p>An operation that selects points by a filter or a condition is decided by the state it meets. Delivered
 * again after the receiver applied it and the operations after it (an acknowledgement lost to a crash, a stop
 * or a failure part-way through a batch), it would meet a newer state: a replayed "delete where n = 100"
 * would delete a point that a later operation of the same batch set to 100. Restricted to the points it
 * selected the first time, it changes exactly those, whatever they look like by now, and a run of operations
 * delivered again in order ends as it did the first time.
 *
 * <ul>
 *   <li>deletes, payload changes and vector deletes by filter select the recorded points by a {@code has_id}
 *       filter, which passes over points deleted since (a list of ids would fail on them);</li>
 *   <li>a conditional upsert becomes a plain upsert of the points it applied to; a vector update with an
 *       update filter, a plain update of the points that passed it;</li>
 *   <li>operations on listed points are unchanged: they select the same points every time.</li>
 * </ul>
 */
public final class RestrictedOperations {

    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

    private RestrictedOperations() {
    }

    /**
     * {@code op} restricted to {@code selected}, the points it selected when accepted.
     *
     * @return the restricted operation; empty when it selected no point, so that nothing is left to send
     */
    public static Optional<UpdateOperation> restrict(UpdateOperation op, List<PointId> selected) {
        if (op instanceof DeletePointsByFilter) {
            return selected.isEmpty() ? Optional.empty() : Optional.of(new DeletePoints(selected));
        }
        if (op instanceof ConditionalUpsertPoints conditional) {
            Set<PointId> ids = new HashSet<>(selected);
            List<PointStruct> applied = conditional.points().stream().filter(p -> ids.contains(p.id())).toList();
            return applied.isEmpty() ? Optional.empty() : Optional.of(new UpsertPoints(applied));
        }
        if (op instanceof UpdateVectors update && update.updateFilter().filter(RestrictedOperations::given).isPresent()) {
            Set<PointId> ids = new HashSet<>(selected);
            List<PointVectors> passed = update.points().stream().filter(p -> ids.contains(p.id())).toList();
            return passed.isEmpty() ? Optional.empty() : Optional.of(new UpdateVectors(passed, Optional.empty()));
        }
        if (op instanceof SetPayload set && set.points().isEmpty()) {
            return byIds(selected).map(f -> new SetPayload(set.payload(), Optional.empty(), Optional.of(f), set.key()));
        }
        if (op instanceof OverwritePayload overwrite && overwrite.points().isEmpty()) {
            return byIds(selected).map(f -> new OverwritePayload(overwrite.payload(), Optional.empty(), Optional.of(f),
                    overwrite.key()));
        }
        if (op instanceof DeletePayload delete && delete.points().isEmpty()) {
            return byIds(selected).map(f -> new DeletePayload(delete.keys(), Optional.empty(), Optional.of(f)));
        }
        if (op instanceof ClearPayloadByFilter) {
            return byIds(selected).map(ClearPayloadByFilter::new);
        }
        if (op instanceof DeleteVectorsByFilter delete) {
            return byIds(selected).map(f -> new DeleteVectorsByFilter(f, delete.vectorNames()));
        }
        return Optional.of(op);
    }

    /** A filter matching exactly {@code ids} ({@code {"must": [{"has_id": [...]}]}}); empty for no ids. */
    private static Optional<JsonNode> byIds(List<PointId> ids) {
        if (ids.isEmpty()) {
            return Optional.empty();
        }
        ArrayNode list = NODES.arrayNode();
        for (PointId id : ids) {
            list.add(RestResponses.id(id));
        }
        ObjectNode hasId = NODES.objectNode();
        hasId.set("has_id", list);
        ObjectNode filter = NODES.objectNode();
        filter.set("must", NODES.arrayNode().add(hasId));
        return Optional.of(filter);
    }

    private static boolean given(JsonNode filter) {
        return !filter.isNull() && !filter.isMissingNode();
    }
}
