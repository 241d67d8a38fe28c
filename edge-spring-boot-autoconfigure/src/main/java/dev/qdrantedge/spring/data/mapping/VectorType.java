package dev.qdrantedge.spring.data.mapping;

import dev.qdrantedge.engine.vectors.SparseVector;
import java.util.List;
import org.springframework.data.core.TypeInformation;
import org.springframework.data.domain.Vector;

/** The Java types a {@link EdgeVector} property may have. */
public enum VectorType {

    /** {@code float[]}: a dense vector. */
    FLOAT_ARRAY,
    /** {@code List<Float>}: a dense vector. */
    FLOAT_LIST,
    /** Spring Data's {@link Vector}: a dense vector. */
    VECTOR,
    /** The engine's {@link SparseVector}: a sparse vector. */
    SPARSE;

    /** The vector type of a property of this type, or {@code null} when the type cannot hold a vector. */
    static VectorType of(TypeInformation<?> type) {
        Class<?> raw = type.getType();
        if (raw == float[].class) {
            return FLOAT_ARRAY;
        }
        if (raw == Vector.class) {
            return VECTOR;
        }
        if (raw == SparseVector.class) {
            return SPARSE;
        }
        if (raw == List.class && type.getComponentType() != null && type.getComponentType().getType() == Float.class) {
            return FLOAT_LIST;
        }
        return null;
    }

    /** Whether this is a dense vector type. */
    public boolean isDense() {
        return this != SPARSE;
    }
}
