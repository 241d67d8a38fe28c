package dev.qdrantedge.engine.index.hnsw.build;

/**
 * A point from which graph searches start, and the highest level it reaches.
 *
 * @param pointId point offset
 * @param level top level of the point
 */
public record EntryPoint(int pointId, int level) {
}
