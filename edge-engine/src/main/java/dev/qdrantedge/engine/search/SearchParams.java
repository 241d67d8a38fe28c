package dev.qdrantedge.engine.search;

/**
 * Search parameters Qdrant accepts. Segments whose dense vector has an HNSW graph (built by Qdrant) are
 * searched through it when Qdrant would do so; other segments, sparse and multivector queries are always
 * searched exactly.
 *
 * @param exact whether the caller asked for exact search: scan every segment, graphs are not used
 * @param hnswEf the beam size of graph searches, or {@code null} for the graph's own {@code ef}; a search
 *     never uses less than {@code offset + limit}
 */
public record SearchParams(boolean exact, Integer hnswEf) {

    public static final SearchParams DEFAULT = new SearchParams(false, null);
}
