package dev.qdrantedge.demo.embedding;

import dev.langchain4j.model.embedding.onnx.allminilml6v2.AllMiniLmL6V2EmbeddingModel;

/**
 * Sentence embeddings of the all-MiniLM-L6-v2 model (384 dimensions, unit length), computed in process by ONNX
 * Runtime from the model and tokenizer shipped in the application's jar: nothing is downloaded and no service
 * is called. Loading the model takes about a second, so one instance serves the whole application. Texts longer
 * than the model's 256 word pieces are embedded by their beginning.
 */
public final class MiniLmTextEmbedder implements TextEmbedder {

    /** The length of an all-MiniLM-L6-v2 embedding. */
    public static final int DIMENSION = 384;

    private final AllMiniLmL6V2EmbeddingModel model;

    /** Loads the model (about a second). */
    public MiniLmTextEmbedder() {
        this.model = new AllMiniLmL6V2EmbeddingModel();
    }

    @Override
    public int dimension() {
        return DIMENSION;
    }

    @Override
    public float[] embed(String text) {
        if (text == null || text.isBlank()) {
            throw new IllegalArgumentException("cannot embed a blank text");
        }
        float[] vector = model.embed(text).content().vector();
        if (vector.length != DIMENSION) {
            throw new IllegalStateException("all-MiniLM-L6-v2 returned " + vector.length + " values instead of "
                    + DIMENSION);
        }
        return vector;
    }
}
