package dev.qdrantedge.engine.vectors;

/** A point's value for one named vector: dense, multi-dense or sparse. */
public sealed interface VectorValue permits DenseVector, MultiDenseVector, SparseVector {
}
