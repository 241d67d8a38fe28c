package dev.qdrantedge.engine.segment;

import dev.qdrantedge.engine.EdgeFormatException;
import dev.qdrantedge.engine.io.JsonFiles;
import dev.qdrantedge.engine.vectors.Distance;
import dev.qdrantedge.engine.vectors.VectorDatatype;
import dev.qdrantedge.engine.vectors.VectorStorageType;
import java.nio.file.Path;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.OptionalLong;
import tools.jackson.databind.JsonNode;

/**
 * A segment's {@code segment.json}: its versions and configuration. Fields that newer servers add are
 * ignored; values this engine cannot serve (an unknown storage type or datatype) are errors naming the file.
 *
 * @param initialVersion version the segment was built at (optimizer output), if any
 * @param version highest operation number applied and persisted, if any
 * @param vectorData dense and multi vectors by name ({@code ""} is the default vector), in file order
 * @param sparseVectorData sparse vectors by name, in file order
 * @param payloadStorageType {@code mmap}, {@code in_ram_mmap} (or the legacy RocksDB kinds)
 */
public record SegmentState(OptionalLong initialVersion, OptionalLong version, Map<String, VectorDataConfig> vectorData,
        Map<String, SparseVectorDataConfig> sparseVectorData, String payloadStorageType) {

    public static final String FILE = "segment.json";

    /** Appendable iff every dense and every sparse vector is (vacuously true without vectors). */
    public boolean appendable() {
        return vectorData.values().stream().allMatch(VectorDataConfig::appendable)
                && sparseVectorData.values().stream().allMatch(SparseVectorDataConfig::appendable);
    }

    public static SegmentState read(Path segmentDir) {
        Path file = segmentDir.resolve(FILE);
        JsonNode root = JsonFiles.readTree(file);
        try {
            return parse(root);
        } catch (IllegalArgumentException e) {
            throw new EdgeFormatException(file, e.getMessage(), e);
        }
    }

    static SegmentState parse(JsonNode root) {
        JsonNode config = required(root, "config", "");
        Map<String, VectorDataConfig> vectors = new LinkedHashMap<>();
        JsonNode vectorData = config.path("vector_data");
        for (Map.Entry<String, JsonNode> e : vectorData.properties()) {
            vectors.put(e.getKey(), parseVector(e.getValue(), "config.vector_data." + e.getKey()));
        }
        Map<String, SparseVectorDataConfig> sparse = new LinkedHashMap<>();
        for (Map.Entry<String, JsonNode> e : config.path("sparse_vector_data").properties()) {
            sparse.put(e.getKey(), parseSparse(e.getValue(), "config.sparse_vector_data." + e.getKey()));
        }
        String payloadType = required(required(config, "payload_storage_type", "config"), "type",
                "config.payload_storage_type").asString();
        return new SegmentState(optionalLong(root.path("initial_version")), optionalLong(root.path("version")),
                Collections.unmodifiableMap(vectors), Collections.unmodifiableMap(sparse), payloadType);
    }

    private static VectorDataConfig parseVector(JsonNode node, String at) {
        int size = required(node, "size", at).asInt();
        if (size <= 0) {
            throw new IllegalArgumentException(at + ".size: must be positive, was " + size);
        }
        Distance distance = Distance.fromJson(required(node, "distance", at).asString());
        VectorStorageType storage = VectorStorageType.fromJson(required(node, "storage_type", at).asString());
        JsonNode index = required(node, "index", at);
        String indexType = required(index, "type", at + ".index").asString();
        if (!indexType.equals("plain") && !indexType.equals("hnsw")) {
            throw new IllegalArgumentException(at + ".index.type: unknown index type '" + indexType + "'");
        }
        JsonNode datatype = node.path("datatype");
        VectorDatatype type = datatype.isMissingNode() || datatype.isNull() ? VectorDatatype.FLOAT32
                : VectorDatatype.fromJson(datatype.asString());
        JsonNode multi = node.path("multivector_config");
        return new VectorDataConfig(size, distance, storage, indexType, index.path("options"),
                !multi.isMissingNode() && !multi.isNull(), type, node.path("quantization_config"));
    }

    private static SparseVectorDataConfig parseSparse(JsonNode node, String at) {
        JsonNode index = required(node, "index", at);
        String indexType = required(index, "index_type", at + ".index").asString();
        JsonNode storage = node.path("storage_type");
        String storageType = storage.isMissingNode() || storage.isNull() ? "mmap" : storage.asString();
        return new SparseVectorDataConfig(indexType, storageType, "idf".equals(node.path("modifier").asString("none")));
    }

    private static JsonNode required(JsonNode node, String field, String at) {
        JsonNode value = node.get(field);
        if (value == null || value.isNull()) {
            throw new IllegalArgumentException((at.isEmpty() ? "" : at + ".") + field + ": missing");
        }
        return value;
    }

    private static OptionalLong optionalLong(JsonNode node) {
        return node.isMissingNode() || node.isNull() ? OptionalLong.empty() : OptionalLong.of(node.asLong());
    }
}
