package dev.qdrantedge.engine.payload;

import dev.qdrantedge.engine.filter.FieldIndex;
import dev.qdrantedge.engine.filter.FieldIndexes;
import dev.qdrantedge.engine.filter.JsonPath;
import dev.qdrantedge.engine.filter.TextIndexParams;
import dev.qdrantedge.engine.io.JsonFiles;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import tools.jackson.databind.JsonNode;

/**
 * A segment's payload field indexes, as its {@code payload_index/config.json} lists them: {@code indexed_fields}
 * (payload path to Qdrant's field schema: a type name such as {@code "keyword"}, or an object with {@code type}
 * and parameters) and, since Qdrant 1.15, {@code indexed_types} (the index structures built for each field, in
 * the order Qdrant consults them). Without {@code indexed_types} the structures follow from the schema as
 * Qdrant builds them, with the null index every field gets. A segment without the file has no indexes; fields
 * whose path or schema this engine does not know are left out (their conditions are answered from the
 * payload).
 */
public final class PayloadIndexConfig {

    /** The file, relative to the segment directory. */
    public static final String FILE = "payload_index/config.json";

    private PayloadIndexConfig() {
    }

    /** The indexes of the segment in {@code segmentDir}. */
    public static FieldIndexes read(Path segmentDir) {
        Path file = segmentDir.resolve(FILE);
        if (!Files.isRegularFile(file)) {
            return FieldIndexes.NONE;
        }
        return parse(JsonFiles.readTree(file));
    }

    /** The indexes a {@code config.json} document describes. */
    public static FieldIndexes parse(JsonNode config) {
        JsonNode fields = config.get("indexed_fields");
        if (fields == null || !fields.isObject()) {
            return FieldIndexes.NONE;
        }
        JsonNode types = config.get("indexed_types");
        Map<JsonPath, List<FieldIndex>> out = new LinkedHashMap<>();
        for (Map.Entry<String, JsonNode> e : fields.properties()) {
            JsonPath key;
            try {
                key = JsonPath.parse(e.getKey());
            } catch (IllegalArgumentException notAPath) {
                continue;
            }
            JsonNode fieldTypes = types != null && types.isObject() ? types.get(e.getKey()) : null;
            out.put(key, fieldTypes != null && fieldTypes.isArray() ? fromTypes(e.getValue(), fieldTypes)
                    : fromSchema(e.getValue()));
        }
        return FieldIndexes.of(out);
    }

    /** The schema's type name in lower case ({@code ""} when it has none). */
    public static String typeName(JsonNode schema) {
        String type = schema.isString() ? schema.asString()
                : schema.isObject() && schema.has("type") && schema.get("type").isString()
                        ? schema.get("type").asString() : "";
        return type.toLowerCase(Locale.ROOT);
    }

    private static List<FieldIndex> fromTypes(JsonNode schema, JsonNode types) {
        List<FieldIndex> out = new ArrayList<>();
        for (JsonNode t : types) {
            JsonNode name = t.get("index_type");
            if (name == null || !name.isString()) {
                continue;
            }
            switch (name.asString()) {
                case "int_index" -> out.add(new FieldIndex.IntegerRange());
                case "int_map_index" -> out.add(new FieldIndex.IntegerLookup());
                case "keyword_index" -> out.add(new FieldIndex.Keyword());
                case "float_index" -> out.add(new FieldIndex.FloatRange());
                case "datetime_index" -> out.add(new FieldIndex.DatetimeRange());
                case "geo_index" -> out.add(new FieldIndex.GeoPoints());
                case "full_text_index" -> out.add(new FieldIndex.FullText(textParams(schema)));
                case "bool_index" -> out.add(new FieldIndex.Bool());
                case "uuid_map_index" -> out.add(new FieldIndex.Uuid());
                case "null_index" -> out.add(new FieldIndex.Null());
                default -> {
                    // uuid_index (numeric UUIDs of old segments) and unknown kinds serve no condition here
                }
            }
        }
        return out;
    }

    private static List<FieldIndex> fromSchema(JsonNode schema) {
        List<FieldIndex> out = new ArrayList<>();
        switch (typeName(schema)) {
            case "keyword" -> out.add(new FieldIndex.Keyword());
            case "integer" -> {
                if (flag(schema, "lookup", true)) {
                    out.add(new FieldIndex.IntegerLookup());
                }
                if (flag(schema, "range", true)) {
                    out.add(new FieldIndex.IntegerRange());
                }
            }
            case "float" -> out.add(new FieldIndex.FloatRange());
            case "geo" -> out.add(new FieldIndex.GeoPoints());
            case "text" -> out.add(new FieldIndex.FullText(textParams(schema)));
            case "bool" -> out.add(new FieldIndex.Bool());
            case "datetime" -> out.add(new FieldIndex.DatetimeRange());
            case "uuid" -> out.add(new FieldIndex.Uuid());
            default -> {
                return out;
            }
        }
        out.add(new FieldIndex.Null());
        return out;
    }

    /** The full-text parameters of a {@code text} schema (defaults for a bare {@code "text"}). */
    static TextIndexParams textParams(JsonNode schema) {
        if (!schema.isObject()) {
            return TextIndexParams.defaults();
        }
        TextIndexParams.Tokenizer tokenizer = TextIndexParams.Tokenizer.WORD;
        JsonNode t = schema.get("tokenizer");
        if (t != null && t.isString()) {
            tokenizer = switch (t.asString().toLowerCase(Locale.ROOT)) {
                case "word" -> TextIndexParams.Tokenizer.WORD;
                case "whitespace" -> TextIndexParams.Tokenizer.WHITESPACE;
                case "prefix" -> TextIndexParams.Tokenizer.PREFIX;
                case "multilingual" -> TextIndexParams.Tokenizer.MULTILINGUAL;
                default -> TextIndexParams.Tokenizer.OTHER;
            };
        }
        Set<String> languages = new LinkedHashSet<>();
        List<String> custom = new ArrayList<>();
        JsonNode stopwords = schema.get("stopwords");
        if (stopwords != null && stopwords.isString()) {
            languages.add(stopwords.asString().toLowerCase(Locale.ROOT));
        } else if (stopwords != null && stopwords.isObject()) {
            JsonNode langs = stopwords.get("languages");
            if (langs != null && langs.isArray()) {
                langs.forEach(l -> languages.add(l.asString().toLowerCase(Locale.ROOT)));
            }
            JsonNode words = stopwords.get("custom");
            if (words != null && words.isArray()) {
                words.forEach(w -> custom.add(w.asString()));
            }
        }
        String stemmer = null;
        JsonNode s = schema.get("stemmer");
        if (s != null && s.isObject() && "snowball".equals(typeName(s)) && s.has("language")) {
            stemmer = s.get("language").asString().toLowerCase(Locale.ROOT);
        }
        return new TextIndexParams(tokenizer, count(schema, "min_token_len"), count(schema, "max_token_len"),
                flag(schema, "lowercase", true), flag(schema, "ascii_folding", false),
                flag(schema, "phrase_matching", false), languages, custom, stemmer);
    }

    private static boolean flag(JsonNode schema, String name, boolean absent) {
        JsonNode v = schema.isObject() ? schema.get(name) : null;
        return v != null && v.isBoolean() ? v.booleanValue() : absent;
    }

    private static Integer count(JsonNode schema, String name) {
        JsonNode v = schema.get(name);
        return v != null && v.isIntegralNumber() && v.canConvertToInt() ? v.intValue() : null;
    }
}
