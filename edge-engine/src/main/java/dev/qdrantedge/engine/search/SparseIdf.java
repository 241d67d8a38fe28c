package dev.qdrantedge.engine.search;

import dev.qdrantedge.engine.vectors.SparseVector;
import java.util.Arrays;

/**
 * The IDF modifier of sparse vectors, as Qdrant applies it to a query: each query weight is multiplied by
 * {@code ln((N - df + 0.5) / (df + 0.5) + 1)}, in {@code float}, where {@code N} is the number of
 * (non-empty) sparse vectors the shard's sparse indexes hold and {@code df} how many of them have the
 * dimension. Which vectors an index holds is up to each {@link SearchPart}.
 */
final class SparseIdf {

    private SparseIdf() {
    }

    /** {@code query} (sorted by dimension) with IDF-weighted values. */
    static SparseVector weigh(SearchSource source, String name, SparseVector query) {
        int[] dims = query.indices();
        long[] df = new long[dims.length];
        long[] documents = new long[1];
        int[] keys = new int[dims.length];
        for (int i = 0; i < dims.length; i++) {
            keys[i] = dims[i] ^ Integer.MIN_VALUE; // signed order of keys = unsigned order of dimensions
        }
        for (SearchPart part : source.parts()) {
            part.forEachIndexedSparse(name, vector -> {
                if (vector.indices().length == 0) {
                    return;
                }
                documents[0]++;
                for (int index : vector.indices()) {
                    int at = Arrays.binarySearch(keys, index ^ Integer.MIN_VALUE);
                    if (at >= 0) {
                        df[at]++;
                    }
                }
            });
        }
        float n = documents[0];
        float[] values = query.values().clone();
        for (int i = 0; i < values.length; i++) {
            values[i] *= idf(n, df[i]);
        }
        return new SparseVector(dims.clone(), values);
    }

    static float idf(float n, long documentFrequency) {
        float df = documentFrequency;
        return (float) Math.log((n - df + 0.5f) / (df + 0.5f) + 1.0f);
    }
}
