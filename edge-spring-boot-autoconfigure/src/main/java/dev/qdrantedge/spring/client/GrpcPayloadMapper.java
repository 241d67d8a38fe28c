package dev.qdrantedge.spring.client;

import static dev.qdrantedge.engine.io.JsonNodes.kind;

import io.qdrant.client.grpc.JsonWithInt.ListValue;
import io.qdrant.client.grpc.JsonWithInt.NullValue;
import io.qdrant.client.grpc.JsonWithInt.Struct;
import io.qdrant.client.grpc.JsonWithInt.Value;
import java.util.LinkedHashMap;
import java.util.Map;
import tools.jackson.databind.JsonNode;

/**
 * Converts payload JSON (Jackson trees, as operations carry it) to gRPC payload values: integers stay
 * integers ({@code integer_value}), other numbers become {@code double_value}, objects and arrays nest.
 * gRPC integers are signed 64-bit: an integer outside that range (Qdrant stores unsigned 64-bit values
 * from REST) has no faithful form and is refused, as is a non-finite number.
 */
public final class GrpcPayloadMapper {

    private GrpcPayloadMapper() {
    }

    /**
     * The fields of a payload object, in their order.
     *
     * @param where the JSON path of {@code payload}, for error messages
     * @throws GrpcMappingException naming the path of a value that cannot be converted
     */
    public static Map<String, Value> payload(JsonNode payload, String where) {
        if (payload == null || !payload.isObject()) {
            throw new GrpcMappingException(where, "expected a payload object, found " + kind(payload));
        }
        Map<String, Value> out = new LinkedHashMap<>();
        for (Map.Entry<String, JsonNode> e : payload.properties()) {
            out.put(e.getKey(), value(e.getValue(), where + "." + e.getKey()));
        }
        return out;
    }

    /**
     * One JSON value.
     *
     * @param where the JSON path of {@code node}, for error messages
     * @throws GrpcMappingException naming the path of a value that cannot be converted
     */
    public static Value value(JsonNode node, String where) {
        if (node == null || node.isMissingNode()) {
            throw new GrpcMappingException(where, "no value");
        }
        if (node.isNull()) {
            return Value.newBuilder().setNullValue(NullValue.NULL_VALUE).build();
        }
        if (node.isBoolean()) {
            return Value.newBuilder().setBoolValue(node.booleanValue()).build();
        }
        if (node.isIntegralNumber()) {
            if (!node.canConvertToLong()) {
                throw new GrpcMappingException(where, "integer " + node + " is outside the signed 64-bit range"
                        + " that gRPC payload values can carry");
            }
            return Value.newBuilder().setIntegerValue(node.longValue()).build();
        }
        if (node.isNumber()) {
            double d = node.doubleValue();
            if (!Double.isFinite(d)) {
                throw new GrpcMappingException(where, "number " + node + " is not finite");
            }
            return Value.newBuilder().setDoubleValue(d).build();
        }
        if (node.isString()) {
            return Value.newBuilder().setStringValue(node.asString()).build();
        }
        if (node.isArray()) {
            ListValue.Builder list = ListValue.newBuilder();
            for (int i = 0; i < node.size(); i++) {
                list.addValues(value(node.get(i), where + "[" + i + "]"));
            }
            return Value.newBuilder().setListValue(list).build();
        }
        if (node.isObject()) {
            return Value.newBuilder().setStructValue(Struct.newBuilder().putAllFields(payload(node, where))).build();
        }
        throw new GrpcMappingException(where, "cannot convert " + kind(node) + " to a payload value");
    }
}
