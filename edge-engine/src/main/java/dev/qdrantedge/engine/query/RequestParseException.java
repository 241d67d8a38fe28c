package dev.qdrantedge.engine.query;

import dev.qdrantedge.engine.EdgeException;

/**
 * A request body that is not valid Qdrant REST JSON. The message starts with the JSON path of the
 * offending value, e.g. {@code limit: expected a positive integer, found a string}.
 */
public class RequestParseException extends EdgeException {

    private static final long serialVersionUID = 1L;

    private final String path;
    private final String problem;

    public RequestParseException(String path, String problem) {
        super(path + ": " + problem);
        this.path = path;
        this.problem = problem;
    }

    /** Where the problem is, e.g. {@code with_payload.include[1]}. */
    public String path() {
        return path;
    }

    /** What is wrong there, without the path. */
    public String problem() {
        return problem;
    }
}
