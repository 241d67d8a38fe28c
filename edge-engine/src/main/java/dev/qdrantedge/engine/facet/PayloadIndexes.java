package dev.qdrantedge.engine.facet;

import dev.qdrantedge.engine.filter.JsonPath;
import dev.qdrantedge.engine.io.JsonFiles;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import tools.jackson.databind.JsonNode;

/**
 * The payload indexes of a shard's segments, as each segment's {@code payload_index/config.json} lists them
 * ({@code indexed_fields}: field name to schema, a type name or an object with {@code type} and options).
 */
public final class PayloadIndexes {

    static final String CONFIG = "payload_index/config.json";

    private PayloadIndexes() {
    }

    /**
     * The facetable index on {@code key} in any of the segments, or empty when no segment has one (a
     * keyword, uuid or bool index, or an integer index with its lookup map).
     */
    public static Optional<FacetIndexKind> facetIndex(List<Path> segmentDirs, JsonPath key) {
        for (Path dir : segmentDirs) {
            Path file = dir.resolve(CONFIG);
            if (!Files.isRegularFile(file)) {
                continue;
            }
            JsonNode fields = JsonFiles.readTree(file).get("indexed_fields");
            if (fields == null || !fields.isObject()) {
                continue;
            }
            for (Map.Entry<String, JsonNode> e : fields.properties()) {
                if (samePath(e.getKey(), key)) {
                    Optional<FacetIndexKind> kind = kind(e.getValue());
                    if (kind.isPresent()) {
                        return kind;
                    }
                }
            }
        }
        return Optional.empty();
    }

    private static boolean samePath(String field, JsonPath key) {
        try {
            return JsonPath.parse(field).equals(key);
        } catch (IllegalArgumentException e) {
            return false;
        }
    }

    private static Optional<FacetIndexKind> kind(JsonNode schema) {
        String type = schema.isString() ? schema.asString()
                : schema.isObject() && schema.has("type") ? schema.get("type").asString() : "";
        switch (type.toLowerCase(Locale.ROOT)) {
            case "keyword":
                return Optional.of(FacetIndexKind.KEYWORD);
            case "integer":
                JsonNode lookup = schema.isObject() ? schema.get("lookup") : null;
                return lookup != null && lookup.isBoolean() && !lookup.booleanValue() ? Optional.empty()
                        : Optional.of(FacetIndexKind.INTEGER);
            case "uuid":
                return Optional.of(FacetIndexKind.UUID);
            case "bool":
                return Optional.of(FacetIndexKind.BOOL);
            default:
                return Optional.empty();
        }
    }
}
