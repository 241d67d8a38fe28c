package dev.qdrantedge.engine.operation;

import java.util.Objects;

/**
 * {@code delete_index}: drop the payload index on a field.
 *
 * @param fieldName the field's JSON path
 */
public record DeleteFieldIndex(String fieldName) implements UpdateOperation {

    public DeleteFieldIndex {
        Objects.requireNonNull(fieldName, "fieldName");
    }

    @Override
    public String variant() {
        return "delete_index";
    }
}
