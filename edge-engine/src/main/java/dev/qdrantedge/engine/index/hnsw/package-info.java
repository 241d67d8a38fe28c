/**
 * Reading and searching the HNSW graphs Qdrant builds for the dense vectors of non-appendable segments
 * ({@code vector_index[-<name>]/}): {@code hnsw_config.json}, {@code graph.bin} and the links file in its
 * plain, compressed and compressed-with-vectors forms. Files are memory-mapped read-only and each node's
 * links are decoded when the search visits it.
 */
package dev.qdrantedge.engine.index.hnsw;
