package dev.qdrantedge.engine.operation;

import java.util.Objects;
import tools.jackson.databind.JsonNode;

/**
 * {@code create_vector_name}: add a named vector to the collection. The configuration is kept as
 * recorded, e.g. {@code {"dense":{"size":4,"distance":"Euclid"}}} or {@code {"sparse":{"modifier":"idf"}}}.
 *
 * @param vectorName the new vector's name
 * @param config the vector configuration
 */
public record CreateVectorName(String vectorName, JsonNode config) implements UpdateOperation {

    public CreateVectorName {
        Objects.requireNonNull(vectorName, "vectorName");
        Objects.requireNonNull(config, "config");
    }

    @Override
    public String variant() {
        return "create_vector_name";
    }
}
