package dev.qdrantedge.engine.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.qdrantedge.engine.compat.ReferenceEngine;
import dev.qdrantedge.engine.compat.ReferenceShard;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** The packaged {@code edge-engine-cli.jar} runs on its own with {@code java -jar}. */
class EdgeCliJarIT {

    @Test
    void theSelfContainedJarDumpsAShard() throws Exception {
        ReferenceShard reference = ReferenceEngine.require().build("basic");
        Path jar = Path.of("target", "edge-engine-cli.jar").toAbsolutePath();
        assertThat(jar).exists();
        Path java = Path.of(System.getProperty("java.home"), "bin", "java");

        Process process = new ProcessBuilder(java.toString(), "-jar", jar.toString(), "dump",
                reference.shardDir().toString()).redirectErrorStream(true).start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(process.waitFor(60, TimeUnit.SECONDS)).isTrue();

        assertThat(process.exitValue()).as(output).isZero();
        List<String> lines = output.lines().toList();
        assertThat(lines).hasSize((int) reference.answers().count());
        assertThat(lines.get(0)).startsWith("{\"id\":1,\"version\":");
        assertThat(Files.exists(jar)).isTrue();
    }
}
