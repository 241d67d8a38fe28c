package dev.qdrantedge.spring.boot.autoconfigure;

/**
 * Start-up with {@code qdrant.edge.sync.bootstrap=BLOCKING} could not download the first snapshot of the server's
 * shard; the message names the server and the reason, and the cause is the download's failure.
 */
public class MirrorBootstrapException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    public MirrorBootstrapException(String message, Throwable cause) {
        super(message, cause);
    }
}
