package dev.qdrantedge.engine.vectors;

import java.util.Arrays;

/** Several dense vectors of the same dimension held by one point (ColBERT-style, compared by MaxSim). */
public record MultiDenseVector(float[][] vectors) implements VectorValue {

    @Override
    public boolean equals(Object o) {
        return o instanceof MultiDenseVector other && Arrays.deepEquals(vectors, other.vectors);
    }

    @Override
    public int hashCode() {
        return Arrays.deepHashCode(vectors);
    }

    @Override
    public String toString() {
        return Arrays.deepToString(vectors);
    }
}
