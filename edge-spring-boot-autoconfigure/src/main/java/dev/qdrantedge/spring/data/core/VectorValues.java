package dev.qdrantedge.spring.data.core;

import dev.qdrantedge.engine.vectors.DenseVector;
import dev.qdrantedge.engine.vectors.MultiDenseVector;
import dev.qdrantedge.engine.vectors.SparseVector;
import dev.qdrantedge.engine.vectors.VectorValue;
import dev.qdrantedge.spring.data.mapping.VectorType;
import java.util.Collection;
import org.springframework.data.domain.Vector;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.JsonNodeFactory;
import tools.jackson.databind.node.ObjectNode;

/** Conversions between the Java values of vector properties and the engine's {@link VectorValue}s. */
public final class VectorValues {

    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

    private VectorValues() {
    }

    /**
     * A query vector from a method argument: Spring Data's {@link Vector}, {@code float[]}, {@code double[]}, a
     * collection of numbers, or an engine {@link VectorValue}.
     *
     * @throws IllegalArgumentException for any other value
     */
    public static VectorValue toQueryVector(Object value) {
        if (value instanceof VectorValue engineValue) {
            return engineValue;
        }
        if (value instanceof Vector vector) {
            return new DenseVector(vector.toFloatArray());
        }
        if (value instanceof float[] floats) {
            return new DenseVector(floats.clone());
        }
        if (value instanceof double[] doubles) {
            float[] floats = new float[doubles.length];
            for (int i = 0; i < doubles.length; i++) {
                floats[i] = (float) doubles[i];
            }
            return new DenseVector(floats);
        }
        if (value instanceof Collection<?> collection) {
            float[] floats = new float[collection.size()];
            int i = 0;
            for (Object element : collection) {
                if (!(element instanceof Number number)) {
                    throw new IllegalArgumentException("a query vector's elements must be numbers, found "
                            + (element == null ? "null" : element.getClass().getName()));
                }
                floats[i++] = number.floatValue();
            }
            return new DenseVector(floats);
        }
        throw new IllegalArgumentException("a query vector must be a org.springframework.data.domain.Vector, "
                + "float[], double[], a collection of numbers or a dev.qdrantedge.engine.vectors.VectorValue, found "
                + (value == null ? "null" : value.getClass().getName()));
    }

    /** The vector of a property as Jackson wrote it (an array of numbers, or a sparse vector's object). */
    static VectorValue fromJson(JsonNode json, VectorType type, String property) {
        if (type.isDense()) {
            if (!json.isArray()) {
                throw new EdgeConversionException(property + ": a dense vector must be written as a JSON array, "
                        + "was " + json.getNodeType());
            }
            float[] values = new float[json.size()];
            for (int i = 0; i < values.length; i++) {
                JsonNode element = json.get(i);
                if (!element.isNumber()) {
                    throw new EdgeConversionException(property + "[" + i + "]: a vector element must be a number, "
                            + "was " + element.getNodeType());
                }
                values[i] = element.floatValue();
            }
            return new DenseVector(values);
        }
        JsonNode indices = json.get("indices");
        JsonNode values = json.get("values");
        if (indices == null || values == null || !indices.isArray() || !values.isArray()) {
            throw new EdgeConversionException(property + ": a sparse vector needs the arrays indices and values");
        }
        int[] i = new int[indices.size()];
        float[] v = new float[values.size()];
        for (int k = 0; k < i.length; k++) {
            i[k] = indices.get(k).intValue();
        }
        for (int k = 0; k < v.length; k++) {
            v[k] = values.get(k).floatValue();
        }
        try {
            return new SparseVector(i, v);
        } catch (IllegalArgumentException e) {
            throw new EdgeConversionException(property + ": " + e.getMessage(), e);
        }
    }

    /** The JSON that Jackson reads into a property of {@code type}. */
    static JsonNode toJson(VectorValue value, VectorType type, String property) {
        if (value instanceof DenseVector dense && type.isDense()) {
            ArrayNode array = NODES.arrayNode(dense.values().length);
            for (float f : dense.values()) {
                array.add(f);
            }
            return array;
        }
        if (value instanceof SparseVector sparse && !type.isDense()) {
            ObjectNode object = NODES.objectNode();
            ArrayNode indices = object.putArray("indices");
            for (int i : sparse.indices()) {
                indices.add(i);
            }
            ArrayNode values = object.putArray("values");
            for (float f : sparse.values()) {
                values.add(f);
            }
            return object;
        }
        String kind = value instanceof DenseVector ? "dense" : value instanceof MultiDenseVector ? "multi-dense"
                : "sparse";
        throw new EdgeConversionException(property + " holds a " + (type.isDense() ? "dense" : "sparse")
                + " vector, but the point's vector is " + kind);
    }
}
