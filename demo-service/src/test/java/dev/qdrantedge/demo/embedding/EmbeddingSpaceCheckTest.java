package dev.qdrantedge.demo.embedding;

import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.qdrantedge.engine.config.EdgeConfig;
import dev.qdrantedge.engine.config.VectorParams;
import dev.qdrantedge.engine.sync.EdgeStore;
import dev.qdrantedge.engine.vectors.Distance;
import dev.qdrantedge.engine.vectors.VectorDatatype;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The start-up check of the notes' vector against real stores of several configurations. */
class EmbeddingSpaceCheckTest {

    /** The real embedder (384 dimensions); the check only asks for its dimension. */
    private static final TextEmbedder EMBEDDER = new MiniLmTextEmbedder();

    @TempDir
    Path temp;

    private EdgeStore store(String name, Map<String, VectorParams> vectors) {
        return EdgeStore.open(temp.resolve(name), new EdgeConfig(vectors));
    }

    @Test
    void acceptsACosineVectorOfTheEmbeddersSize() {
        try (EdgeStore store = store("ok", Map.of("text", new VectorParams(384, Distance.COSINE)))) {
            assertThatCode(() -> EmbeddingSpaceCheck.verify(store, "text", EMBEDDER)).doesNotThrowAnyException();
        }
    }

    @Test
    void refusesAMissingVectorAWrongSizeOrDistanceAndAMultivector() {
        try (EdgeStore store = store("other", Map.of("image", new VectorParams(384, Distance.COSINE)))) {
            assertThatThrownBy(() -> EmbeddingSpaceCheck.verify(store, "text", EMBEDDER))
                    .isInstanceOf(EmbeddingSpaceMismatchException.class)
                    .hasMessage("the store at " + temp.resolve("other") + " has no dense vector 'text' for the notes' "
                            + "embeddings: configure qdrant.edge.vectors.text.size=384 and "
                            + "qdrant.edge.vectors.text.distance=Cosine");
        }
        try (EdgeStore store = store("size", Map.of("text", new VectorParams(768, Distance.COSINE)))) {
            assertThatThrownBy(() -> EmbeddingSpaceCheck.verify(store, "text", EMBEDDER))
                    .isInstanceOf(EmbeddingSpaceMismatchException.class)
                    .hasMessage("qdrant.edge.vectors.text has size 768, but the embedder gives single vectors of 384 "
                            + "values: use a store whose 'text' vector has size 384");
        }
        try (EdgeStore store = store("dot", Map.of("text", new VectorParams(384, Distance.DOT)))) {
            assertThatThrownBy(() -> EmbeddingSpaceCheck.verify(store, "text", EMBEDDER))
                    .isInstanceOf(EmbeddingSpaceMismatchException.class)
                    .hasMessage("qdrant.edge.vectors.text.distance is Dot, but the notes' scores are cosine "
                            + "similarities: use Cosine");
        }
        try (EdgeStore store = store("multi", Map.of("text",
                new VectorParams(384, Distance.COSINE, VectorDatatype.FLOAT32, true, null)))) {
            assertThatThrownBy(() -> EmbeddingSpaceCheck.verify(store, "text", EMBEDDER))
                    .isInstanceOf(EmbeddingSpaceMismatchException.class)
                    .hasMessageStartingWith("qdrant.edge.vectors.text has size 384 (multivector), but");
        }
    }
}
