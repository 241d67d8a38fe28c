package dev.qdrantedge.spring.data.core;

import org.springframework.dao.NonTransientDataAccessException;

/**
 * An entity could not be written as a point, or a point could not be read as an entity: a payload that does
 * not fit the entity class, a point id of the wrong kind, a vector of the wrong kind.
 */
public class EdgeConversionException extends NonTransientDataAccessException {

    public EdgeConversionException(String message) {
        super(message);
    }

    public EdgeConversionException(String message, Throwable cause) {
        super(message, cause);
    }
}
