package dev.qdrantedge.engine.cli;

import dev.qdrantedge.engine.config.EdgeConfig;
import dev.qdrantedge.engine.config.SparseVectorParams;
import dev.qdrantedge.engine.config.VectorParams;
import dev.qdrantedge.engine.vectors.Distance;
import dev.qdrantedge.engine.vectors.VectorDatatype;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import tools.jackson.databind.JsonNode;

/**
 * A shard configuration from JSON in the shape of the {@code vectors} and {@code sparse_vectors} parts of a
 * Qdrant collection configuration:
 *
 * <pre>
 * {"vectors": {"size": 4, "distance": "Cosine"}}                                  the default vector
 * {"vectors": {"text": {"size": 384, "distance": "Dot", "datatype": "float16"},    named vectors
 *              "colbert": {"size": 128, "distance": "Cosine", "multivector_config": {"comparator": "max_sim"}}},
 *  "sparse_vectors": {"bm25": {"modifier": "idf"}}}
 * </pre>
 *
 * A dense vector has {@code size}, {@code distance} ({@code Cosine}, {@code Euclid}, {@code Dot},
 * {@code Manhattan}) and optionally {@code datatype} ({@code float32}, {@code float16}, {@code uint8}),
 * {@code on_disk} and {@code multivector_config}; a sparse vector optionally has {@code modifier}
 * ({@code idf} or {@code none}). Other fields are refused rather than ignored, naming where they are.
 */
final class CollectionConfigJson {

    private static final Set<String> TOP_LEVEL = Set.of("vectors", "sparse_vectors");
    private static final Set<String> DENSE = Set.of("size", "distance", "datatype", "on_disk", "multivector_config");
    private static final Set<String> SPARSE = Set.of("modifier");

    private CollectionConfigJson() {
    }

    /**
     * @param source how to name the input in messages (the file name)
     * @throws CliInputException naming the source and the path of the offending value
     */
    static EdgeConfig parse(JsonNode root, String source) {
        if (!root.isObject()) {
            throw error(source, "", "expected a JSON object with \"vectors\" and/or \"sparse_vectors\"");
        }
        checkFields(root, TOP_LEVEL, source, "");
        Map<String, VectorParams> vectors = new LinkedHashMap<>();
        JsonNode dense = root.path("vectors");
        if (!dense.isMissingNode() && !dense.isNull()) {
            if (!dense.isObject()) {
                throw error(source, "vectors", "expected an object");
            }
            if (dense.has("size") || dense.has("distance")) {
                vectors.put("", vector(dense, source, "vectors"));
            } else {
                for (Map.Entry<String, JsonNode> e : dense.properties()) {
                    vectors.put(e.getKey(), vector(e.getValue(), source, "vectors." + e.getKey()));
                }
            }
        }
        Map<String, SparseVectorParams> sparse = new LinkedHashMap<>();
        JsonNode sparseNode = root.path("sparse_vectors");
        if (!sparseNode.isMissingNode() && !sparseNode.isNull()) {
            if (!sparseNode.isObject()) {
                throw error(source, "sparse_vectors", "expected an object");
            }
            for (Map.Entry<String, JsonNode> e : sparseNode.properties()) {
                sparse.put(e.getKey(), sparseVector(e.getValue(), source, "sparse_vectors." + e.getKey()));
            }
        }
        if (vectors.isEmpty() && sparse.isEmpty()) {
            throw error(source, "", "a shard needs at least one dense or sparse vector");
        }
        return new EdgeConfig(vectors, sparse);
    }

    private static VectorParams vector(JsonNode node, String source, String at) {
        if (!node.isObject()) {
            throw error(source, at, "expected an object with \"size\" and \"distance\"");
        }
        checkFields(node, DENSE, source, at);
        JsonNode size = node.path("size");
        if (!size.isIntegralNumber() || !size.canConvertToInt() || size.intValue() <= 0) {
            throw error(source, at + ".size", "expected a positive integer, got " + size);
        }
        Distance distance;
        try {
            distance = Distance.fromJson(text(node.path("distance"), source, at + ".distance"));
        } catch (IllegalArgumentException e) {
            throw error(source, at + ".distance", "expected Cosine, Euclid, Dot or Manhattan, got " + node.get("distance"));
        }
        VectorDatatype datatype = VectorDatatype.FLOAT32;
        JsonNode datatypeNode = node.path("datatype");
        if (!datatypeNode.isMissingNode() && !datatypeNode.isNull()) {
            try {
                datatype = VectorDatatype.fromJson(text(datatypeNode, source, at + ".datatype"));
            } catch (IllegalArgumentException e) {
                throw error(source, at + ".datatype", "expected float32, float16 or uint8, got " + datatypeNode);
            }
        }
        Boolean onDisk = null;
        JsonNode onDiskNode = node.path("on_disk");
        if (!onDiskNode.isMissingNode() && !onDiskNode.isNull()) {
            if (!onDiskNode.isBoolean()) {
                throw error(source, at + ".on_disk", "expected true or false, got " + onDiskNode);
            }
            onDisk = onDiskNode.booleanValue();
        }
        boolean multivector = false;
        JsonNode multi = node.path("multivector_config");
        if (!multi.isMissingNode() && !multi.isNull()) {
            if (!multi.isObject() || !"max_sim".equals(multi.path("comparator").asString(null)) || multi.size() != 1) {
                throw error(source, at + ".multivector_config", "expected {\"comparator\": \"max_sim\"}, got " + multi);
            }
            multivector = true;
        }
        return new VectorParams(size.intValue(), distance, datatype, multivector, onDisk);
    }

    private static SparseVectorParams sparseVector(JsonNode node, String source, String at) {
        if (!node.isObject()) {
            throw error(source, at, "expected an object (it may be empty)");
        }
        checkFields(node, SPARSE, source, at);
        JsonNode modifier = node.path("modifier");
        if (modifier.isMissingNode() || modifier.isNull()) {
            return new SparseVectorParams(false);
        }
        String value = text(modifier, source, at + ".modifier");
        if (!value.equals("idf") && !value.equals("none")) {
            throw error(source, at + ".modifier", "expected \"idf\" or \"none\", got " + modifier);
        }
        return new SparseVectorParams(value.equals("idf"));
    }

    private static String text(JsonNode node, String source, String at) {
        if (!node.isString()) {
            throw error(source, at, node.isMissingNode() ? "missing" : "expected a string, got " + node);
        }
        return node.asString();
    }

    private static void checkFields(JsonNode node, Set<String> known, String source, String at) {
        for (String name : node.propertyNames()) {
            if (!known.contains(name)) {
                throw error(source, at.isEmpty() ? name : at + "." + name, "unknown or unsupported field (supported: "
                        + known.stream().sorted().toList() + ")");
            }
        }
    }

    private static CliInputException error(String source, String at, String problem) {
        return new CliInputException(source + ": " + (at.isEmpty() ? "" : at + ": ") + problem);
    }
}
