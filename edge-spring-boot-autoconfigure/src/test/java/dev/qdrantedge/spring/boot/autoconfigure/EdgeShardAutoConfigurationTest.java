package dev.qdrantedge.spring.boot.autoconfigure;

import static org.assertj.core.api.Assertions.assertThat;

import dev.qdrantedge.engine.config.EdgeConfig;
import dev.qdrantedge.engine.config.HnswConfig;
import dev.qdrantedge.engine.config.SparseVectorParams;
import dev.qdrantedge.engine.config.VectorParams;
import dev.qdrantedge.engine.idtracker.PointId;
import dev.qdrantedge.engine.operation.PointStruct;
import dev.qdrantedge.engine.operation.UpsertPoints;
import dev.qdrantedge.engine.shard.EdgeShard;
import dev.qdrantedge.engine.vectors.DenseVector;
import dev.qdrantedge.engine.vectors.Distance;
import dev.qdrantedge.engine.vectors.VectorDatatype;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

class EdgeShardAutoConfigurationTest {

    @TempDir
    Path temp;

    private final ApplicationContextRunner runner = new ApplicationContextRunner()
            .withConfiguration(AutoConfigurations.of(EdgeShardAutoConfiguration.class));

    @Test
    void createsTheShardOnFirstStartAndLoadsItAfterwards() {
        Path path = temp.resolve("shard");
        String[] properties = {"qdrant.edge.path=" + path, "qdrant.edge.vectors.text.size=8",
            "qdrant.edge.vectors.text.distance=Dot"};
        runner.withPropertyValues(properties).run(context -> {
            assertThat(context).hasSingleBean(EdgeShard.class);
            assertThat(context.getBean(EdgeShard.class).count()).isZero();
        });
        assertThat(path.resolve("edge_config.json")).content().contains("\"text\":{\"size\":8,\"distance\":\"Dot\"}");
        runner.withPropertyValues("qdrant.edge.path=" + path).run(context ->
                assertThat(context.getBean(EdgeShard.class).directory()).isEqualTo(path));
    }

    @Test
    void createsTheShardFromTheFullVectorConfiguration() {
        Path path = temp.resolve("full");
        runner.withPropertyValues("qdrant.edge.path=" + path,
                "qdrant.edge.vectors.text.size=4", "qdrant.edge.vectors.text.distance=euclid",
                "qdrant.edge.vectors.text.datatype=float16", "qdrant.edge.vectors.text.on-disk=true",
                "qdrant.edge.vectors.text.hnsw.m=32", "qdrant.edge.vectors.text.hnsw.ef-construct=200",
                "qdrant.edge.vectors.colbert.size=3", "qdrant.edge.vectors.colbert.multivector.comparator=max_sim",
                "qdrant.edge.sparse-vectors.bm25.modifier=idf", "qdrant.edge.sparse-vectors.bm25.on-disk=true",
                "qdrant.edge.on-disk-payload=false").run(context -> {
                    EdgeConfig config = context.getBean(EdgeShard.class).config().orElseThrow();
                    assertThat(config.vectors()).containsExactly(
                            Map.entry("text", new VectorParams(4, Distance.EUCLID, VectorDatatype.FLOAT16, false, true,
                                    new HnswConfig(32, 200, 10_000, 0, null, null, null))),
                            Map.entry("colbert", new VectorParams(3, Distance.COSINE, VectorDatatype.FLOAT32, true, null,
                                    null)));
                    assertThat(config.sparseVectors()).containsExactly(Map.entry("bm25", new SparseVectorParams(true, true, null)));
                    assertThat(config.onDiskPayload()).isFalse();
                });
        assertThat(path.resolve("edge_config.json")).content()
                .contains("\"on_disk_payload\":false")
                .contains("\"multivector_config\":{\"comparator\":\"max_sim\"}")
                .contains("\"datatype\":\"float16\"")
                .contains("\"modifier\":\"idf\"");
    }

    @Test
    void configuredVectorsMustAgreeWithAnExistingShard() {
        Path path = temp.resolve("agree");
        runner.withPropertyValues("qdrant.edge.path=" + path, "qdrant.edge.vectors.text.size=8").run(context ->
                assertThat(context).hasNotFailed());
        runner.withPropertyValues("qdrant.edge.path=" + path, "qdrant.edge.vectors.text.size=16").run(context ->
                assertThat(context).getFailure().rootCause()
                        .hasMessageContaining("incompatible with its segments")
                        .hasMessageContaining("'text'"));
    }

    @Test
    void closingTheContextFlushesTheShardAndReleasesIt() throws IOException {
        Path path = temp.resolve("flushed");
        // No background flush: only the shutdown can move the point from the WAL into the segments.
        runner.withPropertyValues("qdrant.edge.path=" + path, "qdrant.edge.vectors.v.size=2",
                "qdrant.edge.flush-interval=0").run(context -> context.getBean(EdgeShard.class).update(new UpsertPoints(
                        List.of(new PointStruct(PointId.of(7), Map.of("v", new DenseVector(new float[] {1, 2})),
                                Optional.empty())))));
        // A copy without the WAL still holds the point: closing the context wrote it into the segments.
        Path segmentsOnly = temp.resolve("segments-only");
        copyWithoutWal(path, segmentsOnly);
        try (EdgeShard copy = EdgeShard.openReadOnly(segmentsOnly)) {
            assertThat(copy.count(null)).isEqualTo(1);
        }
        try (EdgeShard reopened = EdgeShard.load(path)) {
            assertThat(reopened.count(null)).as("the directory lock was released").isEqualTo(1);
        }
    }

    @Test
    void groupedSyncsAreAppliedToTheShard() {
        Path path = temp.resolve("grouped");
        runner.withPropertyValues("qdrant.edge.path=" + path, "qdrant.edge.vectors.v.size=2",
                "qdrant.edge.fsync=GROUPED", "qdrant.edge.fsync-interval=50ms").run(context -> {
                    EdgeShard shard = context.getBean(EdgeShard.class);
                    shard.update(new UpsertPoints(List.of(new PointStruct(PointId.of(1),
                            Map.of("v", new DenseVector(new float[] {1, 0})), Optional.empty()))));
                    assertThat(shard.count(null)).isEqualTo(1);
                });
    }

    @Test
    void withoutVectorsANewShardFailsAtStartWithAClearMessage() {
        runner.withPropertyValues("qdrant.edge.path=" + temp.resolve("none")).run(context ->
                assertThat(context).getFailure().rootCause()
                        .hasMessageContaining("qdrant.edge.vectors is empty"));
    }

    @Test
    void anInvalidDistanceFailsAtStartNamingTheProperty() {
        runner.withPropertyValues("qdrant.edge.path=" + temp.resolve("bad"), "qdrant.edge.vectors.v.size=4",
                "qdrant.edge.vectors.v.distance=Hamming").run(context ->
                assertThat(context).getFailure().rootCause()
                        .hasMessageContaining("qdrant.edge.vectors.v.distance")
                        .hasMessageContaining("Hamming"));
        assertThat(temp.resolve("bad")).doesNotExist();
    }

    @Test
    void aUserDefinedShardWins() {
        Path path = temp.resolve("own");
        runner.withPropertyValues("qdrant.edge.path=" + temp.resolve("unused"))
                .withBean(EdgeShard.class, () -> EdgeShard.create(path, props(path).edgeConfig()))
                .run(context -> assertThat(context.getBean(EdgeShard.class).directory()).isEqualTo(path));
        assertThat(temp.resolve("unused")).doesNotExist();
    }

    private static EdgeProperties props(Path path) {
        EdgeProperties p = new EdgeProperties();
        p.setPath(path);
        EdgeProperties.Vector v = new EdgeProperties.Vector();
        v.setSize(3);
        p.getVectors().put("v", v);
        return p;
    }

    private static void copyWithoutWal(Path from, Path to) throws IOException {
        Path wal = from.resolve(EdgeShard.WAL_DIR);
        try (Stream<Path> files = Files.walk(from)) {
            for (Path p : files.filter(p -> !p.startsWith(wal)).toList()) {
                Path target = to.resolve(from.relativize(p).toString());
                if (Files.isDirectory(p)) {
                    Files.createDirectories(target);
                } else {
                    Files.copy(p, target);
                }
            }
        }
    }
}
