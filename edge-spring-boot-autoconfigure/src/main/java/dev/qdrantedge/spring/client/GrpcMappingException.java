package dev.qdrantedge.spring.client;

/**
 * An operation, filter or payload that has no faithful form in Qdrant's gRPC protocol (as the Java client
 * 1.18 speaks it). The message starts with the JSON path of the offending part, such as
 * {@code filter.must[0].match.prefix: ...}. Sending the operation again cannot help: the sink reports it as
 * a permanent delivery failure.
 */
public class GrpcMappingException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    private final String path;

    public GrpcMappingException(String path, String problem) {
        super(path + ": " + problem);
        this.path = path;
    }

    public GrpcMappingException(String path, String problem, Throwable cause) {
        super(path + ": " + problem, cause);
        this.path = path;
    }

    /** Where the problem is, e.g. {@code payload.count} or {@code filter.should[1].match.prefix}. */
    public String path() {
        return path;
    }
}
