package dev.qdrantedge.engine.config;

import dev.qdrantedge.engine.EdgeException;
import dev.qdrantedge.engine.EdgeFormatException;
import dev.qdrantedge.engine.io.JsonFiles;
import dev.qdrantedge.engine.vectors.Distance;
import dev.qdrantedge.engine.vectors.VectorDatatype;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

/**
 * Reads and writes {@code edge_config.json} as Qdrant Edge does: compact JSON, optional fields omitted,
 * replaced atomically. Reading tolerates fields this engine does not use (HNSW, quantization, optimizer
 * and WAL settings of the various Edge releases).
 */
public final class EdgeConfigFile {

    public static final String FILE = "edge_config.json";

    private static final JsonMapper JSON = JsonMapper.builder().build();

    private EdgeConfigFile() {
    }

    /** The configuration in {@code shardDir}, or empty when the shard has no {@code edge_config.json}. */
    public static Optional<EdgeConfig> read(Path shardDir) {
        Path file = shardDir.resolve(FILE);
        if (!Files.isRegularFile(file)) {
            return Optional.empty();
        }
        JsonNode root = JsonFiles.readTree(file);
        try {
            Map<String, VectorParams> vectors = new LinkedHashMap<>();
            for (Map.Entry<String, JsonNode> e : root.path("vectors").properties()) {
                JsonNode v = e.getValue();
                JsonNode datatype = v.path("datatype");
                JsonNode onDisk = v.path("on_disk");
                vectors.put(e.getKey(), new VectorParams(v.path("size").asInt(),
                        Distance.fromJson(v.path("distance").asString()),
                        datatype.isMissingNode() || datatype.isNull() ? VectorDatatype.FLOAT32
                                : VectorDatatype.fromJson(datatype.asString()),
                        !v.path("multivector_config").isMissingNode() && !v.path("multivector_config").isNull(),
                        onDisk.isBoolean() ? onDisk.asBoolean() : null));
            }
            Map<String, SparseVectorParams> sparse = new LinkedHashMap<>();
            for (Map.Entry<String, JsonNode> e : root.path("sparse_vectors").properties()) {
                sparse.put(e.getKey(), new SparseVectorParams("idf".equals(e.getValue().path("modifier").asString("none"))));
            }
            return Optional.of(new EdgeConfig(vectors, sparse));
        } catch (IllegalArgumentException e) {
            throw new EdgeFormatException(file, e.getMessage(), e);
        }
    }

    public static void write(Path shardDir, EdgeConfig config) {
        ObjectNode root = JSON.createObjectNode();
        ObjectNode vectors = root.putObject("vectors");
        for (Map.Entry<String, VectorParams> e : config.vectors().entrySet()) {
            VectorParams params = e.getValue();
            ObjectNode v = vectors.putObject(e.getKey());
            v.put("size", params.size());
            v.put("distance", params.distance().jsonName());
            if (params.onDisk() != null) {
                v.put("on_disk", params.onDisk());
            }
            if (params.multivector()) {
                v.putObject("multivector_config").put("comparator", "max_sim");
            }
            if (params.datatype() != VectorDatatype.FLOAT32) {
                v.put("datatype", params.datatype().jsonName());
            }
        }
        ObjectNode sparse = root.putObject("sparse_vectors");
        for (Map.Entry<String, SparseVectorParams> e : config.sparseVectors().entrySet()) {
            ObjectNode s = sparse.putObject(e.getKey());
            if (e.getValue().idf()) {
                s.put("modifier", "idf");
            }
        }
        Path target = shardDir.resolve(FILE);
        Path temp = shardDir.resolve(FILE + ".tmp");
        try {
            Files.write(temp, JSON.writeValueAsBytes(root));
            Files.move(temp, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            throw new EdgeException("cannot write " + target + ": " + e.getMessage(), e);
        }
    }
}
