package dev.qdrantedge.engine;

/** Base of every exception the engine throws on purpose. Unchecked, like Qdrant Edge's errors. */
public class EdgeException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    public EdgeException(String message) {
        super(message);
    }

    public EdgeException(String message, Throwable cause) {
        super(message, cause);
    }
}
