package dev.qdrantedge.engine.index.hnsw;

/**
 * A node a graph search may start from.
 *
 * @param pointId the node (a segment's internal id)
 * @param level the highest level the node is on
 */
public record EntryPoint(int pointId, int level) {
}
