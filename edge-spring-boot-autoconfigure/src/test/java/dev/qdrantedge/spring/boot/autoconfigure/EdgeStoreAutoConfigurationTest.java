package dev.qdrantedge.spring.boot.autoconfigure;

import static org.assertj.core.api.Assertions.assertThat;

import dev.qdrantedge.engine.EdgeOperations;
import dev.qdrantedge.engine.config.EdgeConfig;
import dev.qdrantedge.engine.config.HnswConfig;
import dev.qdrantedge.engine.config.SparseVectorParams;
import dev.qdrantedge.engine.config.VectorParams;
import dev.qdrantedge.engine.idtracker.PointId;
import dev.qdrantedge.engine.operation.PointStruct;
import dev.qdrantedge.engine.operation.UpsertPoints;
import dev.qdrantedge.engine.shard.EdgeShard;
import dev.qdrantedge.engine.sync.EdgeStore;
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

class EdgeStoreAutoConfigurationTest {

    @TempDir
    Path temp;

    private final ApplicationContextRunner runner = new ApplicationContextRunner()
            .withConfiguration(AutoConfigurations.of(EdgeStoreAutoConfiguration.class));

    @Test
    void createsTheStoreOnFirstStartAndLoadsItAfterwards() {
        Path path = temp.resolve("store");
        String[] properties = {"qdrant.edge.path=" + path, "qdrant.edge.vectors.text.size=8",
            "qdrant.edge.vectors.text.distance=Dot"};
        runner.withPropertyValues(properties).run(context -> {
            assertThat(context).hasSingleBean(EdgeStore.class).hasSingleBean(EdgeOperations.class);
            assertThat(context.getBean(EdgeStore.class).count(null)).isZero();
            assertThat(context.getBean(EdgeOperations.class)).isSameAs(context.getBean(EdgeStore.class));
        });
        assertThat(path.resolve("local/edge_config.json")).content()
                .contains("\"text\":{\"size\":8,\"distance\":\"Dot\"}");
        assertThat(path.resolve("outbox")).isDirectory();
        runner.withPropertyValues("qdrant.edge.path=" + path).run(context ->
                assertThat(context.getBean(EdgeStore.class).directory()).isEqualTo(path));
    }

    @Test
    void withoutAServerWritesStayInTheOutboxForLater() {
        Path path = temp.resolve("offline");
        runner.withPropertyValues("qdrant.edge.path=" + path, "qdrant.edge.vectors.v.size=2").run(context -> {
            EdgeStore store = context.getBean(EdgeStore.class);
            store.update(upsert(1, 1, 2));
            assertThat(store.outbox().backlog()).isEqualTo(1);
        });
        runner.withPropertyValues("qdrant.edge.path=" + path).run(context -> {
            EdgeStore store = context.getBean(EdgeStore.class);
            assertThat(store.count(null)).isEqualTo(1);
            assertThat(store.outbox().backlog()).as("kept across the restart").isEqualTo(1);
        });
    }

    @Test
    void aBareShardInThePathIsRefusedWithHowToKeepIt() {
        Path path = temp.resolve("bare");
        EdgeShard.create(path, props(path).edgeConfig()).close();
        runner.withPropertyValues("qdrant.edge.path=" + path, "qdrant.edge.vectors.v.size=3").run(context ->
                assertThat(context).getFailure().rootCause()
                        .hasMessageContaining("holds a bare shard")
                        .hasMessageContaining("move the shard's files into " + path.resolve("local")));
        assertThat(path.resolve("local")).doesNotExist();
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
                    EdgeConfig config = context.getBean(EdgeStore.class).config();
                    assertThat(config.vectors()).containsExactly(
                            Map.entry("text", new VectorParams(4, Distance.EUCLID, VectorDatatype.FLOAT16, false, true,
                                    new HnswConfig(32, 200, 10_000, 0, null, null, null))),
                            Map.entry("colbert", new VectorParams(3, Distance.COSINE, VectorDatatype.FLOAT32, true, null,
                                    null)));
                    assertThat(config.sparseVectors()).containsExactly(Map.entry("bm25", new SparseVectorParams(true, true, null)));
                    assertThat(config.onDiskPayload()).isFalse();
                });
        assertThat(path.resolve("local/edge_config.json")).content()
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
    void closingTheContextFlushesTheStoreAndReleasesIt() throws IOException {
        Path path = temp.resolve("flushed");
        // No background flush: only the shutdown can move the point from the WAL into the segments.
        runner.withPropertyValues("qdrant.edge.path=" + path, "qdrant.edge.vectors.v.size=2",
                "qdrant.edge.flush-interval=0").run(context -> context.getBean(EdgeStore.class).update(upsert(7, 1, 2)));
        // A copy of the local shard without the WAL still holds the point: closing the context wrote it into the
        // segments.
        Path segmentsOnly = temp.resolve("segments-only");
        copyWithoutWal(path.resolve(EdgeStore.LOCAL_DIR), segmentsOnly);
        try (EdgeShard copy = EdgeShard.openReadOnly(segmentsOnly)) {
            assertThat(copy.count(null)).isEqualTo(1);
        }
        try (EdgeStore reopened = EdgeStore.open(path, null)) {
            assertThat(reopened.count(null)).as("the directory locks were released").isEqualTo(1);
            assertThat(reopened.outbox().backlog()).isEqualTo(1);
        }
    }

    @Test
    void groupedSyncsAreAppliedToTheShard() {
        Path path = temp.resolve("grouped");
        runner.withPropertyValues("qdrant.edge.path=" + path, "qdrant.edge.vectors.v.size=2",
                "qdrant.edge.fsync=GROUPED", "qdrant.edge.fsync-interval=50ms").run(context -> {
                    EdgeStore store = context.getBean(EdgeStore.class);
                    store.update(upsert(1, 1, 0));
                    assertThat(store.count(null)).isEqualTo(1);
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
                .run(context -> {
                    assertThat(context.getBean(EdgeShard.class).directory()).isEqualTo(path);
                    assertThat(context).doesNotHaveBean(EdgeStore.class);
                    assertThat(context.getBean(EdgeOperations.class)).isSameAs(context.getBean(EdgeShard.class));
                });
        assertThat(temp.resolve("unused")).doesNotExist();
    }

    @Test
    void aUserDefinedStoreWins() {
        Path path = temp.resolve("own-store");
        runner.withPropertyValues("qdrant.edge.path=" + temp.resolve("unused"))
                .withBean(EdgeStore.class, () -> EdgeStore.open(path, props(path).edgeConfig()))
                .run(context -> assertThat(context.getBean(EdgeStore.class).directory()).isEqualTo(path));
        assertThat(temp.resolve("unused")).doesNotExist();
    }

    private static UpsertPoints upsert(long id, float x, float y) {
        return new UpsertPoints(List.of(new PointStruct(PointId.of(id), Map.of("v", new DenseVector(new float[] {x, y})),
                Optional.empty())));
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
