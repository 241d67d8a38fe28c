package dev.qdrantedge.engine.shard;

import static org.assertj.core.api.Assertions.assertThat;

import dev.qdrantedge.engine.config.EdgeConfig;
import dev.qdrantedge.engine.config.VectorParams;
import dev.qdrantedge.engine.idtracker.PointId;
import dev.qdrantedge.engine.operation.PointStruct;
import dev.qdrantedge.engine.operation.SetPayload;
import dev.qdrantedge.engine.operation.UpsertPoints;
import dev.qdrantedge.engine.vectors.DenseVector;
import dev.qdrantedge.engine.vectors.Distance;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.node.JsonNodeFactory;

/**
 * Opening a flushed shard replays the WAL entries it keeps, as Qdrant does: a point a segment holds at the
 * entry's own operation number already has that entry's effect and is left in its segment (no in-memory copy
 * shadows it), while the entries the segments lack are applied.
 */
class WalReplayVersionTest {

    @TempDir
    Path temp;

    private static EdgeConfig config() {
        return new EdgeConfig(Map.of("", new VectorParams(2, Distance.DOT)));
    }

    private static PointStruct point(long id) {
        return new PointStruct(PointId.of(id), Map.of("", new DenseVector(new float[] {id, 1})),
                Optional.of(JsonNodeFactory.instance.objectNode().put("n", id)));
    }

    private static long replayedParts(EdgeShard shard) {
        return shard.searchSource().parts().stream().filter(p -> p.getClass().getSimpleName().equals("ReplayedPart"))
                .count();
    }

    @Test
    void theLastFlushedEntryIsNotAppliedAgainOnOpening() {
        Path dir = temp.resolve("shard");
        try (EdgeShard shard = EdgeShard.create(dir, config())) {
            shard.update(new UpsertPoints(List.of(point(1), point(2))));
            shard.update(new UpsertPoints(List.of(point(3), point(4))));
            shard.flush();
        }
        try (EdgeShard shard = EdgeShard.openReadOnly(dir)) {
            assertThat(replayedParts(shard)).as("no point held again in memory").isZero();
            assertThat(shard.count(null)).isEqualTo(4);
        }
        try (EdgeShard shard = EdgeShard.load(dir)) {
            assertThat(replayedParts(shard)).isZero();
            shard.update(new SetPayload(JsonNodeFactory.instance.objectNode().put("k", 1),
                    Optional.of(List.of(PointId.of(3))), Optional.empty(), Optional.empty()));
        }
        try (EdgeShard shard = EdgeShard.openReadOnly(dir)) {
            assertThat(shard.retrieve(List.of(PointId.of(3)), true, false).get(0).payload().toString())
                    .isEqualTo("{\"n\":3,\"k\":1}");
        }
    }
}
