package dev.qdrantedge.engine.segment;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.qdrantedge.engine.EdgeFormatException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SegmentDirectoriesTest {

    @TempDir
    Path segments;

    @Test
    void skipsWhatQdrantDoesNotLoad() throws IOException {
        complete("b0c1d2e3-0000-4000-8000-000000000002");
        complete("a0c1d2e3-0000-4000-8000-000000000001");
        complete(".hidden");
        complete("a0c1d2e3-0000-4000-8000-000000000003.deleted");
        Files.createDirectories(segments.resolve("c0c1d2e3-0000-4000-8000-000000000004")); // no version.info
        Files.writeString(segments.resolve("stray-file"), "x");

        assertThat(SegmentDirectories.scan(segments)).extracting(p -> p.getFileName().toString())
                .containsExactly("a0c1d2e3-0000-4000-8000-000000000001", "b0c1d2e3-0000-4000-8000-000000000002");
    }

    @Test
    void refusesANewerSegmentFormat() throws IOException {
        Path dir = Files.createDirectories(segments.resolve("s"));
        Files.writeString(dir.resolve("version.info"), "0.7.0");
        assertThatThrownBy(() -> SegmentDirectories.checkVersion(dir))
                .isInstanceOf(EdgeFormatException.class)
                .hasMessageContaining("version.info")
                .hasMessageContaining("newer");
        Files.writeString(dir.resolve("version.info"), "0.6.0");
        SegmentDirectories.checkVersion(dir);
    }

    @Test
    void aMissingSegmentJsonIsAnErrorNamingIt() throws IOException {
        Path dir = complete("d0c1d2e3-0000-4000-8000-000000000005");
        assertThatThrownBy(() -> Segment.open(dir))
                .isInstanceOf(EdgeFormatException.class)
                .hasMessageContaining(dir.resolve("segment.json").toString())
                .hasMessageContaining("missing");
    }

    @Test
    void anUnknownStorageTypeIsAnErrorNamingTheFile() throws IOException {
        Path dir = complete("e0c1d2e3-0000-4000-8000-000000000006");
        Files.writeString(dir.resolve("segment.json"), "{\"initial_version\":null,\"version\":3,\"config\":"
                + "{\"vector_data\":{\"\":{\"size\":4,\"distance\":\"Dot\",\"storage_type\":\"Quantum\","
                + "\"index\":{\"type\":\"plain\",\"options\":{}},\"quantization_config\":null}},"
                + "\"payload_storage_type\":{\"type\":\"mmap\"}}}");
        assertThatThrownBy(() -> SegmentState.read(dir))
                .isInstanceOf(EdgeFormatException.class)
                .hasMessageContaining("segment.json")
                .hasMessageContaining("unknown vector storage type 'Quantum'");
    }

    @Test
    void toleratesFieldsNewerServersAdd() throws IOException {
        Path dir = complete("f0c1d2e3-0000-4000-8000-000000000007");
        Files.writeString(dir.resolve("segment.json"), "{\"initial_version\":5,\"version\":9,\"future\":1,\"config\":"
                + "{\"vector_data\":{\"v\":{\"size\":4,\"distance\":\"Cosine\",\"storage_type\":\"InRamMmap\","
                + "\"index\":{\"type\":\"hnsw\",\"options\":{\"m\":16,\"memory\":\"cached\"}},"
                + "\"quantization_config\":null,\"datatype\":\"float16\",\"new_knob\":true}},"
                + "\"payload_storage_type\":{\"type\":\"mmap\"}}}");
        SegmentState state = SegmentState.read(dir);
        assertThat(state.version()).hasValue(9);
        assertThat(state.initialVersion()).hasValue(5);
        assertThat(state.appendable()).isFalse();
        assertThat(state.vectorData().get("v").datatype().jsonName()).isEqualTo("float16");
    }

    private Path complete(String name) throws IOException {
        Path dir = Files.createDirectories(segments.resolve(name));
        Files.writeString(dir.resolve("version.info"), "0.6.0");
        return dir;
    }
}
