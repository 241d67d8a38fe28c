package dev.qdrantedge.spring.testsupport;

import com.google.protobuf.Descriptors.FieldDescriptor;
import com.google.protobuf.Message;
import dev.qdrantedge.engine.idtracker.PointId;
import io.grpc.Metadata;
import io.qdrant.client.grpc.Common;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Predicate;

/**
 * One request the {@link FakeQdrantServer} received, in arrival order.
 *
 * @param sequence the arrival number, from 1
 * @param method the full gRPC method name, e.g. {@code qdrant.Points/UpdateBatch}
 * @param request the request message
 * @param headers the request headers (e.g. {@code api-key})
 */
public record ReceivedRequest(long sequence, String method, Message request, Metadata headers) {

    /** The method name without the service, e.g. {@code UpdateBatch}. */
    public String methodName() {
        return method.substring(method.indexOf('/') + 1);
    }

    /** Every point id the request names anywhere: points, selectors, {@code has_id} conditions. */
    public Set<PointId> pointIds() {
        Set<PointId> ids = new LinkedHashSet<>();
        collect(request, ids);
        return ids;
    }

    /** Whether the request names {@code id} anywhere (see {@link #pointIds()}). */
    public boolean mentions(PointId id) {
        return pointIds().contains(id);
    }

    /** A predicate for {@link FakeQdrantServer#failWhile(Predicate, io.grpc.Status)}: requests naming {@code id}. */
    public static Predicate<ReceivedRequest> mentioning(PointId id) {
        return r -> r.mentions(id);
    }

    private static void collect(Message message, Set<PointId> ids) {
        if (message instanceof Common.PointId id) {
            ids.add(GrpcOperationDecoder.pointId(id));
            return;
        }
        for (Map.Entry<FieldDescriptor, Object> e : message.getAllFields().entrySet()) {
            if (e.getKey().getJavaType() != FieldDescriptor.JavaType.MESSAGE) {
                continue;
            }
            if (e.getKey().isMapField()) {
                for (Object entry : (List<?>) e.getValue()) {
                    collect((Message) entry, ids);
                }
            } else if (e.getKey().isRepeated()) {
                for (Object element : (List<?>) e.getValue()) {
                    collect((Message) element, ids);
                }
            } else {
                collect((Message) e.getValue(), ids);
            }
        }
    }
}
