package dev.qdrantedge.demo.embedding;

/**
 * The shard's vector for note embeddings does not fit the embedder: it is missing, or its size differs from the
 * embedder's dimension. The application does not start.
 */
public class EmbeddingSpaceMismatchException extends RuntimeException {

    public EmbeddingSpaceMismatchException(String message) {
        super(message);
    }
}
