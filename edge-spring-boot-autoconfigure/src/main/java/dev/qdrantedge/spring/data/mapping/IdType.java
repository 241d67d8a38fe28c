package dev.qdrantedge.spring.data.mapping;

import java.util.UUID;

/**
 * The Java types an entity's {@code @Id} may have. Qdrant point ids are unsigned 64-bit numbers or UUIDs; a
 * {@code Long} id must not be negative.
 */
public enum IdType {

    /** {@code Long} or {@code long}: a numeric point id. */
    LONG,
    /** {@link UUID}: a UUID point id. */
    UUID,
    /** {@code String} holding a UUID: a UUID point id, read back in the canonical hyphenated lower-case form. */
    UUID_STRING;

    static IdType of(Class<?> type) {
        if (type == Long.class || type == long.class) {
            return LONG;
        }
        if (type == java.util.UUID.class) {
            return UUID;
        }
        if (type == String.class) {
            return UUID_STRING;
        }
        return null;
    }
}
