package dev.qdrantedge.spring.boot.autoconfigure;

import java.util.function.Supplier;

/**
 * A {@code qdrant.edge.*} property whose value the edge cannot use. The message starts with the property's
 * full name, followed by what is wrong with it.
 */
public class InvalidEdgePropertyException extends IllegalArgumentException {

    private static final long serialVersionUID = 1L;

    private final String property;

    /**
     * @param property the property's name below {@code qdrant.edge}, e.g. {@code vectors.text.size}
     * @param problem what is wrong with its value
     */
    public InvalidEdgePropertyException(String property, String problem) {
        this(property, problem, null);
    }

    public InvalidEdgePropertyException(String property, String problem, Throwable cause) {
        super(EdgeProperties.PREFIX + "." + property + ": " + problem, cause);
        this.property = EdgeProperties.PREFIX + "." + property;
    }

    /** The property's full name, e.g. {@code qdrant.edge.vectors.text.size}. */
    public String property() {
        return property;
    }

    /**
     * Runs a conversion to an engine type whose constructor checks its arguments, and turns the engine's
     * {@link IllegalArgumentException} into one naming {@code property}: the engine's message stays the one
     * description of the rule.
     */
    static <T> T converting(String property, Supplier<T> conversion) {
        try {
            return conversion.get();
        } catch (InvalidEdgePropertyException e) {
            throw e;
        } catch (IllegalArgumentException e) {
            throw new InvalidEdgePropertyException(property, e.getMessage(), e);
        }
    }
}
