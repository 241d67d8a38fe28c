package dev.qdrantedge.demo.embedding;

/**
 * Turns a text into a dense vector whose direction carries its meaning: texts that say similar things get
 * vectors with a high cosine similarity, whatever words they use. Implementations are thread-safe and load
 * their model once.
 */
public interface TextEmbedder {

    /** The length of every vector {@link #embed} returns. */
    int dimension();

    /**
     * The embedding of {@code text}, {@link #dimension()} values long.
     *
     * @throws IllegalArgumentException when {@code text} is blank
     */
    float[] embed(String text);
}
