package dev.qdrantedge.engine.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.qdrantedge.engine.idtracker.PointId;
import dev.qdrantedge.engine.operation.DeletePoints;
import dev.qdrantedge.engine.optimize.OptimizeCrashTest;
import dev.qdrantedge.engine.shard.EdgeShard;
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

/** {@code optimize <shard-dir>} builds the index the shard's optimizer settings ask for and prints it as JSON. */
class EdgeCliOptimizeTest {

    private static final JsonMapper JSON = JsonMapper.builder().build();

    @TempDir
    Path temp;

    @Test
    void optimizePrintsTheSegmentsItBuiltAndThenNothingMore() {
        Path dir = temp.resolve("shard");
        try (EdgeShard shard = EdgeShard.create(dir, OptimizeCrashTest.config())) {
            OptimizeCrashTest.fill(shard, 0, 300, 3);
            shard.update(new DeletePoints(List.of(PointId.of(1_000_000))));
        }
        StringWriter out = new StringWriter();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int code = EdgeCli.run(new String[] {"optimize", dir.toString()}, out,
                new PrintStream(err, true, StandardCharsets.UTF_8));
        assertThat(code).as(err.toString(StandardCharsets.UTF_8)).isZero();
        JsonNode report = JSON.readTree(out.toString());
        assertThat(report.get("optimized")).hasSize(1);
        JsonNode built = report.get("optimized").get(0);
        assertThat(built.get("points").asInt()).isEqualTo(300);
        assertThat(built.get("replaced")).hasSize(1);
        assertThat(built.get("indexed_vectors").get(0).asString()).isEqualTo("v");
        assertThat(report.get("points_count").asLong()).isEqualTo(300);
        assertThat(report.get("indexed_vectors_count").asLong()).isEqualTo(300);
        assertThat(report.get("segments_count").asInt()).isEqualTo(2); // the indexed one and a new appendable one

        StringWriter again = new StringWriter();
        assertThat(EdgeCli.run(new String[] {"optimize", dir.toString()}, again,
                new PrintStream(err, true, StandardCharsets.UTF_8))).isZero();
        assertThat(JSON.readTree(again.toString()).get("optimized")).isEmpty();
    }
}
