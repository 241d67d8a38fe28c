package dev.qdrantedge.demo.embedding;

import dev.qdrantedge.engine.config.EdgeConfig;
import dev.qdrantedge.engine.config.VectorParams;
import dev.qdrantedge.engine.sync.EdgeStore;
import dev.qdrantedge.engine.vectors.Distance;

/**
 * Checks, when the application starts, that the store has a dense Cosine vector of the embedder's dimension
 * under the given name, so that a misconfigured {@code qdrant.edge.vectors} stops the start with a message
 * instead of failing the first write.
 */
public final class EmbeddingSpaceCheck {

    private EmbeddingSpaceCheck() {
    }

    /**
     * @throws EmbeddingSpaceMismatchException naming the property to fix
     */
    public static void verify(EdgeStore store, String vectorName, TextEmbedder embedder) {
        String property = "qdrant.edge.vectors." + vectorName;
        EdgeConfig config = store.config();
        VectorParams params = config.vectors().get(vectorName);
        if (params == null) {
            throw new EmbeddingSpaceMismatchException("the store at " + store.directory() + " has no dense vector '"
                    + vectorName + "' for the notes' embeddings: configure " + property + ".size="
                    + embedder.dimension() + " and " + property + ".distance=Cosine");
        }
        if (params.size() != embedder.dimension() || params.multivector()) {
            throw new EmbeddingSpaceMismatchException(property + " has size " + params.size()
                    + (params.multivector() ? " (multivector)" : "") + ", but the embedder gives single vectors of "
                    + embedder.dimension() + " values: use a store whose '" + vectorName + "' vector has size "
                    + embedder.dimension());
        }
        if (params.distance() != Distance.COSINE) {
            throw new EmbeddingSpaceMismatchException(property + ".distance is " + params.distance().jsonName()
                    + ", but the notes' scores are cosine similarities: use Cosine");
        }
    }
}
