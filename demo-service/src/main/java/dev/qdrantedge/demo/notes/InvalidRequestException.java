package dev.qdrantedge.demo.notes;

/**
 * A request the API refuses: a blank or too long text, a malformed date, a bad limit. The message names the
 * field and says what is expected; the API answers 400 with it.
 */
public class InvalidRequestException extends RuntimeException {

    private final String field;

    public InvalidRequestException(String field, String message) {
        super(field + ": " + message);
        this.field = field;
    }

    /** The request field or parameter at fault, e.g. {@code text} or {@code from}. */
    public String field() {
        return field;
    }
}
