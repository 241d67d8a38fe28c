package dev.qdrantedge.engine.optimize;

import dev.qdrantedge.engine.io.JsonFiles;
import dev.qdrantedge.engine.payload.PayloadIndexConfig;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

/**
 * The payload field indexes an optimized segment carries over from the segments it replaces: the union of their
 * {@code indexed_fields} (payload path to field schema), a later source's schema replacing an earlier one for the
 * same path, as Qdrant's segment builder collects them.
 *
 * <p>The new segment's {@code payload_index/config.json} lists these schemas without {@code indexed_types} and
 * without index data: Qdrant, finding no index files for a listed field when it loads the segment, builds the
 * field's index from the payload storage (and records its structures), and this engine derives the index
 * semantics from the schema ({@link PayloadIndexConfig}).
 */
public final class IndexedFieldSchemas {

    private static final JsonMapper JSON = JsonMapper.builder().build();

    private final Map<String, JsonNode> schemas;

    private IndexedFieldSchemas(Map<String, JsonNode> schemas) {
        this.schemas = Collections.unmodifiableMap(schemas);
    }

    /** No indexed fields. */
    public static IndexedFieldSchemas none() {
        return new IndexedFieldSchemas(new LinkedHashMap<>());
    }

    /** The merged schemas of the segments in {@code segmentDirs}, in that order. */
    public static IndexedFieldSchemas of(List<Path> segmentDirs) {
        Map<String, JsonNode> merged = new LinkedHashMap<>();
        for (Path dir : segmentDirs) {
            Path file = dir.resolve(PayloadIndexConfig.FILE);
            if (!Files.isRegularFile(file)) {
                continue;
            }
            JsonNode fields = JsonFiles.readTree(file).get("indexed_fields");
            if (fields != null && fields.isObject()) {
                for (Map.Entry<String, JsonNode> e : fields.properties()) {
                    merged.remove(e.getKey());
                    merged.put(e.getKey(), e.getValue());
                }
            }
        }
        return new IndexedFieldSchemas(merged);
    }

    /** Payload path to field schema, as the source segments list them. */
    public Map<String, JsonNode> schemas() {
        return schemas;
    }

    /** Writes the segment's {@code payload_index/config.json} listing the schemas (replacing the file). */
    void writeTo(Path segmentDir) {
        ObjectNode root = JSON.createObjectNode();
        ObjectNode fields = root.putObject("indexed_fields");
        schemas.forEach(fields::set);
        Path file = segmentDir.resolve(PayloadIndexConfig.FILE);
        try {
            // the segment is staged: it is forced to the device as a whole before it is switched in
            Files.write(file, JSON.writeValueAsString(root).getBytes(StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + file, e);
        }
    }
}
