package dev.qdrantedge.engine.vectors;

import java.util.Arrays;

/** A sparse vector: strictly increasing dimension indices and their values. */
public record SparseVector(int[] indices, float[] values) implements VectorValue {

    public SparseVector {
        if (indices.length != values.length) {
            throw new IllegalArgumentException("sparse vector has " + indices.length + " indices but "
                    + values.length + " values");
        }
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof SparseVector other && Arrays.equals(indices, other.indices)
                && Arrays.equals(values, other.values);
    }

    @Override
    public int hashCode() {
        return 31 * Arrays.hashCode(indices) + Arrays.hashCode(values);
    }

    @Override
    public String toString() {
        return "SparseVector" + Arrays.toString(indices) + "=" + Arrays.toString(values);
    }
}
