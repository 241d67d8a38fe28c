package dev.qdrantedge.engine.index.hnsw;

/** Which graph nodes a search may score and return (live, current, holding the vector, matching the filter). */
@FunctionalInterface
public interface NodeFilter {

    boolean test(int point);
}
