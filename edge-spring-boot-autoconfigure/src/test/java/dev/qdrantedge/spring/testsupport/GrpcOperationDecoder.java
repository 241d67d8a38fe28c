package dev.qdrantedge.spring.testsupport;

import dev.qdrantedge.engine.idtracker.PointId;
import dev.qdrantedge.engine.operation.ClearPayload;
import dev.qdrantedge.engine.operation.ClearPayloadByFilter;
import dev.qdrantedge.engine.operation.ConditionalUpsertPoints;
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
import dev.qdrantedge.engine.vectors.VectorValue;
import io.qdrant.client.grpc.Common;
import io.qdrant.client.grpc.Points;
import io.qdrant.client.grpc.Points.PointsUpdateOperation;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.JsonNodeFactory;
import tools.jackson.databind.node.ObjectNode;

/**
 * Point requests of Qdrant's gRPC API back to engine operations, following the server's own conversions
 * (an empty payload is no payload, ids win over a filter, an upsert with a filter or mode is conditional).
 * Malformed requests are {@link IllegalArgumentException}s, which the fake answers as {@code INVALID_ARGUMENT}.
 */
final class GrpcOperationDecoder {

    private GrpcOperationDecoder() {
    }

    static UpdateOperation operation(PointsUpdateOperation op) {
        switch (op.getOperationCase()) {
            case UPSERT: {
                PointsUpdateOperation.PointStructList u = op.getUpsert();
                return upsert(u.getPointsList(), u.hasUpdateFilter() ? u.getUpdateFilter() : null,
                        u.hasUpdateMode() ? u.getUpdateMode() : null);
            }
            case DELETE_POINTS:
                return delete(op.getDeletePoints().getPoints());
            case DELETE_DEPRECATED:
                return delete(op.getDeleteDeprecated());
            case SET_PAYLOAD: {
                PointsUpdateOperation.SetPayload s = op.getSetPayload();
                Selection sel = selection(s.hasPointsSelector() ? s.getPointsSelector() : null);
                return new SetPayload(GrpcPayloadJson.payload(s.getPayloadMap()), sel.ids, sel.filter,
                        s.hasKey() ? Optional.of(s.getKey()) : Optional.empty());
            }
            case OVERWRITE_PAYLOAD: {
                PointsUpdateOperation.OverwritePayload s = op.getOverwritePayload();
                Selection sel = selection(s.hasPointsSelector() ? s.getPointsSelector() : null);
                return new OverwritePayload(GrpcPayloadJson.payload(s.getPayloadMap()), sel.ids, sel.filter,
                        s.hasKey() ? Optional.of(s.getKey()) : Optional.empty());
            }
            case DELETE_PAYLOAD: {
                PointsUpdateOperation.DeletePayload d = op.getDeletePayload();
                Selection sel = selection(d.hasPointsSelector() ? d.getPointsSelector() : null);
                return new DeletePayload(d.getKeysList(), sel.ids, sel.filter);
            }
            case CLEAR_PAYLOAD:
                return clear(op.getClearPayload().getPoints());
            case CLEAR_PAYLOAD_DEPRECATED:
                return clear(op.getClearPayloadDeprecated());
            case UPDATE_VECTORS: {
                PointsUpdateOperation.UpdateVectors u = op.getUpdateVectors();
                return updateVectors(u.getPointsList(), u.hasUpdateFilter() ? u.getUpdateFilter() : null);
            }
            case DELETE_VECTORS:
                return deleteVectors(op.getDeleteVectors().getPointsSelector(), op.getDeleteVectors().getVectors());
            default:
                throw new IllegalArgumentException("update operation without a kind");
        }
    }

    static UpdateOperation upsert(Points.UpsertPoints r) {
        return upsert(r.getPointsList(), r.hasUpdateFilter() ? r.getUpdateFilter() : null,
                r.hasUpdateMode() ? r.getUpdateMode() : null);
    }

    static UpdateOperation delete(Points.DeletePoints r) {
        return delete(r.getPoints());
    }

    static UpdateOperation setPayload(Points.SetPayloadPoints r) {
        Selection sel = selection(r.hasPointsSelector() ? r.getPointsSelector() : null);
        return new SetPayload(GrpcPayloadJson.payload(r.getPayloadMap()), sel.ids, sel.filter,
                r.hasKey() ? Optional.of(r.getKey()) : Optional.empty());
    }

    static UpdateOperation overwritePayload(Points.SetPayloadPoints r) {
        Selection sel = selection(r.hasPointsSelector() ? r.getPointsSelector() : null);
        return new OverwritePayload(GrpcPayloadJson.payload(r.getPayloadMap()), sel.ids, sel.filter,
                r.hasKey() ? Optional.of(r.getKey()) : Optional.empty());
    }

    static UpdateOperation deletePayload(Points.DeletePayloadPoints r) {
        Selection sel = selection(r.hasPointsSelector() ? r.getPointsSelector() : null);
        return new DeletePayload(r.getKeysList(), sel.ids, sel.filter);
    }

    static UpdateOperation clearPayload(Points.ClearPayloadPoints r) {
        return clear(r.getPoints());
    }

    static UpdateOperation updateVectors(Points.UpdatePointVectors r) {
        return updateVectors(r.getPointsList(), r.hasUpdateFilter() ? r.getUpdateFilter() : null);
    }

    static UpdateOperation deleteVectors(Points.DeletePointVectors r) {
        return deleteVectors(r.getPointsSelector(), r.getVectors());
    }

    private static UpdateOperation upsert(List<Points.PointStruct> points, Common.Filter filter,
            Points.UpdateMode mode) {
        List<PointStruct> out = new ArrayList<>(points.size());
        for (Points.PointStruct p : points) {
            if (!p.hasId()) {
                throw new IllegalArgumentException("Empty ID is not allowed");
            }
            if (!p.hasVectors()) {
                throw new IllegalArgumentException("Expected some vectors");
            }
            Optional<ObjectNode> payload = p.getPayloadCount() == 0 ? Optional.empty()
                    : Optional.of(GrpcPayloadJson.payload(p.getPayloadMap()));
            out.add(new PointStruct(pointId(p.getId()), vectors(p.getVectors()), payload));
        }
        if (filter == null && mode == null) {
            return new UpsertPoints(out);
        }
        JsonNode condition = filter == null ? JsonNodeFactory.instance.objectNode() : GrpcFilterJson.filter(filter);
        return new ConditionalUpsertPoints(out, condition, updateMode(mode));
    }

    private static UpdateMode updateMode(Points.UpdateMode mode) {
        if (mode == null) {
            return UpdateMode.UPSERT;
        }
        switch (mode) {
            case InsertOnly:
                return UpdateMode.INSERT_ONLY;
            case UpdateOnly:
                return UpdateMode.UPDATE_ONLY;
            case Upsert:
                return UpdateMode.UPSERT;
            default:
                throw new IllegalArgumentException("unknown update mode " + mode);
        }
    }

    private static UpdateOperation delete(Points.PointsSelector selector) {
        switch (selector.getPointsSelectorOneOfCase()) {
            case POINTS:
                return new DeletePoints(ids(selector.getPoints()));
            case FILTER:
                return new DeletePointsByFilter(GrpcFilterJson.filter(selector.getFilter()));
            default:
                throw new IllegalArgumentException("No PointsSelector");
        }
    }

    private static UpdateOperation clear(Points.PointsSelector selector) {
        switch (selector.getPointsSelectorOneOfCase()) {
            case POINTS:
                return new ClearPayload(ids(selector.getPoints()));
            case FILTER:
                return new ClearPayloadByFilter(GrpcFilterJson.filter(selector.getFilter()));
            default:
                throw new IllegalArgumentException("No PointsSelector");
        }
    }

    private static UpdateOperation updateVectors(List<Points.PointVectors> points, Common.Filter filter) {
        List<PointVectors> out = new ArrayList<>(points.size());
        for (Points.PointVectors p : points) {
            if (!p.hasId()) {
                throw new IllegalArgumentException("id is expected");
            }
            if (!p.hasVectors()) {
                throw new IllegalArgumentException("vectors is expected");
            }
            out.add(new PointVectors(pointId(p.getId()), vectors(p.getVectors())));
        }
        return new UpdateVectors(out, filter == null ? Optional.empty() : Optional.of(GrpcFilterJson.filter(filter)));
    }

    private static UpdateOperation deleteVectors(Points.PointsSelector selector, Points.VectorsSelector vectors) {
        switch (selector.getPointsSelectorOneOfCase()) {
            case POINTS:
                return new DeleteVectors(ids(selector.getPoints()), vectors.getNamesList());
            case FILTER:
                return new DeleteVectorsByFilter(GrpcFilterJson.filter(selector.getFilter()), vectors.getNamesList());
            default:
                throw new IllegalArgumentException("No PointsSelector");
        }
    }

    private record Selection(Optional<List<PointId>> ids, Optional<JsonNode> filter) {
    }

    private static Selection selection(Points.PointsSelector selector) {
        if (selector == null) {
            throw new IllegalArgumentException("No points or filter specified");
        }
        switch (selector.getPointsSelectorOneOfCase()) {
            case POINTS:
                return new Selection(Optional.of(ids(selector.getPoints())), Optional.empty());
            case FILTER:
                return new Selection(Optional.empty(), Optional.of(GrpcFilterJson.filter(selector.getFilter())));
            default:
                throw new IllegalArgumentException("No PointsSelector");
        }
    }

    private static List<PointId> ids(Points.PointsIdsList list) {
        List<PointId> out = new ArrayList<>(list.getIdsCount());
        for (Common.PointId id : list.getIdsList()) {
            out.add(pointId(id));
        }
        return out;
    }

    static PointId pointId(Common.PointId id) {
        switch (id.getPointIdOptionsCase()) {
            case NUM:
                return PointId.of(id.getNum());
            case UUID:
                try {
                    return PointId.of(UUID.fromString(id.getUuid()));
                } catch (IllegalArgumentException e) {
                    throw new IllegalArgumentException("Unable to parse UUID: " + id.getUuid(), e);
                }
            default:
                throw new IllegalArgumentException("Empty ID is not allowed");
        }
    }

    private static Map<String, VectorValue> vectors(Points.Vectors vectors) {
        Map<String, VectorValue> out = new LinkedHashMap<>();
        switch (vectors.getVectorsOptionsCase()) {
            case VECTOR: {
                VectorValue v = vector(vectors.getVector());
                if (v instanceof SparseVector) {
                    throw new IllegalArgumentException("Sparse vector must be named");
                }
                out.put("", v);
                return out;
            }
            case VECTORS:
                for (Map.Entry<String, Points.Vector> e : vectors.getVectors().getVectorsMap().entrySet()) {
                    out.put(e.getKey(), vector(e.getValue()));
                }
                return out;
            default:
                throw new IllegalArgumentException("No Vector Provided");
        }
    }

    @SuppressWarnings("deprecation")
    private static VectorValue vector(Points.Vector v) {
        switch (v.getVectorCase()) {
            case DENSE:
                return new DenseVector(floats(v.getDense().getDataList()));
            case SPARSE: {
                Points.SparseVector s = v.getSparse();
                int[] indices = new int[s.getIndicesCount()];
                for (int i = 0; i < indices.length; i++) {
                    indices[i] = s.getIndices(i);
                }
                return new SparseVector(indices, floats(s.getValuesList()));
            }
            case MULTI_DENSE: {
                List<Points.DenseVector> rows = v.getMultiDense().getVectorsList();
                float[][] out = new float[rows.size()][];
                for (int i = 0; i < out.length; i++) {
                    out[i] = floats(rows.get(i).getDataList());
                }
                return new MultiDenseVector(out);
            }
            case VECTOR_NOT_SET:
                if (v.hasIndices() || v.hasVectorsCount()) {
                    throw new IllegalArgumentException("the fake server takes no deprecated sparse or multi-vector form");
                }
                return new DenseVector(floats(v.getDataList()));
            default:
                throw new IllegalArgumentException("the fake server does no inference (" + v.getVectorCase() + ")");
        }
    }

    private static float[] floats(List<Float> values) {
        float[] out = new float[values.size()];
        for (int i = 0; i < out.length; i++) {
            out[i] = values.get(i);
        }
        return out;
    }
}
