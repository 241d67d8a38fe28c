package dev.qdrantedge.engine.optimize;

import static org.assertj.core.api.Assertions.assertThat;

import dev.qdrantedge.engine.filter.FieldIndex;
import dev.qdrantedge.engine.filter.FieldIndexes;
import dev.qdrantedge.engine.filter.JsonPath;
import dev.qdrantedge.engine.io.JsonFiles;
import dev.qdrantedge.engine.payload.PayloadIndexConfig;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The indexed fields an optimized segment takes over: the union of the source segments' {@code indexed_fields},
 * a later segment's schema replacing an earlier one's; written without index types, read back by the engine's
 * reader with the structures the schemas imply.
 */
class IndexedFieldSchemasTest {

    @TempDir
    Path temp;

    @Test
    void mergesTheSourceSchemasAndWritesThemForTheNewSegment() throws IOException {
        Path first = segment("a", "{\"indexed_fields\":{\"k\":\"keyword\",\"n\":\"float\"},"
                + "\"indexed_types\":{\"k\":[{\"index_type\":\"keyword_index\",\"mutability\":\"mutable\","
                + "\"storage\":\"gridstore\"},{\"index_type\":\"null_index\",\"mutability\":\"mutable\","
                + "\"storage\":\"gridstore\"}]}}");
        Path second = segment("b", "{\"indexed_fields\":{\"n\":{\"type\":\"integer\",\"lookup\":false},"
                + "\"t\":{\"type\":\"text\",\"tokenizer\":\"whitespace\"}}}");
        Path none = temp.resolve("c");
        Files.createDirectories(none);

        IndexedFieldSchemas merged = IndexedFieldSchemas.of(List.of(first, none, second));
        assertThat(merged.schemas().keySet()).containsExactly("k", "n", "t");
        assertThat(merged.schemas().get("n").toString()).isEqualTo("{\"type\":\"integer\",\"lookup\":false}");

        Path target = temp.resolve("new");
        Files.createDirectories(target.resolve("payload_index"));
        merged.writeTo(target);
        assertThat(JsonFiles.readTree(target.resolve(PayloadIndexConfig.FILE)).toString()).isEqualTo(
                "{\"indexed_fields\":{\"k\":\"keyword\",\"n\":{\"type\":\"integer\",\"lookup\":false},"
                        + "\"t\":{\"type\":\"text\",\"tokenizer\":\"whitespace\"}}}");
        FieldIndexes indexes = PayloadIndexConfig.read(target);
        assertThat(indexes.get(JsonPath.parse("k"))).hasExactlyElementsOfTypes(FieldIndex.Keyword.class,
                FieldIndex.Null.class);
        assertThat(indexes.get(JsonPath.parse("n"))).hasExactlyElementsOfTypes(FieldIndex.IntegerRange.class,
                FieldIndex.Null.class);
        assertThat(indexes.get(JsonPath.parse("t"))).hasExactlyElementsOfTypes(FieldIndex.FullText.class,
                FieldIndex.Null.class);
        assertThat(IndexedFieldSchemas.of(List.of(none)).schemas()).isEmpty();
    }

    private Path segment(String name, String config) throws IOException {
        Path dir = temp.resolve(name);
        Files.createDirectories(dir.resolve("payload_index"));
        Files.writeString(dir.resolve(PayloadIndexConfig.FILE), config);
        return dir;
    }
}
