package dev.qdrantedge.engine.config;

import dev.qdrantedge.engine.EdgeException;
import dev.qdrantedge.engine.EdgeFormatException;
import dev.qdrantedge.engine.io.JsonFiles;
import dev.qdrantedge.engine.vectors.Distance;
import dev.qdrantedge.engine.vectors.VectorDatatype;
import dev.qdrantedge.engine.wal.WalOptions;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

/**
 * Reads and writes {@code edge_config.json} as Qdrant Edge does: compact JSON, unspecified fields omitted,
 * replaced atomically. Top-level settings this engine does not model (quantization, search threads) are
 * kept as the file had them when it is rewritten.
 */
public final class EdgeConfigFile {

    public static final String FILE = "edge_config.json";

    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final Set<String> MODELED = Set.of("on_disk_payload", "vectors", "sparse_vectors", "hnsw_config",
            "optimizers", "wal_options");

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
            return Optional.of(parse(root));
        } catch (IllegalArgumentException e) {
            throw new EdgeFormatException(file, e.getMessage(), e);
        }
    }

    /** Parses the JSON of an {@code edge_config.json}. */
    public static EdgeConfig parse(JsonNode root) {
        Map<String, VectorParams> vectors = new LinkedHashMap<>();
        for (Map.Entry<String, JsonNode> e : root.path("vectors").properties()) {
            JsonNode v = e.getValue();
            JsonNode datatype = v.path("datatype");
            vectors.put(e.getKey(), new VectorParams(v.path("size").asInt(),
                    Distance.fromJson(v.path("distance").asString()),
                    datatype.isString() ? VectorDatatype.fromJson(datatype.asString()) : VectorDatatype.FLOAT32,
                    present(v.path("multivector_config")), bool(v.path("on_disk")), hnsw(v.path("hnsw_config"))));
        }
        Map<String, SparseVectorParams> sparse = new LinkedHashMap<>();
        for (Map.Entry<String, JsonNode> e : root.path("sparse_vectors").properties()) {
            JsonNode s = e.getValue();
            sparse.put(e.getKey(), new SparseVectorParams("idf".equals(s.path("modifier").asString("none")),
                    bool(s.path("on_disk")), integer(s.path("full_scan_threshold"))));
        }
        return new EdgeConfig(vectors, sparse, bool(root.path("on_disk_payload")), hnsw(root.path("hnsw_config")),
                optimizers(root.path("optimizers")), wal(root.path("wal_options")));
    }

    private static HnswConfig hnsw(JsonNode n) {
        if (!present(n)) {
            return null;
        }
        HnswConfig d = HnswConfig.defaults();
        return new HnswConfig(n.path("m").asInt(d.m()), n.path("ef_construct").asInt(d.efConstruct()),
                firstOf(n, "full_scan_threshold", "full_scan_threshold_kb").asInt(d.fullScanThreshold()),
                n.path("max_indexing_threads").asInt(0), bool(n.path("on_disk")), integer(n.path("payload_m")),
                bool(n.path("inline_storage")));
    }

    private static OptimizersConfig optimizers(JsonNode n) {
        if (!present(n)) {
            return null;
        }
        JsonNode deleted = n.path("deleted_threshold");
        return new OptimizersConfig(deleted.isNumber() ? deleted.asDouble() : null,
                integer(n.path("vacuum_min_vector_number")), integer(n.path("default_segment_number")),
                integer(firstOf(n, "max_segment_size", "max_segment_size_kb")),
                integer(firstOf(n, "indexing_threshold", "indexing_threshold_kb")), bool(n.path("prevent_unoptimized")));
    }

    private static WalOptions wal(JsonNode n) {
        if (!present(n)) {
            return null;
        }
        WalOptions d = WalOptions.defaults();
        return new WalOptions(n.path("segment_capacity").asLong(d.segmentCapacity()),
                n.path("segment_queue_len").asInt(d.segmentQueueLen()), n.path("retain_closed").asInt(d.retainClosed()));
    }

    private static JsonNode firstOf(JsonNode n, String name, String alias) {
        return n.has(name) ? n.path(name) : n.path(alias);
    }

    private static boolean present(JsonNode n) {
        return !n.isMissingNode() && !n.isNull();
    }

    private static Boolean bool(JsonNode n) {
        return n.isBoolean() ? n.asBoolean() : null;
    }

    private static Integer integer(JsonNode n) {
        return n.isIntegralNumber() ? n.asInt() : null;
    }

    /** The JSON of {@code config} as {@code edge_config.json} holds it. */
    public static ObjectNode toJson(EdgeConfig config) {
        ObjectNode root = JSON.createObjectNode();
        if (config.onDiskPayload() != null) {
            root.put("on_disk_payload", config.onDiskPayload());
        }
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
            if (params.hnswConfig() != null) {
                v.set("hnsw_config", hnswJson(params.hnswConfig()));
            }
        }
        ObjectNode sparse = root.putObject("sparse_vectors");
        for (Map.Entry<String, SparseVectorParams> e : config.sparseVectors().entrySet()) {
            SparseVectorParams params = e.getValue();
            ObjectNode s = sparse.putObject(e.getKey());
            if (params.fullScanThreshold() != null) {
                s.put("full_scan_threshold", params.fullScanThreshold());
            }
            if (params.onDisk() != null) {
                s.put("on_disk", params.onDisk());
            }
            if (params.idf()) {
                s.put("modifier", "idf");
            }
        }
        if (config.hnswConfig() != null) {
            root.set("hnsw_config", hnswJson(config.hnswConfig()));
        }
        if (config.optimizers() != null) {
            OptimizersConfig o = config.optimizers();
            ObjectNode n = root.putObject("optimizers");
            putIfSet(n, "deleted_threshold", o.deletedThreshold());
            putIfSet(n, "vacuum_min_vector_number", o.vacuumMinVectorNumber());
            putIfSet(n, "default_segment_number", o.defaultSegmentNumber());
            putIfSet(n, "max_segment_size", o.maxSegmentSize());
            putIfSet(n, "indexing_threshold", o.indexingThreshold());
            if (o.preventUnoptimized() != null) {
                n.put("prevent_unoptimized", o.preventUnoptimized());
            }
        }
        if (config.walOptions() != null) {
            WalOptions w = config.walOptions();
            root.putObject("wal_options").put("segment_capacity", w.segmentCapacity())
                    .put("segment_queue_len", w.segmentQueueLen()).put("retain_closed", w.retainClosed());
        }
        return root;
    }

    private static ObjectNode hnswJson(HnswConfig h) {
        ObjectNode n = JSON.createObjectNode();
        n.put("m", h.m()).put("ef_construct", h.efConstruct()).put("full_scan_threshold", h.fullScanThreshold())
                .put("max_indexing_threads", h.maxIndexingThreads());
        if (h.onDisk() != null) {
            n.put("on_disk", h.onDisk());
        }
        putIfSet(n, "payload_m", h.payloadM());
        if (h.inlineStorage() != null) {
            n.put("inline_storage", h.inlineStorage());
        }
        return n;
    }

    private static void putIfSet(ObjectNode n, String name, Number value) {
        if (value instanceof Double d) {
            n.put(name, d);
        } else if (value != null) {
            n.put(name, value.longValue());
        }
    }

    /** Writes {@code config} to {@code shardDir}, keeping the unmodeled settings of the file it replaces. */
    public static void write(Path shardDir, EdgeConfig config) {
        ObjectNode root = toJson(config);
        Path target = shardDir.resolve(FILE);
        if (Files.isRegularFile(target)) {
            try {
                JsonNode previous = JsonFiles.readTree(target);
                for (Map.Entry<String, JsonNode> e : previous.properties()) {
                    if (!MODELED.contains(e.getKey())) {
                        root.set(e.getKey(), e.getValue());
                    }
                }
            } catch (EdgeFormatException unreadable) {
                // a corrupt file is simply replaced
            }
        }
        Path temp = shardDir.resolve(FILE + ".tmp");
        try {
            Files.write(temp, JSON.writeValueAsBytes(root));
            Files.move(temp, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            throw new EdgeException("cannot write " + target + ": " + e.getMessage(), e);
        }
    }
}
