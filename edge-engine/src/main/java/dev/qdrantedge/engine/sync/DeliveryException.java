package dev.qdrantedge.engine.sync;

import java.util.Objects;

/** A delivery the receiver did not acknowledge, classified by whether trying again can help. */
public final class DeliveryException extends Exception {

    private static final long serialVersionUID = 1L;

    /** Whether a failed delivery is worth repeating. */
    public enum Kind {
        /** The receiver was unreachable, overloaded or too slow: retry with backoff, forever. */
        TRANSIENT,
        /** The receiver rejected the operation (invalid argument, missing collection ...): never retry as is. */
        PERMANENT
    }

    private final Kind kind;

    public DeliveryException(Kind kind, String message, Throwable cause) {
        super(message, cause);
        this.kind = Objects.requireNonNull(kind, "kind");
    }

    public static DeliveryException transientFailure(String message, Throwable cause) {
        return new DeliveryException(Kind.TRANSIENT, message, cause);
    }

    public static DeliveryException permanentFailure(String message, Throwable cause) {
        return new DeliveryException(Kind.PERMANENT, message, cause);
    }

    public Kind kind() {
        return kind;
    }

    public boolean isTransient() {
        return kind == Kind.TRANSIENT;
    }
}
