package dev.qdrantedge.engine.index.hnsw;

/** The query's similarity to a node's vector; larger is better. */
@FunctionalInterface
public interface NodeScorer {

    float score(int point);

    /**
     * Scores {@code points[0 .. count)} into {@code scores[0 .. count)}. A search hands over all the new
     * neighbours of a node at once, so an implementation can fetch their vectors together (their memory
     * reads then overlap) and score several per pass; the default scores them one by one.
     */
    default void scoreAll(int[] points, int count, float[] scores) {
        for (int i = 0; i < count; i++) {
            scores[i] = score(points[i]);
        }
    }
}
