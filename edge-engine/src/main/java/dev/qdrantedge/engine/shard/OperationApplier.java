package dev.qdrantedge.engine.shard;

import dev.qdrantedge.engine.config.EdgeConfig;
import dev.qdrantedge.engine.config.VectorParams;
import dev.qdrantedge.engine.idtracker.PointId;
import dev.qdrantedge.engine.operation.ClearPayload;
import dev.qdrantedge.engine.operation.ClearPayloadByFilter;
import dev.qdrantedge.engine.operation.ConditionalUpsertPoints;
import dev.qdrantedge.engine.operation.CreateFieldIndex;
import dev.qdrantedge.engine.operation.CreateVectorName;
import dev.qdrantedge.engine.operation.DeleteVectorName;
import dev.qdrantedge.engine.operation.DeleteFieldIndex;
import dev.qdrantedge.engine.operation.DeletePayload;
import dev.qdrantedge.engine.operation.DeletePoints;
import dev.qdrantedge.engine.operation.DeletePointsByFilter;
import dev.qdrantedge.engine.operation.DeleteVectors;
import dev.qdrantedge.engine.operation.DeleteVectorsByFilter;
import dev.qdrantedge.engine.operation.OverwritePayload;
import dev.qdrantedge.engine.operation.PointStruct;
import dev.qdrantedge.engine.operation.PointVectors;
import dev.qdrantedge.engine.operation.SetPayload;
import dev.qdrantedge.engine.operation.UpdateMode;
import dev.qdrantedge.engine.operation.UpdateOperation;
import dev.qdrantedge.engine.operation.UpdateVectors;
import dev.qdrantedge.engine.operation.UpsertPoints;
import dev.qdrantedge.engine.vectors.DenseVector;
import dev.qdrantedge.engine.vectors.MultiDenseVector;
import dev.qdrantedge.engine.vectors.SparseVector;
import dev.qdrantedge.engine.vectors.VectorPreprocessing;
import dev.qdrantedge.engine.vectors.VectorValue;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.JsonNodeFactory;
import tools.jackson.databind.node.ObjectNode;

/**
 * Qdrant's semantics of every point operation, applied to a {@link PointStore} with an operation number:
 * a point whose version is greater than the operation number is left alone (so replaying entries the
 * store already holds changes nothing); upserts replace a point's vectors and payload whole; raw vectors
 * are preprocessed as the storages keep them.
 *
 * <p>Operations on listed points (payload changes, vector deletes and updates by id) work as Qdrant's do:
 * the list is taken in batches of {@value #POINT_BATCH}; a batch naming a point that does not exist is
 * applied to the points that do, and then the operation stops there, later batches untouched, and reports
 * the missing point. A payload operation given both ids and a filter uses the ids.
 */
final class OperationApplier {

    /** Selects the ids of the points a filter matches. */
    @FunctionalInterface
    interface FilterSelector {
        List<PointId> select(JsonNode filter, PointStore store);
    }

    /** Qdrant's batch size for payload and vector operations on listed points. */
    static final int POINT_BATCH = 32;

    private EdgeConfig config;
    private final PointStore store;
    private final FilterSelector filters;
    /** Whether WAL entries are being replayed (see {@link #replaying}). */
    private boolean replaying;

    OperationApplier(EdgeConfig config, PointStore store, FilterSelector filters) {
        this.config = config;
        this.store = store;
        this.filters = filters;
    }

    /**
     * Switches WAL replay on or off. While replaying, a point a segment holds at exactly the entry's operation
     * number is left alone as well, as Qdrant's replay leaves it ({@code point_version >= op_num}): the
     * segment already holds that entry's effect, so applying it again would only make an in-memory copy of
     * the same point.
     */
    void replaying(boolean on) {
        replaying = on;
    }

    /** Whether an operation numbered {@code opNum} leaves {@code current} alone. */
    private boolean holdsAlready(StoredPoint current, long opNum) {
        return current.version() > opNum
                || replaying && current instanceof StoredPoint.InSegment && current.version() == opNum;
    }

    /** The shard configuration as the operations applied so far left it (vector names may change). */
    EdgeConfig config() {
        return config;
    }

    /**
     * Applies one operation.
     *
     * @return the first listed point the operation found missing (it was applied up to the batch naming
     *     that point, as Qdrant applies it before reporting "no point with id"), or {@code null}
     * @throws UnsupportedOperationException for operations this engine cannot apply yet
     * @throws IllegalArgumentException for a malformed key path or filter
     */
    PointId apply(UpdateOperation op, long opNum) {
        if (op instanceof UpsertPoints upsert) {
            for (PointStruct p : upsert.points()) {
                upsert(p, opNum);
            }
        } else if (op instanceof ConditionalUpsertPoints conditional) {
            Set<PointId> matching = isEmptyFilter(conditional.condition()) ? null
                    : Set.copyOf(filters.select(conditional.condition(), store));
            UpdateMode mode = conditional.updateMode();
            for (PointStruct p : conditional.points()) {
                boolean exists = store.get(p.id()) != null;
                boolean conditionHolds = matching == null || matching.contains(p.id());
                boolean apply = exists ? mode != UpdateMode.INSERT_ONLY && conditionHolds : mode != UpdateMode.UPDATE_ONLY;
                if (apply) {
                    upsert(p, opNum);
                }
            }
        } else if (op instanceof DeletePoints delete) {
            delete(delete.ids(), opNum);
        } else if (op instanceof DeletePointsByFilter delete) {
            delete(filters.select(delete.filter(), store), opNum);
        } else if (op instanceof SetPayload set) {
            return changeSelected(set.points(), set.filter(), opNum,
                    (vectors, payload) -> PayloadPaths.merge(payload, set.key(), set.payload()));
        } else if (op instanceof OverwritePayload overwrite) {
            return changeSelected(overwrite.points(), overwrite.filter(), opNum,
                    (vectors, payload) -> PayloadPaths.overwrite(payload, overwrite.key(), overwrite.payload()));
        } else if (op instanceof DeletePayload delete) {
            return changeSelected(delete.points(), delete.filter(), opNum,
                    (vectors, payload) -> delete.keys().forEach(key -> PayloadPaths.remove(payload, key)));
        } else if (op instanceof ClearPayload clear) {
            return changeListed(clear.points(), opNum, (vectors, payload) -> payload.removeAll());
        } else if (op instanceof ClearPayloadByFilter clear) {
            for (PointId id : filters.select(clear.filter(), store)) {
                change(id, opNum, (vectors, payload) -> payload.removeAll());
            }
        } else if (op instanceof UpdateVectors update) {
            // Qdrant takes the points of update_vectors from a hash map, so the batches of a list longer than
            // one batch come in no defined order; every existing point is updated here.
            Set<PointId> matching = update.updateFilter().filter(f -> !isEmptyFilter(f))
                    .map(f -> Set.copyOf(filters.select(f, store))).orElse(null);
            PointId missing = null;
            for (PointVectors pv : update.points()) {
                boolean exists = matching == null || matching.contains(pv.id())
                        ? change(pv.id(), opNum, (vectors, payload) -> vectors.putAll(preprocess(pv.vectors())))
                        : store.get(pv.id()) != null; // the condition leaves out existing points only
                if (!exists && missing == null) {
                    missing = pv.id();
                }
            }
            return missing;
        } else if (op instanceof DeleteVectors delete) {
            return changeListed(delete.points(), opNum,
                    (vectors, payload) -> delete.vectorNames().forEach(vectors::remove));
        } else if (op instanceof DeleteVectorsByFilter delete) {
            for (PointId id : filters.select(delete.filter(), store)) {
                change(id, opNum, (vectors, payload) -> delete.vectorNames().forEach(vectors::remove));
            }
        } else if (op instanceof CreateVectorName create) {
            config = VectorNameChanges.withVector(config, create.vectorName(), create.config());
        } else if (op instanceof DeleteVectorName delete) {
            String name = delete.vectorName();
            for (PointId id : store.ids()) {
                StoredPoint current = store.get(id);
                if (current != null && current.vectors().containsKey(name)) {
                    change(id, opNum, (vectors, payload) -> vectors.remove(name));
                }
            }
            config = VectorNameChanges.withoutVector(config, name);
        } else if (op instanceof CreateFieldIndex || op instanceof DeleteFieldIndex) {
            // Payload indexes are derived data: no point changes.
        } else {
            throw new UnsupportedOperationException(op.variant() + " cannot be applied yet");
        }
        return null;
    }

    private void upsert(PointStruct p, long opNum) {
        StoredPoint current = store.get(p.id());
        if (current != null && holdsAlready(current, opNum)) {
            return;
        }
        ObjectNode payload = p.payload().map(ObjectNode::deepCopy).orElseGet(JsonNodeFactory.instance::objectNode);
        store.put(p.id(), opNum, preprocess(p.vectors()), payload);
    }

    private void delete(List<PointId> ids, long opNum) {
        for (PointId id : ids) {
            StoredPoint current = store.get(id);
            if (current != null && current.version() <= opNum) {
                store.delete(id, opNum);
            }
        }
    }

    /**
     * Applies a change to an existing point's vectors and payload, if the operation is not older than it;
     * returns whether the point exists.
     */
    private boolean change(PointId id, long opNum, PointChange change) {
        StoredPoint current = store.get(id);
        if (current == null) {
            return false;
        }
        if (holdsAlready(current, opNum)) {
            return true;
        }
        Map<String, VectorValue> vectors = new LinkedHashMap<>(current.vectors());
        ObjectNode payload = current.payload();
        change.apply(vectors, payload);
        store.put(id, opNum, vectors, payload);
        return true;
    }

    /** A payload change of the listed points when the operation lists any, else of the filter's points. */
    private PointId changeSelected(Optional<List<PointId>> ids, Optional<JsonNode> filter, long opNum,
            PointChange change) {
        if (ids.isPresent()) {
            return changeListed(ids.get(), opNum, change);
        }
        if (filter.isPresent() && !filter.get().isNull()) {
            for (PointId id : filters.select(filter.get(), store)) {
                change(id, opNum, change);
            }
        }
        return null;
    }

    /** Changes the listed points batch by batch, stopping after a batch that names a missing point. */
    private PointId changeListed(List<PointId> ids, long opNum, PointChange change) {
        for (int from = 0; from < ids.size(); from += POINT_BATCH) {
            PointId missing = null;
            for (PointId id : ids.subList(from, Math.min(ids.size(), from + POINT_BATCH))) {
                if (!change(id, opNum, change) && missing == null) {
                    missing = id;
                }
            }
            if (missing != null) {
                return missing;
            }
        }
        return null;
    }

    /** Raw vectors as the storages hold them; names the shard does not have are dropped, as in Qdrant. */
    private Map<String, VectorValue> preprocess(Map<String, VectorValue> raw) {
        Map<String, VectorValue> out = new LinkedHashMap<>();
        for (Map.Entry<String, VectorValue> e : raw.entrySet()) {
            VectorValue value = e.getValue();
            if (value instanceof SparseVector sparse) {
                if (config.sparseVectors().containsKey(e.getKey())) {
                    out.put(e.getKey(), VectorPreprocessing.preprocess(sparse));
                }
                continue;
            }
            VectorParams params = config.vectors().get(e.getKey());
            if (params == null) {
                continue;
            }
            if (value instanceof DenseVector dense) {
                out.put(e.getKey(), new DenseVector(
                        VectorPreprocessing.preprocess(params.distance(), params.datatype(), dense.values())));
            } else {
                out.put(e.getKey(), VectorPreprocessing.preprocess(params.distance(), params.datatype(),
                        (MultiDenseVector) value));
            }
        }
        return out;
    }

    static boolean isEmptyFilter(JsonNode filter) {
        if (filter == null || filter.isNull() || filter.isMissingNode()) {
            return true;
        }
        for (Map.Entry<String, JsonNode> e : filter.properties()) {
            JsonNode v = e.getValue();
            if (!(v.isNull() || (v.isArray() && v.isEmpty()))) {
                return false;
            }
        }
        return true;
    }

    @FunctionalInterface
    private interface PointChange {
        void apply(Map<String, VectorValue> vectors, ObjectNode payload);
    }
}
