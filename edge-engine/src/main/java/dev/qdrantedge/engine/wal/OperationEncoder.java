package dev.qdrantedge.engine.wal;

import dev.qdrantedge.engine.idtracker.PointId;
import dev.qdrantedge.engine.operation.ClearPayload;
import dev.qdrantedge.engine.operation.ClearPayloadByFilter;
import dev.qdrantedge.engine.operation.ConditionalUpsertPoints;
import dev.qdrantedge.engine.operation.CreateFieldIndex;
import dev.qdrantedge.engine.operation.CreateVectorName;
import dev.qdrantedge.engine.operation.DeleteFieldIndex;
import dev.qdrantedge.engine.operation.DeletePayload;
import dev.qdrantedge.engine.operation.DeletePoints;
import dev.qdrantedge.engine.operation.DeletePointsByFilter;
import dev.qdrantedge.engine.operation.DeleteVectorName;
import dev.qdrantedge.engine.operation.DeleteVectors;
import dev.qdrantedge.engine.operation.DeleteVectorsByFilter;
import dev.qdrantedge.engine.operation.OverwritePayload;
import dev.qdrantedge.engine.operation.PointStruct;
import dev.qdrantedge.engine.operation.PointVectors;
import dev.qdrantedge.engine.operation.SetPayload;
import dev.qdrantedge.engine.operation.SyncPoints;
import dev.qdrantedge.engine.operation.UpdateMode;
import dev.qdrantedge.engine.operation.UpdateOperation;
import dev.qdrantedge.engine.operation.UpdateVectors;
import dev.qdrantedge.engine.operation.UpsertPoints;
import dev.qdrantedge.engine.vectors.DenseVector;
import dev.qdrantedge.engine.vectors.MultiDenseVector;
import dev.qdrantedge.engine.vectors.SparseVector;
import dev.qdrantedge.engine.vectors.VectorValue;
import java.nio.ByteBuffer;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.UUID;
import tools.jackson.databind.JsonNode;

/**
 * Encodes operations as WAL records, byte for byte as Qdrant writes them: CBOR, the record an
 * indefinite-length map holding the operation variant and, for server records, a {@code clock_tag};
 * everything inside definite-length. It is the inverse of {@link WalRecordDecoder} for records Qdrant
 * (Edge) writes, with these rules for what the operation model does not keep:
 *
 * <ul>
 *   <li>UUID point ids are 16-byte strings, except in {@code delete_points}, {@code clear_payload} and
 *       {@code delete_vectors}, where Qdrant Edge writes them as hyphenated text; UUIDs in
 *       {@code has_id} filter conditions (also nested ones) are 16-byte strings, all other strings in
 *       filters and payloads stay text;</li>
 *   <li>a point of an upsert whose only vector is the default one (dense or multi-dense) carries it
 *       bare ({@code "vector":[…]}); the vectors of {@code update_vectors} are always a map by name
 *       ({@code {"":[…]}}). Qdrant applies both forms identically;</li>
 *   <li>upserts are written as a point list, never as a column-wise batch;</li>
 *   <li>a conditional upsert with mode {@link UpdateMode#UPSERT} names no mode (Qdrant's default);</li>
 *   <li>optional fields that Qdrant always writes are explicit nulls ({@code payload} of a point,
 *       {@code points}/{@code filter}/{@code key} of payload operations, {@code field_schema},
 *       {@code from_id}/{@code to_id}); {@code update_filter} and {@code update_mode} are left out
 *       when absent;</li>
 *   <li>vector components are single-precision and JSON numbers double-precision, each written in the
 *       shortest CBOR float that holds it exactly; JSON integers are CBOR integers.</li>
 * </ul>
 */
public final class OperationEncoder {

    private static final String CLOCK_TAG = "clock_tag";

    private OperationEncoder() {
    }

    /** The record Qdrant Edge writes for {@code operation} (no clock tag). */
    public static byte[] encode(UpdateOperation operation) {
        return encode(operation, Optional.empty());
    }

    /** The record for {@code operation}, with the server's clock tag if one is given. */
    public static byte[] encode(UpdateOperation operation, Optional<ClockTag> clockTag) {
        Objects.requireNonNull(operation, "operation");
        Objects.requireNonNull(clockTag, "clockTag");
        CborWriter w = new CborWriter();
        w.indefiniteMap();
        w.text(operation.variant());
        operationValue(w, operation);
        if (clockTag.isPresent()) {
            ClockTag tag = clockTag.get();
            w.text(CLOCK_TAG).mapHeader(5);
            w.text("peer_id").unsigned(tag.peerId());
            w.text("clock_id").unsigned(Integer.toUnsignedLong(tag.clockId()));
            w.text("clock_tick").unsigned(tag.clockTick());
            w.text("token").unsigned(tag.token());
            w.text("force").bool(tag.force());
        }
        w.end();
        return w.toByteArray();
    }

    /** The record for a decoded WAL record: its operation and clock tag. */
    public static byte[] encode(WalRecord record) {
        return encode(record.operation(), record.clockTag());
    }

    private static void operationValue(CborWriter w, UpdateOperation op) {
        if (op instanceof UpsertPoints) {
            pointsList(w, ((UpsertPoints) op).points());
        } else if (op instanceof ConditionalUpsertPoints) {
            ConditionalUpsertPoints c = (ConditionalUpsertPoints) op;
            boolean mode = c.updateMode() != UpdateMode.UPSERT;
            w.mapHeader(mode ? 3 : 2);
            w.text("points_op");
            pointsList(w, c.points());
            w.text("condition");
            filter(w, c.condition());
            if (mode) {
                w.text("update_mode").text(c.updateMode().wireName());
            }
        } else if (op instanceof DeletePoints) {
            w.mapHeader(1).text("ids");
            pointIds(w, ((DeletePoints) op).ids(), true);
        } else if (op instanceof DeletePointsByFilter) {
            filter(w, ((DeletePointsByFilter) op).filter());
        } else if (op instanceof SyncPoints) {
            SyncPoints s = (SyncPoints) op;
            w.mapHeader(3);
            w.text("from_id");
            optionalPointId(w, s.fromId());
            w.text("to_id");
            optionalPointId(w, s.toId());
            w.text("points");
            points(w, s.points());
        } else if (op instanceof SetPayload) {
            SetPayload s = (SetPayload) op;
            setPayload(w, s.payload(), s.points(), s.filter(), s.key());
        } else if (op instanceof OverwritePayload) {
            OverwritePayload s = (OverwritePayload) op;
            setPayload(w, s.payload(), s.points(), s.filter(), s.key());
        } else if (op instanceof DeletePayload) {
            DeletePayload d = (DeletePayload) op;
            w.mapHeader(3);
            w.text("keys");
            strings(w, d.keys());
            w.text("points");
            optionalPointIds(w, d.points());
            w.text("filter");
            optionalFilter(w, d.filter());
        } else if (op instanceof ClearPayload) {
            w.mapHeader(1).text("points");
            pointIds(w, ((ClearPayload) op).points(), true);
        } else if (op instanceof ClearPayloadByFilter) {
            filter(w, ((ClearPayloadByFilter) op).filter());
        } else if (op instanceof UpdateVectors) {
            updateVectors(w, (UpdateVectors) op);
        } else if (op instanceof DeleteVectors) {
            DeleteVectors d = (DeleteVectors) op;
            w.arrayHeader(2);
            w.mapHeader(1).text("points");
            pointIds(w, d.points(), true);
            strings(w, d.vectorNames());
        } else if (op instanceof DeleteVectorsByFilter) {
            DeleteVectorsByFilter d = (DeleteVectorsByFilter) op;
            w.arrayHeader(2);
            filter(w, d.filter());
            strings(w, d.vectorNames());
        } else if (op instanceof CreateFieldIndex) {
            CreateFieldIndex c = (CreateFieldIndex) op;
            w.mapHeader(2);
            w.text("field_name").text(c.fieldName());
            w.text("field_schema");
            if (c.fieldSchema().isPresent()) {
                JsonCbor.value(w, c.fieldSchema().get());
            } else {
                w.nil();
            }
        } else if (op instanceof DeleteFieldIndex) {
            w.text(((DeleteFieldIndex) op).fieldName());
        } else if (op instanceof CreateVectorName) {
            CreateVectorName c = (CreateVectorName) op;
            w.mapHeader(2);
            w.text("vector_name").text(c.vectorName());
            w.text("config");
            JsonCbor.value(w, c.config());
        } else if (op instanceof DeleteVectorName) {
            w.mapHeader(1).text("vector_name").text(((DeleteVectorName) op).vectorName());
        } else {
            throw new IllegalArgumentException("cannot encode operation " + op.variant());
        }
    }

    /** {@code PointInsertOperationsInternal::PointsList}: {@code {"points":[…]}}. */
    private static void pointsList(CborWriter w, List<PointStruct> points) {
        w.mapHeader(1).text("points");
        points(w, points);
    }

    private static void points(CborWriter w, List<PointStruct> points) {
        w.arrayHeader(points.size());
        for (PointStruct p : points) {
            w.mapHeader(3);
            w.text("id");
            pointId(w, p.id(), false);
            w.text("vector");
            Map<String, VectorValue> vectors = p.vectors();
            VectorValue single = vectors.size() == 1 ? vectors.get(VectorDecoder.DEFAULT) : null;
            if (single != null && !(single instanceof SparseVector)) {
                vector(w, single);
            } else {
                namedVectors(w, vectors);
            }
            w.text("payload");
            if (p.payload().isPresent()) {
                JsonCbor.value(w, p.payload().get());
            } else {
                w.nil();
            }
        }
    }

    private static void updateVectors(CborWriter w, UpdateVectors u) {
        w.mapHeader(u.updateFilter().isPresent() ? 2 : 1);
        w.text("points").arrayHeader(u.points().size());
        for (PointVectors p : u.points()) {
            w.mapHeader(2);
            w.text("id");
            pointId(w, p.id(), false);
            w.text("vector");
            namedVectors(w, p.vectors());
        }
        if (u.updateFilter().isPresent()) {
            w.text("update_filter");
            filter(w, u.updateFilter().get());
        }
    }

    private static void setPayload(CborWriter w, JsonNode payload, Optional<List<PointId>> points,
            Optional<JsonNode> filter, Optional<String> key) {
        w.mapHeader(4);
        w.text("payload");
        JsonCbor.value(w, payload);
        w.text("points");
        optionalPointIds(w, points);
        w.text("filter");
        optionalFilter(w, filter);
        w.text("key");
        if (key.isPresent()) {
            w.text(key.get());
        } else {
            w.nil();
        }
    }

    private static void namedVectors(CborWriter w, Map<String, VectorValue> vectors) {
        w.mapHeader(vectors.size());
        for (Map.Entry<String, VectorValue> e : vectors.entrySet()) {
            w.text(e.getKey());
            vector(w, e.getValue());
        }
    }

    private static void vector(CborWriter w, VectorValue value) {
        if (value instanceof DenseVector) {
            floats(w, ((DenseVector) value).values());
        } else if (value instanceof MultiDenseVector) {
            float[][] rows = ((MultiDenseVector) value).vectors();
            w.arrayHeader(rows.length);
            for (float[] row : rows) {
                floats(w, row);
            }
        } else {
            SparseVector s = (SparseVector) value;
            w.mapHeader(2);
            w.text("indices").arrayHeader(s.indices().length);
            for (int index : s.indices()) {
                w.unsigned(Integer.toUnsignedLong(index));
            }
            w.text("values");
            floats(w, s.values());
        }
    }

    private static void floats(CborWriter w, float[] values) {
        w.arrayHeader(values.length);
        for (float v : values) {
            w.float32(v);
        }
    }

    private static void strings(CborWriter w, List<String> values) {
        w.arrayHeader(values.size());
        for (String s : values) {
            w.text(s);
        }
    }

    private static void optionalPointIds(CborWriter w, Optional<List<PointId>> ids) {
        if (ids.isPresent()) {
            pointIds(w, ids.get(), false);
        } else {
            w.nil();
        }
    }

    private static void pointIds(CborWriter w, List<PointId> ids, boolean uuidAsText) {
        w.arrayHeader(ids.size());
        for (PointId id : ids) {
            pointId(w, id, uuidAsText);
        }
    }

    private static void optionalPointId(CborWriter w, Optional<PointId> id) {
        if (id.isPresent()) {
            pointId(w, id.get(), false);
        } else {
            w.nil();
        }
    }

    static void pointId(CborWriter w, PointId id, boolean uuidAsText) {
        if (id instanceof PointId.Num) {
            w.unsigned(((PointId.Num) id).value());
        } else {
            UUID uuid = ((PointId.Uuid) id).uuid();
            if (uuidAsText) {
                w.text(uuid.toString());
            } else {
                w.bytes(uuidBytes(uuid));
            }
        }
    }

    static byte[] uuidBytes(UUID uuid) {
        return ByteBuffer.allocate(16).putLong(uuid.getMostSignificantBits())
                .putLong(uuid.getLeastSignificantBits()).array();
    }

    private static void optionalFilter(CborWriter w, Optional<JsonNode> filter) {
        if (filter.isPresent()) {
            filter(w, filter.get());
        } else {
            w.nil();
        }
    }

    private static void filter(CborWriter w, JsonNode filter) {
        JsonCbor.filter(w, filter);
    }
}
