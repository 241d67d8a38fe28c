package dev.qdrantedge.engine.operation;

import java.util.Objects;
import java.util.Optional;
import tools.jackson.databind.JsonNode;

/**
 * {@code create_index}: build a payload index on a field. The schema is kept as recorded: a type name
 * such as {@code "keyword"} or an object of index parameters.
 *
 * @param fieldName the field's JSON path
 * @param fieldSchema the schema, if the record gives one
 */
public record CreateFieldIndex(String fieldName, Optional<JsonNode> fieldSchema) implements UpdateOperation {

    public CreateFieldIndex {
        Objects.requireNonNull(fieldName, "fieldName");
        Objects.requireNonNull(fieldSchema, "fieldSchema");
    }

    @Override
    public String variant() {
        return "create_index";
    }
}
