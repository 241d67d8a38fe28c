package dev.qdrantedge.engine.wal;

import dev.qdrantedge.engine.idtracker.PointId;
import dev.qdrantedge.engine.vectors.VectorValue;
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
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/** Decodes the value of one operation variant of a WAL record into the operation model. */
final class OperationDecoder {

    private OperationDecoder() {
    }

    static UpdateOperation decode(String variant, JsonNode value) {
        String w = variant;
        switch (variant) {
            case "upsert_points":
                return new UpsertPoints(insertPoints(value, w));
            case "upsert_points_conditional":
                return conditionalUpsert(value, w);
            case "delete_points": {
                CborStruct s = CborStruct.of(value, w);
                List<PointId> ids = CborValues.pointIds(s.required("ids"), s.where("ids"));
                s.noOthers();
                return new DeletePoints(ids);
            }
            case "delete_points_by_filter":
                return new DeletePointsByFilter(filter(value, w));
            case "sync_points":
                return syncPoints(value, w);
            case "set_payload": {
                SetPayloadFields f = setPayloadFields(value, w);
                return new SetPayload(f.payload, f.points, f.filter, f.key);
            }
            case "overwrite_payload": {
                SetPayloadFields f = setPayloadFields(value, w);
                return new OverwritePayload(f.payload, f.points, f.filter, f.key);
            }
            case "delete_payload": {
                CborStruct s = CborStruct.of(value, w);
                List<String> keys = CborValues.strings(s.required("keys"), s.where("keys"));
                Optional<List<PointId>> points = optionalIds(s, "points");
                Optional<JsonNode> filter = optionalFilter(s, "filter");
                s.noOthers();
                return new DeletePayload(keys, points, filter);
            }
            case "clear_payload": {
                CborStruct s = CborStruct.of(value, w);
                List<PointId> points = CborValues.pointIds(s.required("points"), s.where("points"));
                s.noOthers();
                return new ClearPayload(points);
            }
            case "clear_payload_by_filter":
                return new ClearPayloadByFilter(filter(value, w));
            case "update_vectors":
                return updateVectors(value, w);
            case "delete_vectors": {
                JsonNode pair = pair(value, w);
                CborStruct s = CborStruct.of(pair.get(0), w + "[0]");
                List<PointId> points = CborValues.pointIds(s.required("points"), s.where("points"));
                s.ignore("shard_key");
                s.noOthers();
                return new DeleteVectors(points, CborValues.strings(pair.get(1), w + "[1]"));
            }
            case "delete_vectors_by_filter": {
                JsonNode pair = pair(value, w);
                return new DeleteVectorsByFilter(filter(pair.get(0), w + "[0]"),
                        CborValues.strings(pair.get(1), w + "[1]"));
            }
            case "create_index": {
                CborStruct s = CborStruct.of(value, w);
                String field = CborValues.string(s.required("field_name"), s.where("field_name"));
                JsonNode schema = s.optional("field_schema");
                s.noOthers();
                return new CreateFieldIndex(field,
                        Optional.ofNullable(schema).map(n -> CborValues.json(n, s.where("field_schema"))));
            }
            case "delete_index":
                return new DeleteFieldIndex(CborValues.string(value, w));
            case "create_vector_name": {
                CborStruct s = CborStruct.of(value, w);
                String name = CborValues.string(s.required("vector_name"), s.where("vector_name"));
                JsonNode config = CborValues.json(s.required("config"), s.where("config"));
                s.noOthers();
                return new CreateVectorName(name, config);
            }
            case "delete_vector_name": {
                CborStruct s = CborStruct.of(value, w);
                String name = CborValues.string(s.required("vector_name"), s.where("vector_name"));
                s.noOthers();
                return new DeleteVectorName(name);
            }
            case "upsert_points_raw":
            case "sync_points_raw":
                throw new WalDecodeException("operation \"" + variant + "\" (storage-native vectors, Qdrant 1.19+)"
                        + " is not supported");
            default:
                throw new WalDecodeException("unknown operation \"" + variant
                        + "\" (written by a newer Qdrant version?)");
        }
    }

    /** {@code PointInsertOperationsInternal}: {@code {"points":[…]}} or {@code {"batch":{…}}}. */
    private static List<PointStruct> insertPoints(JsonNode value, String where) {
        if (value == null || !value.isObject() || value.size() != 1) {
            throw new WalDecodeException(where + ": expected {\"points\": …} or {\"batch\": …}, found "
                    + CborValues.kind(value) + (value != null && value.isObject() ? " with " + value.size() + " keys" : ""));
        }
        if (value.has("points")) {
            return points(value.get("points"), where + ".points");
        }
        if (value.has("batch")) {
            return batch(value.get("batch"), where + ".batch");
        }
        throw new WalDecodeException(where + ": unknown insert form \"" + value.propertyNames().iterator().next() + "\"");
    }

    private static List<PointStruct> points(JsonNode node, String where) {
        List<PointStruct> points = new ArrayList<>();
        int i = 0;
        for (JsonNode item : CborValues.array(node, where)) {
            points.add(point(item, where + "[" + i++ + "]"));
        }
        return points;
    }

    private static PointStruct point(JsonNode node, String where) {
        CborStruct s = CborStruct.of(node, where);
        PointId id = CborValues.pointId(s.required("id"), s.where("id"));
        Map<String, VectorValue> vectors = VectorDecoder.pointVectors(s.required("vector"), s.where("vector"));
        Optional<ObjectNode> payload = payload(s.optional("payload"), s.where("payload"));
        s.noOthers();
        return new PointStruct(id, vectors, payload);
    }

    /** {@code BatchPersisted}: ids, column-wise vectors and optional payloads, turned into points. */
    private static List<PointStruct> batch(JsonNode node, String where) {
        CborStruct s = CborStruct.of(node, where);
        List<PointId> ids = CborValues.pointIds(s.required("ids"), s.where("ids"));
        List<Map<String, VectorValue>> vectors = VectorDecoder.batchVectors(s.required("vectors"), ids.size(),
                s.where("vectors"));
        JsonNode payloads = s.optional("payloads");
        s.noOthers();
        if (payloads != null && CborValues.array(payloads, s.where("payloads")).size() != ids.size()) {
            throw new WalDecodeException(s.where("payloads") + ": " + payloads.size() + " payloads for "
                    + ids.size() + " points");
        }
        List<PointStruct> points = new ArrayList<>();
        for (int i = 0; i < ids.size(); i++) {
            Optional<ObjectNode> payload = payloads == null ? Optional.empty()
                    : payload(payloads.get(i), s.where("payloads") + "[" + i + "]");
            points.add(new PointStruct(ids.get(i), vectors.get(i), payload));
        }
        return points;
    }

    private static Optional<ObjectNode> payload(JsonNode node, String where) {
        if (node == null || node.isNull()) {
            return Optional.empty();
        }
        return Optional.of(CborValues.jsonObject(node, where));
    }

    private static ConditionalUpsertPoints conditionalUpsert(JsonNode value, String where) {
        CborStruct s = CborStruct.of(value, where);
        List<PointStruct> points = insertPoints(s.required("points_op"), s.where("points_op"));
        JsonNode condition = filter(s.required("condition"), s.where("condition"));
        JsonNode modeNode = s.optional("update_mode");
        s.noOthers();
        UpdateMode mode = UpdateMode.UPSERT;
        if (modeNode != null) {
            mode = UpdateMode.fromWireName(CborValues.string(modeNode, s.where("update_mode")));
            if (mode == null) {
                throw new WalDecodeException(s.where("update_mode") + ": unknown update mode " + modeNode);
            }
        }
        return new ConditionalUpsertPoints(points, condition, mode);
    }

    private static SyncPoints syncPoints(JsonNode value, String where) {
        CborStruct s = CborStruct.of(value, where);
        JsonNode from = s.optional("from_id");
        JsonNode to = s.optional("to_id");
        List<PointStruct> points = points(s.required("points"), s.where("points"));
        s.noOthers();
        return new SyncPoints(
                Optional.ofNullable(from).map(n -> CborValues.pointId(n, s.where("from_id"))),
                Optional.ofNullable(to).map(n -> CborValues.pointId(n, s.where("to_id"))),
                points);
    }

    private static UpdateVectors updateVectors(JsonNode value, String where) {
        CborStruct s = CborStruct.of(value, where);
        JsonNode pointsNode = CborValues.array(s.required("points"), s.where("points"));
        Optional<JsonNode> filter = optionalFilter(s, "update_filter");
        s.noOthers();
        List<PointVectors> points = new ArrayList<>();
        int i = 0;
        for (JsonNode item : pointsNode) {
            CborStruct p = CborStruct.of(item, s.where("points") + "[" + i++ + "]");
            PointId id = CborValues.pointId(p.required("id"), p.where("id"));
            Map<String, VectorValue> vectors = VectorDecoder.pointVectors(p.required("vector"), p.where("vector"));
            p.noOthers();
            points.add(new PointVectors(id, vectors));
        }
        return new UpdateVectors(points, filter);
    }

    /** The fields shared by {@code set_payload} and {@code overwrite_payload} ({@code SetPayloadOp}). */
    private static SetPayloadFields setPayloadFields(JsonNode value, String where) {
        CborStruct s = CborStruct.of(value, where);
        ObjectNode payload = CborValues.jsonObject(s.required("payload"), s.where("payload"));
        Optional<List<PointId>> points = optionalIds(s, "points");
        Optional<JsonNode> filter = optionalFilter(s, "filter");
        JsonNode key = s.optional("key");
        s.noOthers();
        return new SetPayloadFields(payload, points, filter,
                Optional.ofNullable(key).map(k -> CborValues.string(k, s.where("key"))));
    }

    private record SetPayloadFields(ObjectNode payload, Optional<List<PointId>> points, Optional<JsonNode> filter,
            Optional<String> key) {
    }

    private static Optional<List<PointId>> optionalIds(CborStruct s, String field) {
        JsonNode node = s.optional(field);
        return node == null ? Optional.empty() : Optional.of(CborValues.pointIds(node, s.where(field)));
    }

    private static Optional<JsonNode> optionalFilter(CborStruct s, String field) {
        JsonNode node = s.optional(field);
        return node == null ? Optional.empty() : Optional.of(filter(node, s.where(field)));
    }

    /** A filter, kept as a JSON tree in Qdrant's REST form for the filter engine. */
    private static JsonNode filter(JsonNode node, String where) {
        if (node == null || !node.isObject()) {
            throw new WalDecodeException(where + ": expected a filter (map), found " + CborValues.kind(node));
        }
        return CborValues.json(node, where);
    }

    /** A serde tuple variant's two-element array. */
    private static JsonNode pair(JsonNode node, String where) {
        if (node == null || !node.isArray() || node.size() != 2) {
            throw new WalDecodeException(where + ": expected a two-element array, found " + CborValues.kind(node)
                    + (node != null && node.isArray() ? " of " + node.size() : ""));
        }
        return node;
    }
}
