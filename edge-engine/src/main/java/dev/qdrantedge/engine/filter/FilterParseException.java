package dev.qdrantedge.engine.filter;

import dev.qdrantedge.engine.EdgeException;

/**
 * A filter that is not valid Qdrant filter JSON. The message starts with the path of the offending value,
 * e.g. {@code filter.must[1].range.gte: expected a number or RFC 3339 datetime}.
 */
public class FilterParseException extends EdgeException {

    private static final long serialVersionUID = 1L;

    private final String path;
    private final String problem;

    public FilterParseException(String path, String problem) {
        super(path + ": " + problem);
        this.path = path;
        this.problem = problem;
    }

    /** Where the problem is, e.g. {@code filter.must[1].range.gte}. */
    public String path() {
        return path;
    }

    /** What is wrong there, without the path. */
    public String problem() {
        return problem;
    }
}
