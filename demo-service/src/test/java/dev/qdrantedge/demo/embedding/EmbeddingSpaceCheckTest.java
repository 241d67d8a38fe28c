package dev.qdrantedge.demo.embedding;

import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.qdrantedge.engine.config.EdgeConfig;
import dev.qdrantedge.engine.config.VectorParams;
import dev.qdrantedge.engine.shard.EdgeShard;
import dev.qdrantedge.engine.vectors.Distance;
import dev.qdrantedge.engine.vectors.VectorDatatype;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The start-up check of the notes' vector against real shards of several configurations. */
class EmbeddingSpaceCheckTest {

    /** The real embedder (384 dimensions); the check only asks for its dimension. */
    private static final TextEmbedder EMBEDDER = new MiniLmTextEmbedder();

    @TempDir
    Path temp;

    private EdgeShard shard(String name, Map<String, VectorParams> vectors) {
        return EdgeShard.create(temp.resolve(name), new EdgeConfig(vectors));
    }

    @Test
    void acceptsACosineVectorOfTheEmbeddersSize() {
        try (EdgeShard shard = shard("ok", Map.of("text", new VectorParams(384, Distance.COSINE)))) {
            assertThatCode(() -> EmbeddingSpaceCheck.verify(shard, "text", EMBEDDER)).doesNotThrowAnyException();
        }
    }

    @Test
    void refusesAMissingVectorAWrongSizeOrDistanceAndAMultivector() {
        try (EdgeShard shard = shard("other", Map.of("image", new VectorParams(384, Distance.COSINE)))) {
            assertThatThrownBy(() -> EmbeddingSpaceCheck.verify(shard, "text", EMBEDDER))
                    .isInstanceOf(EmbeddingSpaceMismatchException.class)
                    .hasMessage("the shard at " + temp.resolve("other") + " has no dense vector 'text' for the notes' "
                            + "embeddings: configure qdrant.edge.vectors.text.size=384 and "
                            + "qdrant.edge.vectors.text.distance=Cosine");
        }
        try (EdgeShard shard = shard("size", Map.of("text", new VectorParams(768, Distance.COSINE)))) {
            assertThatThrownBy(() -> EmbeddingSpaceCheck.verify(shard, "text", EMBEDDER))
                    .isInstanceOf(EmbeddingSpaceMismatchException.class)
                    .hasMessage("qdrant.edge.vectors.text has size 768, but the embedder gives single vectors of 384 "
                            + "values: use a shard whose 'text' vector has size 384");
        }
        try (EdgeShard shard = shard("dot", Map.of("text", new VectorParams(384, Distance.DOT)))) {
            assertThatThrownBy(() -> EmbeddingSpaceCheck.verify(shard, "text", EMBEDDER))
                    .isInstanceOf(EmbeddingSpaceMismatchException.class)
                    .hasMessage("qdrant.edge.vectors.text.distance is Dot, but the notes' scores are cosine "
                            + "similarities: use Cosine");
        }
        try (EdgeShard shard = shard("multi", Map.of("text",
                new VectorParams(384, Distance.COSINE, VectorDatatype.FLOAT32, true, null)))) {
            assertThatThrownBy(() -> EmbeddingSpaceCheck.verify(shard, "text", EMBEDDER))
                    .isInstanceOf(EmbeddingSpaceMismatchException.class)
                    .hasMessageStartingWith("qdrant.edge.vectors.text has size 384 (multivector), but");
        }
    }
}
