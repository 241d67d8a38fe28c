package dev.qdrantedge.engine.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.qdrantedge.engine.compat.ReferenceAnswers;
import dev.qdrantedge.engine.compat.ReferenceEngine;
import dev.qdrantedge.engine.compat.ReferenceShard;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

class EdgeCliTest {

    private static final JsonMapper JSON = JsonMapper.builder().build();

    @TempDir
    Path temp;

    private final StringWriter out = new StringWriter();
    private final ByteArrayOutputStream err = new ByteArrayOutputStream();

    @Test
    void dumpPrintsEveryPointAsOneJsonLineSortedById() {
        ReferenceShard reference = ReferenceEngine.require().build("named-all-kinds");
        ReferenceAnswers answers = reference.answers();

        assertThat(run("dump", reference.shardDir().toString())).isZero();

        List<String> lines = out.toString().lines().toList();
        assertThat(lines).hasSize((int) answers.count());
        for (int i = 0; i < lines.size(); i++) {
            JsonNode line = JSON.readTree(lines.get(i));
            JsonNode expected = answers.points().get(i);
            assertThat(line.get("id")).isEqualTo(expected.get("id"));
            assertThat(line.get("version").isIntegralNumber()).isTrue();
            assertThat(line.get("vectors").propertyNames()).containsExactlyInAnyOrderElementsOf(
                    expected.get("vector").propertyNames());
            assertThat(line.get("payload").propertyNames()).containsExactlyElementsOf(
                    expected.get("payload").propertyNames());
        }
    }

    @Test
    void infoPrintsCountsAndVectorConfiguration() {
        ReferenceShard reference = ReferenceEngine.require().build("named-all-kinds");

        assertThat(run("info", reference.shardDir().toString())).isZero();

        JsonNode info = JSON.readTree(out.toString());
        assertThat(info.get("points_count").asLong()).isEqualTo(reference.answers().count());
        assertThat(info.get("segments_count").asInt()).isEqualTo(1);
        assertThat(info.get("vectors").get("dot16").get("datatype").asString()).isEqualTo("float16");
        assertThat(info.get("vectors").get("colbert").get("multivector").asBoolean()).isTrue();
        assertThat(info.get("sparse_vectors").get("text").get("modifier").asString()).isEqualTo("idf");
    }

    @Test
    void aBrokenShardIsAnErrorNamingTheFileWithExitCode1() {
        assertThat(run("info", temp.resolve("nowhere").toString())).isEqualTo(1);
        assertThat(err.toString(StandardCharsets.UTF_8)).contains("nowhere").contains("not a directory");
        assertThat(out.toString()).isEmpty();
    }

    @Test
    void usageErrorsExitWith2() {
        assertThat(run("frobnicate", temp.toString())).isEqualTo(2);
        assertThat(err.toString(StandardCharsets.UTF_8)).contains("unknown command 'frobnicate'").contains("usage:");
        assertThat(run("dump")).isEqualTo(2);
    }

    private int run(String... args) {
        return EdgeCli.run(args, out, new PrintStream(err, true, StandardCharsets.UTF_8));
    }
}
