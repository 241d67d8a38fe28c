package dev.qdrantedge.spring.testsupport;

import io.qdrant.client.grpc.JsonWithInt.Value;
import java.util.Map;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.JsonNodeFactory;
import tools.jackson.databind.node.ObjectNode;

/** gRPC payload values back to JSON, as Qdrant's server reads them: integers stay integers. */
final class GrpcPayloadJson {

    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

    private GrpcPayloadJson() {
    }

    static ObjectNode payload(Map<String, Value> fields) {
        ObjectNode out = NODES.objectNode();
        for (Map.Entry<String, Value> e : fields.entrySet()) {
            out.set(e.getKey(), value(e.getValue()));
        }
        return out;
    }

    static JsonNode value(Value v) {
        switch (v.getKindCase()) {
            case NULL_VALUE:
                return NODES.nullNode();
            case DOUBLE_VALUE:
                return NODES.numberNode(v.getDoubleValue());
            case INTEGER_VALUE:
                return NODES.numberNode(v.getIntegerValue());
            case STRING_VALUE:
                return NODES.stringNode(v.getStringValue());
            case BOOL_VALUE:
                return NODES.booleanNode(v.getBoolValue());
            case STRUCT_VALUE:
                return payload(v.getStructValue().getFieldsMap());
            case LIST_VALUE: {
                ArrayNode list = NODES.arrayNode();
                for (Value element : v.getListValue().getValuesList()) {
                    list.add(value(element));
                }
                return list;
            }
            default:
                throw new IllegalArgumentException("payload value without a kind");
        }
    }
}
