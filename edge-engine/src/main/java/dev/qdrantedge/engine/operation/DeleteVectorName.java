package dev.qdrantedge.engine.operation;

import java.util.Objects;

/**
 * {@code delete_vector_name}: remove a named vector (and its data) from the collection.
 *
 * @param vectorName the vector's name
 */
public record DeleteVectorName(String vectorName) implements UpdateOperation {

    public DeleteVectorName {
        Objects.requireNonNull(vectorName, "vectorName");
    }

    @Override
    public String variant() {
        return "delete_vector_name";
    }
}
