package dev.qdrantedge.spring.sync;

import com.google.protobuf.Descriptors.FieldDescriptor;
import com.google.protobuf.Message;
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
import dev.qdrantedge.engine.operation.UpdateOperation;
import dev.qdrantedge.engine.operation.UpdateVectors;
import dev.qdrantedge.engine.operation.UpsertPoints;
import dev.qdrantedge.spring.testsupport.ReceivedRequest;
import io.grpc.Metadata;
import io.qdrant.client.grpc.JsonWithInt;
import io.qdrant.client.grpc.Points;
import io.qdrant.client.grpc.Points.PointsUpdateOperation;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import tools.jackson.databind.JsonNode;

/**
 * What identifies a point operation on both sides of the wire: the same {@link Mark} for an engine operation
 * and for the gRPC operation a {@code QdrantOutboxSink} sends for it. A mark is the gRPC operation kind, every
 * point id named (listed, upserted, or in a {@code has_id} condition), the {@code "op"} numbers of the
 * payloads it carries, and the keys a payload delete names. With {@link MixedOperations}' operation numbers
 * in it, the mark tells which operation a request carried.
 */
final class OperationMarks {

    /**
     * @param kind the gRPC operation case, e.g. {@code UPSERT}
     * @param ids every point id named, in id order
     * @param numbers the operation numbers carried: {@code "op"} values of payloads, of marker ids and of
     *     {@code gone<n>} keys
     * @param keys the payload keys deleted
     */
    record Mark(String kind, Set<PointId> ids, Set<Long> numbers, Set<String> keys) {

        /** The operation number the mark carries; empty when it carries none. */
        Optional<Long> number() {
            return numbers.isEmpty() ? Optional.empty() : Optional.of(numbers.iterator().next());
        }
    }

    private OperationMarks() {
    }

    /** The mark of an engine operation. */
    static Mark of(UpdateOperation op) {
        Set<PointId> ids = new TreeSet<>();
        Set<Long> numbers = new TreeSet<>();
        Set<String> keys = new TreeSet<>();
        String kind;
        if (op instanceof UpsertPoints upsert) {
            kind = "UPSERT";
            points(upsert.points(), ids, numbers);
        } else if (op instanceof ConditionalUpsertPoints upsert) {
            kind = "UPSERT";
            points(upsert.points(), ids, numbers);
            hasIds(upsert.condition(), ids);
        } else if (op instanceof DeletePoints delete) {
            kind = "DELETE_POINTS";
            ids.addAll(delete.ids());
        } else if (op instanceof DeletePointsByFilter delete) {
            kind = "DELETE_POINTS";
            hasIds(delete.filter(), ids);
        } else if (op instanceof SetPayload set) {
            kind = "SET_PAYLOAD";
            set.points().ifPresent(ids::addAll);
            set.filter().ifPresent(f -> hasIds(f, ids));
            number(set.payload(), numbers);
        } else if (op instanceof OverwritePayload overwrite) {
            kind = "OVERWRITE_PAYLOAD";
            overwrite.points().ifPresent(ids::addAll);
            overwrite.filter().ifPresent(f -> hasIds(f, ids));
            number(overwrite.payload(), numbers);
        } else if (op instanceof DeletePayload delete) {
            kind = "DELETE_PAYLOAD";
            delete.points().ifPresent(ids::addAll);
            delete.filter().ifPresent(f -> hasIds(f, ids));
            keys.addAll(delete.keys());
        } else if (op instanceof ClearPayload clear) {
            kind = "CLEAR_PAYLOAD";
            ids.addAll(clear.points());
        } else if (op instanceof ClearPayloadByFilter clear) {
            kind = "CLEAR_PAYLOAD";
            hasIds(clear.filter(), ids);
        } else if (op instanceof UpdateVectors update) {
            kind = "UPDATE_VECTORS";
            update.points().stream().map(PointVectors::id).forEach(ids::add);
            update.updateFilter().ifPresent(f -> hasIds(f, ids));
        } else if (op instanceof DeleteVectors delete) {
            kind = "DELETE_VECTORS";
            ids.addAll(delete.points());
        } else if (op instanceof DeleteVectorsByFilter delete) {
            kind = "DELETE_VECTORS";
            hasIds(delete.filter(), ids);
        } else {
            throw new IllegalArgumentException("no mark for " + op.variant());
        }
        return mark(kind, ids, numbers, keys);
    }

    /** The mark of a gRPC point operation, as a server received it. */
    static Mark of(PointsUpdateOperation op) {
        Set<PointId> ids = new TreeSet<>(new ReceivedRequest(0, "", op, new Metadata()).pointIds());
        Set<Long> numbers = new TreeSet<>();
        payloadNumbers(op, numbers);
        Set<String> keys = new TreeSet<>();
        if (op.hasDeletePayload()) {
            keys.addAll(op.getDeletePayload().getKeysList());
        }
        return mark(op.getOperationCase().name(), ids, numbers, keys);
    }

    /** The marks of the operations of an {@code UpdateBatch} request, in order. */
    static List<Mark> of(Points.UpdateBatchPoints batch) {
        List<Mark> marks = new ArrayList<>(batch.getOperationsCount());
        for (PointsUpdateOperation op : batch.getOperationsList()) {
            marks.add(of(op));
        }
        return marks;
    }

    private static Mark mark(String kind, Set<PointId> ids, Set<Long> numbers, Set<String> keys) {
        for (PointId id : ids) {
            if (id instanceof PointId.Num num && num.value() >= MixedOperations.MARKER_BASE) {
                numbers.add(num.value() - MixedOperations.MARKER_BASE);
            }
        }
        for (String key : keys) {
            if (key.matches("gone[0-9]+")) {
                numbers.add(Long.parseLong(key.substring(4)));
            }
        }
        return new Mark(kind, ids, numbers, keys);
    }

    private static void points(List<PointStruct> points, Set<PointId> ids, Set<Long> numbers) {
        for (PointStruct p : points) {
            ids.add(p.id());
            p.payload().ifPresent(payload -> number(payload, numbers));
        }
    }

    private static void number(JsonNode payload, Set<Long> numbers) {
        JsonNode n = payload.get("op");
        if (n != null && n.isIntegralNumber()) {
            numbers.add(n.longValue());
        }
    }

    /** The ids of every {@code has_id} condition anywhere in a filter. */
    private static void hasIds(JsonNode node, Set<PointId> ids) {
        if (node.isObject()) {
            for (Map.Entry<String, JsonNode> e : node.properties()) {
                if (e.getKey().equals("has_id")) {
                    for (JsonNode id : e.getValue()) {
                        ids.add(id.isNumber() ? PointId.of(id.longValue()) : PointId.parse(id.asString()));
                    }
                } else {
                    hasIds(e.getValue(), ids);
                }
            }
        } else if (node.isArray()) {
            node.forEach(child -> hasIds(child, ids));
        }
    }

    /** The integer {@code "op"} entries of every payload map in a message, at any depth of messages. */
    private static void payloadNumbers(Message message, Set<Long> numbers) {
        for (Map.Entry<FieldDescriptor, Object> e : message.getAllFields().entrySet()) {
            FieldDescriptor field = e.getKey();
            if (field.getJavaType() != FieldDescriptor.JavaType.MESSAGE) {
                continue;
            }
            if (field.isMapField()) {
                for (Object entry : (List<?>) e.getValue()) {
                    Message m = (Message) entry;
                    Object key = m.getField(m.getDescriptorForType().findFieldByName("key"));
                    Object value = m.getField(m.getDescriptorForType().findFieldByName("value"));
                    if ("op".equals(key) && value instanceof JsonWithInt.Value v
                            && v.getKindCase() == JsonWithInt.Value.KindCase.INTEGER_VALUE) {
                        numbers.add(v.getIntegerValue());
                    }
                }
            } else if (field.isRepeated()) {
                for (Object element : (List<?>) e.getValue()) {
                    payloadNumbers((Message) element, numbers);
                }
            } else {
                payloadNumbers((Message) e.getValue(), numbers);
            }
        }
    }
}
