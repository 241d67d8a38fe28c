package dev.qdrantedge.engine.config;

/**
 * A sparse vector's parameters.
 *
 * @param idf whether scores use the IDF modifier
 */
public record SparseVectorParams(boolean idf) {
}
