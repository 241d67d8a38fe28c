package dev.qdrantedge.engine.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.qdrantedge.engine.config.EdgeConfig;
import dev.qdrantedge.engine.config.VectorParams;
import dev.qdrantedge.engine.idtracker.PointId;
import dev.qdrantedge.engine.operation.PointStruct;
import dev.qdrantedge.engine.operation.UpsertPoints;
import dev.qdrantedge.engine.shard.EdgeShard;
import dev.qdrantedge.engine.vectors.DenseVector;
import dev.qdrantedge.engine.vectors.Distance;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

class SnapshotCommandsTest {

    private static final JsonMapper JSON = JsonMapper.builder().build();

    @TempDir
    Path temp;

    private StringWriter out = new StringWriter();
    private ByteArrayOutputStream err = new ByteArrayOutputStream();

    @Test
    void createUnpackManifestAndUpdate() throws Exception {
        Path shard = shard(temp.resolve("shard"), 1, 20);
        Path other = shard(temp.resolve("other"), 100, 7);
        Path archive = temp.resolve("other.snapshot");

        assertThat(run("create-snapshot", other.toString(), archive.toString())).isZero();
        assertThat(JSON.readTree(out.toString()).get("snapshot").asString()).isEqualTo(archive.toString());
        assertThat(archive).isRegularFile();

        Path unpacked = temp.resolve("unpacked");
        assertThat(run("unpack", archive.toString(), unpacked.toString())).isZero();
        assertThat(unpacked.resolve("segments")).isDirectory();

        assertThat(run("manifest", unpacked.toString())).isZero();
        JsonNode manifest = JSON.readTree(out.toString());
        assertThat(manifest.size()).isEqualTo(1);
        JsonNode segment = manifest.properties().iterator().next().getValue();
        assertThat(segment.get("file_versions").has("mutable_id_tracker.mappings")).isTrue();

        assertThat(run("update-from-snapshot", shard.toString(), archive.toString(), "--max-entries", "1000"))
                .isZero();
        assertThat(JSON.readTree(out.toString()).get("points_count").asLong()).isEqualTo(7);
        try (EdgeShard s = EdgeShard.openReadOnly(shard)) {
            assertThat(s.count()).isEqualTo(7);
        }
    }

    @Test
    void aRefusedArchiveIsAnErrorAndBadArgumentsAUsageError() throws Exception {
        Path shard = shard(temp.resolve("shard"), 1, 5);
        Path archive = temp.resolve("archive.tar");
        try (EdgeShard s = EdgeShard.load(shard)) {
            s.createSnapshot(archive);
        }
        assertThat(run("unpack", archive.toString(), temp.resolve("x").toString(), "--max-entry-bytes", "1000"))
                .isEqualTo(1);
        assertThat(err.toString(StandardCharsets.UTF_8)).startsWith("error: ").contains("limit");
        assertThat(temp.resolve("x")).doesNotExist();

        Files.writeString(temp.resolve("garbage.tar"), "not a tar archive at all");
        assertThat(run("update-from-snapshot", shard.toString(), temp.resolve("garbage.tar").toString())).isEqualTo(1);

        assertThat(run("unpack", archive.toString())).isEqualTo(2);
        assertThat(run("manifest", shard.toString(), "--max-entries")).isEqualTo(2);
        assertThat(run("update-from-snapshot", shard.toString(), archive.toString(), "--bogus", "1")).isEqualTo(2);
        assertThat(err.toString(StandardCharsets.UTF_8)).contains("create-snapshot <shard-dir> <archive>");
    }

    private int run(String... args) {
        out = new StringWriter();
        err = new ByteArrayOutputStream();
        return EdgeCli.run(args, out, new PrintStream(err, true, StandardCharsets.UTF_8));
    }

    private static Path shard(Path dir, int first, int count) {
        try (EdgeShard shard = EdgeShard.create(dir, EdgeConfig.of(new VectorParams(2, Distance.DOT)))) {
            List<PointStruct> points = new ArrayList<>();
            for (int i = first; i < first + count; i++) {
                points.add(new PointStruct(PointId.of(i), Map.of("", new DenseVector(new float[] {i, 1})),
                        Optional.empty()));
            }
            shard.update(new UpsertPoints(points));
        }
        return dir;
    }
}
