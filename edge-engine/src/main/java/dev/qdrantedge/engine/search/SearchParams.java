package dev.qdrantedge.engine.search;

/**
 * Search parameters Qdrant accepts. Search here is always exact, so {@code exact} and {@code hnswEf} change
 * nothing; they are kept so requests written for a Qdrant server read the same.
 *
 * @param exact whether the caller asked for exact search
 * @param hnswEf the HNSW beam size asked for, or {@code null}
 */
public record SearchParams(boolean exact, Integer hnswEf) {

    public static final SearchParams DEFAULT = new SearchParams(false, null);
}
