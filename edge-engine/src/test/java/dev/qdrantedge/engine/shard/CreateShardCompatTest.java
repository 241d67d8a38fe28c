package dev.qdrantedge.engine.shard;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.qdrantedge.engine.EdgeException;
import dev.qdrantedge.engine.compat.ReferenceAnswers;
import dev.qdrantedge.engine.compat.ReferenceEngine;
import dev.qdrantedge.engine.config.EdgeConfig;
import dev.qdrantedge.engine.config.EdgeConfigFile;
import dev.qdrantedge.engine.config.HnswConfig;
import dev.qdrantedge.engine.config.OptimizersConfig;
import dev.qdrantedge.engine.config.SparseVectorParams;
import dev.qdrantedge.engine.vectors.VectorDatatype;
import dev.qdrantedge.engine.wal.WalOptions;
import dev.qdrantedge.engine.config.VectorParams;
import dev.qdrantedge.engine.vectors.Distance;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CreateShardCompatTest {

    @TempDir
    Path temp;

    @Test
    void anEmptyShardCreatedInJavaLoadsInJava() {
        Path dir = temp.resolve("shard");
        try (EdgeShard shard = EdgeShard.create(dir, EdgeConfig.of(new VectorParams(4, Distance.COSINE)))) {
            assertThat(shard.count()).isZero();
        }
        assertThat(dir.resolve("edge_config.json")).content()
                .isEqualTo("{\"vectors\":{\"\":{\"size\":4,\"distance\":\"Cosine\"}},\"sparse_vectors\":{}}");
        try (EdgeShard shard = EdgeShard.load(dir)) {
            // As Qdrant Edge does, creating a shard adds its empty appendable segment.
            assertThat(shard.info().segmentsCount()).isEqualTo(1);
            assertThat(shard.count()).isZero();
        }
    }

    @Test
    void theReferenceEngineLoadsAShardCreatedInJava() {
        ReferenceEngine reference = ReferenceEngine.require();
        Path dir = temp.resolve("shard");
        Map<String, VectorParams> vectors = new LinkedHashMap<>();
        vectors.put("text", new VectorParams(384, Distance.COSINE));
        vectors.put("image", new VectorParams(8, Distance.EUCLID));
        EdgeShard.create(dir, new EdgeConfig(vectors)).close();

        ReferenceAnswers answers = reference.inspect(dir, temp.resolve("answers"));

        assertThat(answers.count()).isZero();
        assertThat(answers.info().get("segments_count").asInt()).isEqualTo(1);
        // The reference engine loaded the appendable segment Java created and kept it; Java reads it back.
        try (EdgeShard shard = EdgeShard.load(dir)) {
            assertThat(shard.info().segmentsCount()).isEqualTo(1);
            assertThat(shard.count()).isZero();
        }
    }

    @Test
    void everyConfigurationFieldSurvivesTheReferenceEngine() {
        ReferenceEngine reference = ReferenceEngine.require();
        Path dir = temp.resolve("full-config");
        Map<String, VectorParams> vectors = new LinkedHashMap<>();
        vectors.put("text", new VectorParams(8, Distance.DOT, VectorDatatype.FLOAT16, false, true,
                new HnswConfig(32, 200, 5000, 2, true, 8, null)));
        vectors.put("colbert", new VectorParams(4, Distance.COSINE, VectorDatatype.FLOAT32, true, false));
        Map<String, SparseVectorParams> sparse = Map.of("bm25", new SparseVectorParams(true, true, 500));
        EdgeConfig config = new EdgeConfig(vectors, sparse, false, new HnswConfig(20, 120, 8000, 0, null, null, null),
                new OptimizersConfig(0.3, 500, 2, 100_000, 20_000, null),
                WalOptions.defaults().withSegmentCapacity(4L << 20));
        EdgeShard.create(dir, config).close();

        ReferenceAnswers answers = reference.inspect(dir, temp.resolve("full-config-answers"));

        assertThat(answers.count()).isZero();
        assertThat(EdgeConfigFile.read(dir)).contains(config);
        try (EdgeShard shard = EdgeShard.load(dir)) {
            assertThat(shard.config()).contains(config);
        }
    }

    @Test
    void createRefusesADirectoryThatHoldsSegments() {
        ReferenceEngine reference = ReferenceEngine.require();
        Path copy = reference.build("basic").copyTo(temp.resolve("copy"));
        assertThatThrownBy(() -> EdgeShard.create(copy, EdgeConfig.of(new VectorParams(16, Distance.COSINE))))
                .isInstanceOf(EdgeException.class)
                .hasMessageContaining("already holds segments");
        assertThat(Files.exists(copy.resolve("edge_config.json.tmp"))).isFalse();
    }
}
