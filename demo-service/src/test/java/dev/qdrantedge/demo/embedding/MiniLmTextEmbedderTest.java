package dev.qdrantedge.demo.embedding;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The real model, loaded from the jar: vector shape, and that meaning, not shared words, decides similarity. */
class MiniLmTextEmbedderTest {

    private static MiniLmTextEmbedder embedder;

    @BeforeAll
    static void load() {
        embedder = new MiniLmTextEmbedder();
    }

    private static double cosine(float[] a, float[] b) {
        double dot = 0;
        double na = 0;
        double nb = 0;
        for (int i = 0; i < a.length; i++) {
            dot += a[i] * b[i];
            na += a[i] * a[i];
            nb += b[i] * b[i];
        }
        return dot / Math.sqrt(na * nb);
    }

    @Test
    void givesUnitVectorsOfTheModelsDimension() {
        float[] vector = embedder.embed("How do I bake sourdough bread?");
        assertThat(embedder.dimension()).isEqualTo(384);
        assertThat(vector).hasSize(384);
        double norm = 0;
        for (float v : vector) {
            norm += v * v;
        }
        assertThat(Math.sqrt(norm)).isCloseTo(1.0, within(1e-4));
        assertThat(embedder.embed("How do I bake sourdough bread?")).containsExactly(vector);
    }

    @Test
    void similarMeaningScoresHigherThanSharedTopicWords() {
        float[] question = embedder.embed("How do I bake sourdough bread?");
        double recipe = cosine(question, embedder.embed("recipe for a loaf with natural yeast starter"));
        double taxes = cosine(question, embedder.embed("quarterly tax filing deadline"));
        assertThat(recipe).isGreaterThan(0.4);
        assertThat(taxes).isLessThan(0.15);
    }

    @Test
    void refusesBlankText() {
        assertThatThrownBy(() -> embedder.embed("  ")).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("cannot embed a blank text");
        assertThatThrownBy(() -> embedder.embed(null)).isInstanceOf(IllegalArgumentException.class);
    }
}
