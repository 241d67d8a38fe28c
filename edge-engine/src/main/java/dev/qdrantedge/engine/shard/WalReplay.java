package dev.qdrantedge.engine.shard;

import dev.qdrantedge.engine.EdgeFormatException;
import dev.qdrantedge.engine.config.EdgeConfig;
import dev.qdrantedge.engine.config.VectorParams;
import dev.qdrantedge.engine.idtracker.PointId;
import dev.qdrantedge.engine.vectors.DenseVector;
import dev.qdrantedge.engine.vectors.MultiDenseVector;
import dev.qdrantedge.engine.vectors.SparseVector;
import dev.qdrantedge.engine.vectors.VectorPreprocessing;
import dev.qdrantedge.engine.vectors.VectorValue;
import dev.qdrantedge.engine.wal.WalReader;
import dev.qdrantedge.engine.wal.WalRecord;
import dev.qdrantedge.engine.operation.ClearPayload;
import dev.qdrantedge.engine.operation.ConditionalUpsertPoints;
import dev.qdrantedge.engine.operation.CreateFieldIndex;
import dev.qdrantedge.engine.operation.DeleteFieldIndex;
import dev.qdrantedge.engine.operation.DeletePayload;
import dev.qdrantedge.engine.operation.DeletePoints;
import dev.qdrantedge.engine.operation.DeleteVectors;
import dev.qdrantedge.engine.operation.OverwritePayload;
import dev.qdrantedge.engine.operation.PointStruct;
import dev.qdrantedge.engine.operation.PointVectors;
import dev.qdrantedge.engine.operation.SetPayload;
import dev.qdrantedge.engine.operation.UpdateMode;
import dev.qdrantedge.engine.operation.UpdateOperation;
import dev.qdrantedge.engine.operation.UpdateVectors;
import dev.qdrantedge.engine.operation.UpsertPoints;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.Optional;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.JsonNodeFactory;
import tools.jackson.databind.node.ObjectNode;

/**
 * Replays the WAL entries a shard's segments may not reflect yet, in memory, as Qdrant does on load:
 * every entry from the WAL's first index (the last acknowledged one included) is applied with its index
 * as operation number; an operation leaves a point alone whose version is greater than that number, so
 * entries the segments already hold change nothing. Nothing is written to the shard.
 *
 * <p>Operations that select points by filter cannot be replayed yet; a WAL holding one is refused with a
 * clear error rather than replayed wrongly.
 */
final class WalReplay {

    private final NavigableMap<PointId, StoredPoint> points;
    private final EdgeConfig config;
    private final Path walDir;
    private long opNum;

    private WalReplay(NavigableMap<PointId, StoredPoint> points, EdgeConfig config, Path walDir) {
        this.points = points;
        this.config = config;
        this.walDir = walDir;
    }

    /**
     * Applies the WAL in {@code walDir} to {@code points}.
     *
     * @return the number of entries replayed
     */
    static long replay(NavigableMap<PointId, StoredPoint> points, EdgeConfig config, Path walDir) {
        WalReplay replay = new WalReplay(points, config, walDir);
        long count = 0;
        try (WalReader wal = WalReader.open(walDir)) {
            if (wal.isEmpty()) {
                return 0;
            }
            for (WalRecord record : wal.records(wal.firstIndex())) {
                replay.opNum = record.index();
                try {
                    replay.apply(record.operation());
                } catch (IllegalArgumentException e) {
                    throw new EdgeFormatException(walDir, "entry " + record.index() + " ("
                            + record.operation().variant() + "): " + e.getMessage(), e);
                }
                count++;
            }
        }
        return count;
    }

    private void apply(UpdateOperation op) {
        if (op instanceof UpsertPoints upsert) {
            for (PointStruct p : upsert.points()) {
                upsert(p);
            }
        } else if (op instanceof ConditionalUpsertPoints conditional) {
            if (!isEmptyFilter(conditional.condition())) {
                throw unsupported(op, "a condition filter");
            }
            UpdateMode mode = conditional.updateMode() == null ? UpdateMode.UPSERT : conditional.updateMode();
            for (PointStruct p : conditional.points()) {
                boolean exists = points.containsKey(p.id());
                if (mode == UpdateMode.UPSERT || (mode == UpdateMode.INSERT_ONLY) != exists) {
                    upsert(p);
                }
            }
        } else if (op instanceof DeletePoints delete) {
            for (PointId id : delete.ids()) {
                StoredPoint current = points.get(id);
                if (current != null && applies(current)) {
                    points.remove(id);
                }
            }
        } else if (op instanceof SetPayload set) {
            for (PointId id : selected(op, set.points(), set.filter())) {
                change(id, (vectors, payload) -> PayloadPaths.merge(payload, set.key(), set.payload()));
            }
        } else if (op instanceof OverwritePayload overwrite) {
            for (PointId id : selected(op, overwrite.points(), overwrite.filter())) {
                change(id, (vectors, payload) -> PayloadPaths.overwrite(payload, overwrite.key(), overwrite.payload()));
            }
        } else if (op instanceof DeletePayload delete) {
            for (PointId id : selected(op, delete.points(), delete.filter())) {
                change(id, (vectors, payload) -> delete.keys().forEach(key -> PayloadPaths.remove(payload, key)));
            }
        } else if (op instanceof ClearPayload clear) {
            for (PointId id : clear.points()) {
                change(id, (vectors, payload) -> payload.removeAll());
            }
        } else if (op instanceof UpdateVectors update) {
            if (update.updateFilter().isPresent() && !isEmptyFilter(update.updateFilter().get())) {
                throw unsupported(op, "an update filter");
            }
            for (PointVectors pv : update.points()) {
                change(pv.id(), (vectors, payload) -> vectors.putAll(preprocess(pv.vectors())));
            }
        } else if (op instanceof DeleteVectors delete) {
            for (PointId id : delete.points()) {
                change(id, (vectors, payload) -> delete.vectorNames().forEach(vectors::remove));
            }
        } else if (op instanceof CreateFieldIndex || op instanceof DeleteFieldIndex) {
            // Payload indexes are derived data: no point changes.
        } else {
            throw unsupported(op, "this operation");
        }
    }

    private void upsert(PointStruct p) {
        StoredPoint current = points.get(p.id());
        if (current != null && !applies(current)) {
            return;
        }
        ObjectNode payload = p.payload().map(ObjectNode::deepCopy).orElseGet(JsonNodeFactory.instance::objectNode);
        points.put(p.id(), new StoredPoint.Replayed(opNum, preprocess(p.vectors()), payload));
    }

    /** Applies a change to an existing point's vectors and payload, if the operation is newer than it. */
    private void change(PointId id, PointChange change) {
        StoredPoint current = points.get(id);
        if (current == null || !applies(current)) {
            return; // Qdrant reports "no point with id", logs it and goes on
        }
        Map<String, VectorValue> vectors = new LinkedHashMap<>(current.vectors());
        ObjectNode payload = current.payload();
        change.apply(vectors, payload);
        points.put(id, new StoredPoint.Replayed(opNum, vectors, payload));
    }

    private boolean applies(StoredPoint current) {
        return current.version() <= opNum;
    }

    private List<PointId> selected(UpdateOperation op, Optional<List<PointId>> ids, Optional<JsonNode> filter) {
        if (filter.isPresent() && !filter.get().isNull()) {
            throw unsupported(op, "selection by filter");
        }
        return ids.orElse(List.of());
    }

    /** Raw vectors as the storages would hold them; names the shard no longer has are dropped, as in Qdrant. */
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
                float[][] rows = ((MultiDenseVector) value).vectors();
                float[][] processed = new float[rows.length][];
                for (int i = 0; i < rows.length; i++) {
                    processed[i] = VectorPreprocessing.preprocess(params.distance(), params.datatype(), rows[i]);
                }
                out.put(e.getKey(), new MultiDenseVector(processed));
            }
        }
        return out;
    }

    private static boolean isEmptyFilter(JsonNode filter) {
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

    private EdgeFormatException unsupported(UpdateOperation op, String what) {
        return new EdgeFormatException(walDir, "entry " + opNum + " (" + op.variant() + ") uses " + what
                + ", which WAL replay does not support yet; flush the shard with Qdrant Edge before loading it here");
    }

    @FunctionalInterface
    private interface PointChange {
        void apply(Map<String, VectorValue> vectors, ObjectNode payload);
    }
}
