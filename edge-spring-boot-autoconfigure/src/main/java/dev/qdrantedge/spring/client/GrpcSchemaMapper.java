package dev.qdrantedge.spring.client;

import static dev.qdrantedge.engine.io.JsonNodes.kind;

import com.google.protobuf.Descriptors.FieldDescriptor;
import com.google.protobuf.Message;
import io.qdrant.client.grpc.Collections;
import io.qdrant.client.grpc.Points;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import tools.jackson.databind.JsonNode;

/**
 * Converts the collection-level parts of operations to gRPC: payload index schemas ({@code create_index})
 * and vector configurations ({@code create_vector_name}), both kept by the operations in Qdrant's REST JSON.
 * A parameter the gRPC protocol of client 1.18 lacks (such as 1.19's {@code memory}) is refused with its
 * path rather than dropped, since the server would build a different index or vector than the one recorded.
 */
final class GrpcSchemaMapper {

    /** The field type and index parameters of a {@code create_index}; either may be absent. */
    record IndexSchema(Optional<Points.FieldType> type, Optional<Collections.PayloadIndexParams> params) {
    }

    private GrpcSchemaMapper() {
    }

    /**
     * A payload index schema: a type name such as {@code "keyword"}, or an object with {@code type} and
     * the index parameters, e.g. {@code {"type": "integer", "lookup": false, "range": true}}.
     */
    static IndexSchema indexSchema(Optional<JsonNode> schema, String where) {
        if (schema.isEmpty() || schema.get().isNull()) {
            return new IndexSchema(Optional.empty(), Optional.empty());
        }
        JsonNode s = schema.get();
        if (s.isString()) {
            return new IndexSchema(Optional.of(fieldType(s.asString(), where)), Optional.empty());
        }
        if (!s.isObject()) {
            throw new GrpcMappingException(where, "expected a type name or an object of index parameters, found "
                    + kind(s));
        }
        JsonNode typeNode = s.get("type");
        if (typeNode == null || !typeNode.isString()) {
            throw new GrpcMappingException(where + ".type", "expected the index type name, found " + kind(typeNode));
        }
        String type = typeNode.asString();
        Points.FieldType fieldType = fieldType(type, where + ".type");
        Message.Builder params = paramsBuilder(fieldType);
        for (Map.Entry<String, JsonNode> e : s.properties()) {
            String key = e.getKey();
            JsonNode value = e.getValue();
            String w = where + "." + key;
            if (key.equals("type") || value.isNull()) {
                continue;
            }
            if (params instanceof Collections.TextIndexParams.Builder text && textParameter(text, key, value, w)) {
                continue;
            }
            scalar(params, key, value, w, type);
        }
        Collections.PayloadIndexParams.Builder wrapper = Collections.PayloadIndexParams.newBuilder();
        wrapper.setField(wrapper.getDescriptorForType().findFieldByName(type + "_index_params"), params.build());
        return new IndexSchema(Optional.of(fieldType), Optional.of(wrapper.build()));
    }

    private static Points.FieldType fieldType(String name, String where) {
        switch (name) {
            case "keyword":
                return Points.FieldType.FieldTypeKeyword;
            case "integer":
                return Points.FieldType.FieldTypeInteger;
            case "float":
                return Points.FieldType.FieldTypeFloat;
            case "geo":
                return Points.FieldType.FieldTypeGeo;
            case "text":
                return Points.FieldType.FieldTypeText;
            case "bool":
                return Points.FieldType.FieldTypeBool;
            case "datetime":
                return Points.FieldType.FieldTypeDatetime;
            case "uuid":
                return Points.FieldType.FieldTypeUuid;
            default:
                throw new GrpcMappingException(where, "unknown payload index type '" + name + "' (expected keyword,"
                        + " integer, float, geo, text, bool, datetime or uuid)");
        }
    }

    private static Message.Builder paramsBuilder(Points.FieldType type) {
        switch (type) {
            case FieldTypeKeyword:
                return Collections.KeywordIndexParams.newBuilder();
            case FieldTypeInteger:
                return Collections.IntegerIndexParams.newBuilder();
            case FieldTypeFloat:
                return Collections.FloatIndexParams.newBuilder();
            case FieldTypeGeo:
                return Collections.GeoIndexParams.newBuilder();
            case FieldTypeText:
                return Collections.TextIndexParams.newBuilder();
            case FieldTypeBool:
                return Collections.BoolIndexParams.newBuilder();
            case FieldTypeDatetime:
                return Collections.DatetimeIndexParams.newBuilder();
            default:
                return Collections.UuidIndexParams.newBuilder();
        }
    }

    /** A boolean or unsigned integer parameter whose gRPC field has the REST name. */
    private static void scalar(Message.Builder params, String key, JsonNode value, String where, String type) {
        FieldDescriptor field = params.getDescriptorForType().findFieldByName(key);
        if (field == null || field.getType() == FieldDescriptor.Type.MESSAGE || field.getType() == FieldDescriptor.Type.ENUM) {
            throw new GrpcMappingException(where, "the " + type + " index parameter '" + key + "' has no form in"
                    + " Qdrant's gRPC protocol of client 1.18");
        }
        if (field.getJavaType() == FieldDescriptor.JavaType.BOOLEAN) {
            if (!value.isBoolean()) {
                throw new GrpcMappingException(where, "expected a boolean, found " + kind(value));
            }
            params.setField(field, value.booleanValue());
        } else if (field.getJavaType() == FieldDescriptor.JavaType.LONG) {
            if (!value.isIntegralNumber() || !value.canConvertToLong() || value.longValue() < 0) {
                throw new GrpcMappingException(where, "expected a non-negative integer, found " + kind(value));
            }
            params.setField(field, value.longValue());
        } else {
            throw new GrpcMappingException(where, "unsupported index parameter '" + key + "'");
        }
    }

    /** The text index parameters that are not plain scalars; false for the others. */
    private static boolean textParameter(Collections.TextIndexParams.Builder text, String key, JsonNode value,
            String where) {
        switch (key) {
            case "tokenizer":
                text.setTokenizer(tokenizer(value, where));
                return true;
            case "stopwords":
                text.setStopwords(stopwords(value, where));
                return true;
            case "stemmer":
                text.setStemmer(stemmer(value, where));
                return true;
            default:
                return false;
        }
    }

    private static Collections.TokenizerType tokenizer(JsonNode value, String where) {
        String name = value.isString() ? value.asString() : "";
        switch (name) {
            case "prefix":
                return Collections.TokenizerType.Prefix;
            case "whitespace":
                return Collections.TokenizerType.Whitespace;
            case "word":
                return Collections.TokenizerType.Word;
            case "multilingual":
                return Collections.TokenizerType.Multilingual;
            default:
                throw new GrpcMappingException(where, "expected prefix, whitespace, word or multilingual, found "
                        + kind(value));
        }
    }

    /** {@code "english"} or {@code {"languages": [...], "custom": [...]}}. */
    private static Collections.StopwordsSet stopwords(JsonNode value, String where) {
        Collections.StopwordsSet.Builder set = Collections.StopwordsSet.newBuilder();
        if (value.isString()) {
            return set.addLanguages(value.asString()).build();
        }
        if (!value.isObject()) {
            throw new GrpcMappingException(where, "expected a language or an object of languages and custom words,"
                    + " found " + kind(value));
        }
        for (Map.Entry<String, JsonNode> e : value.properties()) {
            String w = where + "." + e.getKey();
            if (e.getValue().isNull()) {
                continue;
            }
            if (!e.getValue().isArray()) {
                throw new GrpcMappingException(w, "expected an array of strings, found " + kind(e.getValue()));
            }
            for (int i = 0; i < e.getValue().size(); i++) {
                JsonNode word = e.getValue().get(i);
                if (!word.isString()) {
                    throw new GrpcMappingException(w + "[" + i + "]", "expected a string, found " + kind(word));
                }
                if (e.getKey().equals("languages")) {
                    set.addLanguages(word.asString());
                } else if (e.getKey().equals("custom")) {
                    set.addCustom(word.asString());
                } else {
                    throw new GrpcMappingException(w, "unknown stopwords field (expected languages or custom)");
                }
            }
        }
        return set.build();
    }

    /** {@code {"type": "snowball", "language": "english"}}. */
    private static Collections.StemmingAlgorithm stemmer(JsonNode value, String where) {
        if (value.isObject() && "snowball".equals(value.path("type").asString(null))
                && value.path("language").isString() && value.size() == 2) {
            return Collections.StemmingAlgorithm.newBuilder()
                    .setSnowball(Collections.SnowballParams.newBuilder().setLanguage(value.get("language").asString()))
                    .build();
        }
        throw new GrpcMappingException(where, "only {\"type\": \"snowball\", \"language\": ...} stemmers have a form"
                + " in Qdrant's gRPC protocol of client 1.18, found " + value);
    }

    /**
     * A vector configuration of {@code create_vector_name}: {@code {"dense": {"size", "distance",
     * "multivector_config", "datatype"}}} or {@code {"sparse": {"modifier", "datatype"}}}.
     */
    static Points.CreateVectorNameRequest.Builder vectorConfig(JsonNode config, String where) {
        Points.CreateVectorNameRequest.Builder b = Points.CreateVectorNameRequest.newBuilder();
        if (config == null || !config.isObject() || config.size() != 1
                || !(config.has("dense") || config.has("sparse"))) {
            throw new GrpcMappingException(where, "expected {\"dense\": {...}} or {\"sparse\": {...}}, found " + config);
        }
        if (config.has("dense")) {
            String w = where + ".dense";
            JsonNode d = object(config.get("dense"), w);
            Points.DenseVectorCreationConfig.Builder dense = Points.DenseVectorCreationConfig.newBuilder();
            for (Map.Entry<String, JsonNode> e : d.properties()) {
                String fw = w + "." + e.getKey();
                JsonNode v = e.getValue();
                if (v.isNull()) {
                    continue;
                }
                switch (e.getKey()) {
                    case "size":
                        if (!v.isIntegralNumber() || !v.canConvertToLong() || v.longValue() <= 0) {
                            throw new GrpcMappingException(fw, "expected a positive integer, found " + kind(v));
                        }
                        dense.setSize(v.longValue());
                        break;
                    case "distance":
                        dense.setDistance(distance(v, fw));
                        break;
                    case "datatype":
                        dense.setDatatype(datatype(v, fw));
                        break;
                    case "multivector_config":
                        if (!v.isObject() || !"max_sim".equals(v.path("comparator").asString(null)) || v.size() != 1) {
                            throw new GrpcMappingException(fw, "expected {\"comparator\": \"max_sim\"}, found " + v);
                        }
                        dense.setMultivectorConfig(Collections.MultiVectorConfig.newBuilder()
                                .setComparator(Collections.MultiVectorComparator.MaxSim));
                        break;
                    default:
                        throw new GrpcMappingException(fw, "this dense vector parameter has no form in Qdrant's gRPC"
                                + " protocol of client 1.18");
                }
            }
            if (!d.has("size") || !d.has("distance")) {
                throw new GrpcMappingException(w, "a dense vector needs size and distance");
            }
            return b.setDenseConfig(dense);
        }
        String w = where + ".sparse";
        JsonNode s = object(config.get("sparse"), w);
        Points.SparseVectorCreationConfig.Builder sparse = Points.SparseVectorCreationConfig.newBuilder();
        for (Map.Entry<String, JsonNode> e : s.properties()) {
            String fw = w + "." + e.getKey();
            JsonNode v = e.getValue();
            if (v.isNull()) {
                continue;
            }
            if (e.getKey().equals("modifier") && v.isString()
                    && (v.asString().equals("idf") || v.asString().equals("none"))) {
                sparse.setModifier(v.asString().equals("idf") ? Collections.Modifier.Idf : Collections.Modifier.None);
            } else if (e.getKey().equals("datatype")) {
                sparse.setDatatype(datatype(v, fw));
            } else {
                throw new GrpcMappingException(fw, "expected modifier (idf or none) or datatype, found "
                        + e.getKey() + " = " + v);
            }
        }
        return b.setSparseConfig(sparse);
    }

    private static Collections.Distance distance(JsonNode v, String where) {
        String name = v.isString() ? v.asString() : "";
        switch (name) {
            case "Cosine":
                return Collections.Distance.Cosine;
            case "Euclid":
                return Collections.Distance.Euclid;
            case "Dot":
                return Collections.Distance.Dot;
            case "Manhattan":
                return Collections.Distance.Manhattan;
            default:
                throw new GrpcMappingException(where, "expected Cosine, Euclid, Dot or Manhattan, found " + kind(v));
        }
    }

    private static Collections.Datatype datatype(JsonNode v, String where) {
        String name = v.isString() ? v.asString().toLowerCase(Locale.ROOT) : "";
        switch (name) {
            case "float32":
                return Collections.Datatype.Float32;
            case "float16":
                return Collections.Datatype.Float16;
            case "uint8":
                return Collections.Datatype.Uint8;
            default:
                throw new GrpcMappingException(where, "expected float32, float16 or uint8 (the datatypes of Qdrant's"
                        + " gRPC protocol of client 1.18), found " + kind(v));
        }
    }

    private static JsonNode object(JsonNode node, String where) {
        if (node == null || !node.isObject()) {
            throw new GrpcMappingException(where, "expected an object, found " + kind(node));
        }
        return node;
    }
}
