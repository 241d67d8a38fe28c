/**
 * Builds HNSW graphs the way Qdrant's {@code GraphLayersBuilder} does (random levels with level factor
 * {@code 1/ln(m)}, greedy descent through the upper levels, {@code ef_construct} search and heuristic neighbour
 * selection on each level the point reaches) and writes them in Qdrant's on-disk form: {@code graph.bin},
 * {@code hnsw_config.json} and the compressed links file {@code links_compressed.bin}.
 *
 * <p>The search routine used while building is private to this package; reading and searching a stored graph is
 * not done here.
 */
package dev.qdrantedge.engine.index.hnsw.build;
