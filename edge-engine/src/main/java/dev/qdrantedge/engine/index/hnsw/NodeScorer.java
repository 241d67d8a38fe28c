package dev.qdrantedge.engine.index.hnsw;

/** The query's similarity to a node's vector; larger is better. */
@FunctionalInterface
public interface NodeScorer {

    float score(int point);
}
