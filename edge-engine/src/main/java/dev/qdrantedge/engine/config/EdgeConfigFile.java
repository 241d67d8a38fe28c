package dev.qdrantedge.engine.config;

import dev.qdrantedge.engine.EdgeException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Map;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

/** Writes {@code edge_config.json} as Qdrant Edge does: compact JSON, replaced atomically. */
public final class EdgeConfigFile {

    public static final String FILE = "edge_config.json";

    private static final JsonMapper JSON = JsonMapper.builder().build();

    private EdgeConfigFile() {
    }

    public static void write(Path shardDir, EdgeConfig config) {
        ObjectNode root = JSON.createObjectNode();
        ObjectNode vectors = root.putObject("vectors");
        for (Map.Entry<String, VectorParams> e : config.vectors().entrySet()) {
            ObjectNode v = vectors.putObject(e.getKey());
            v.put("size", e.getValue().size());
            v.put("distance", e.getValue().distance().jsonName());
        }
        root.putObject("sparse_vectors");
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
