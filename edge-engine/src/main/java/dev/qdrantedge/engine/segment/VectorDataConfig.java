package dev.qdrantedge.engine.segment;

import dev.qdrantedge.engine.vectors.Distance;
import dev.qdrantedge.engine.vectors.VectorDatatype;
import dev.qdrantedge.engine.vectors.VectorStorageType;
import tools.jackson.databind.JsonNode;

/**
 * A dense (or multi-) vector's entry in {@code segment.json}'s {@code vector_data}.
 *
 * @param size dimension
 * @param distance distance function
 * @param storageType storage layout
 * @param indexType {@code "plain"} or {@code "hnsw"}
 * @param indexOptions the index options as written (HNSW parameters), never null
 * @param multivector whether points hold several vectors (compared by MaxSim)
 * @param datatype element type of the stored values
 * @param quantization the quantization config as written, or a JSON null
 */
public record VectorDataConfig(int size, Distance distance, VectorStorageType storageType, String indexType,
        JsonNode indexOptions, boolean multivector, VectorDatatype datatype, JsonNode quantization) {

    /** Appendable iff the index is plain and the storage is one of the appendable layouts. */
    public boolean appendable() {
        return "plain".equals(indexType) && storageType.appendable();
    }
}
