package dev.qdrantedge.engine.shard;

import static dev.qdrantedge.engine.shard.ShardWriteCompatTest.assertSamePoints;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.qdrantedge.engine.compat.ReferenceAnswers;
import dev.qdrantedge.engine.compat.ReferenceEngine;
import dev.qdrantedge.engine.compat.ReferenceShard;
import dev.qdrantedge.engine.config.EdgeConfigFile;
import dev.qdrantedge.engine.idtracker.PointId;
import dev.qdrantedge.engine.operation.UpdateOperation;
import dev.qdrantedge.engine.wal.WalReader;
import dev.qdrantedge.engine.wal.WalRecord;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Operations that list points the shard does not have ({@code compat/scenarios/missing-points.json}): the
 * reference engine applies them 32 listed points at a time, stops after the batch naming a missing point and
 * reports it. Replaying its WAL and applying the same operations here give its points exactly, and
 * {@link EdgeShard#update} reports the same missing points.
 */
class MissingPointsCompatTest {

    private static final JsonMapper JSON = JsonMapper.builder().build();

    @TempDir
    Path temp;

    @Test
    void replayingTheReferenceWalGivesTheReferenceEnginesPoints() {
        ReferenceShard reference = ReferenceEngine.require().build("missing-points");
        Path dir = reference.copyTo(temp.resolve("copy"));
        try (EdgeShard shard = EdgeShard.openReadOnly(dir)) {
            assertSamePoints(shard, reference.answers(), "replayed in memory");
        }
        try (EdgeShard shard = EdgeShard.load(dir)) {
            assertSamePoints(shard, reference.answers(), "replayed into the segments");
        }
        try (EdgeShard shard = EdgeShard.load(dir)) {
            assertSamePoints(shard, reference.answers(), "after the replayed entries were flushed");
        }
    }

    @Test
    void theSameUpdatesReportTheMissingPointsAndLeaveTheReferenceEnginesPoints() throws IOException {
        ReferenceEngine engine = ReferenceEngine.require();
        ReferenceShard reference = engine.build("missing-points");
        JsonNode scenario = JSON.readTree(Files.readString(engine.scenarioFile("missing-points")));
        List<JsonNode> logged = new ArrayList<>();
        scenario.get("operations").forEach(op -> {
            if (!op.get("op").asString().equals("flush")) {
                logged.add(op);
            }
        });
        List<UpdateOperation> operations = new ArrayList<>();
        try (WalReader wal = WalReader.open(reference.shardDir().resolve(EdgeShard.WAL_DIR))) {
            for (WalRecord record : wal.records(0)) {
                operations.add(record.operation());
            }
        }
        assertThat(operations).hasSameSizeAs(logged);

        Path dir = temp.resolve("java");
        try (EdgeShard shard = EdgeShard.create(dir, EdgeConfigFile.read(reference.shardDir()).orElseThrow())) {
            for (int i = 0; i < operations.size(); i++) {
                UpdateOperation op = operations.get(i);
                JsonNode expectedError = logged.get(i).get("expect_error");
                if (expectedError == null) {
                    assertThat(shard.update(op)).isEqualTo(i);
                    continue;
                }
                long index = i;
                assertThatThrownBy(() -> shard.update(op)).as(op.variant())
                        .isInstanceOfSatisfying(PointNotFoundException.class, e -> {
                            assertThat(e.pointId()).isEqualTo(PointId.of(Long.parseLong(expectedError.asString())));
                            assertThat(e.operationNumber()).isEqualTo(index);
                        })
                        .hasMessageContaining("no point with id " + expectedError.asString());
            }
            assertSamePoints(shard, reference.answers(), "Java's updates");
        }
        ReferenceAnswers loaded = engine.inspect(dir, temp.resolve("answers"));
        assertThat(loaded.points()).as("Java's shard in the reference engine").isEqualTo(reference.answers().points());
    }
}
