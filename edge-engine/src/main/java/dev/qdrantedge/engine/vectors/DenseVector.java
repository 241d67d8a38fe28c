package dev.qdrantedge.engine.vectors;

import java.util.Arrays;

/** A dense vector, as stored (Cosine vectors are stored normalized). The array is not copied: do not modify it. */
public record DenseVector(float[] values) implements VectorValue {

    @Override
    public boolean equals(Object o) {
        return o instanceof DenseVector other && Arrays.equals(values, other.values);
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(values);
    }

    @Override
    public String toString() {
        return Arrays.toString(values);
    }
}
