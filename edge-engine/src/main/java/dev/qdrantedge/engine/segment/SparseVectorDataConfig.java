package dev.qdrantedge.engine.segment;

/**
 * A sparse vector's entry in {@code segment.json}'s {@code sparse_vector_data}.
 *
 * @param indexType {@code MutableRam}, {@code ImmutableRam} or {@code Mmap}
 * @param storageType {@code mmap} (gridstore) or {@code empty}
 * @param idf whether the IDF modifier applies
 */
public record SparseVectorDataConfig(String indexType, String storageType, boolean idf) {

    public boolean appendable() {
        return "MutableRam".equals(indexType);
    }
}
