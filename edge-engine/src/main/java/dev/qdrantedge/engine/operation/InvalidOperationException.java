package dev.qdrantedge.engine.operation;

import dev.qdrantedge.engine.EdgeException;

/**
 * An update that cannot be applied as given: a vector of the wrong dimension or kind, a non-finite value,
 * an unknown vector name, a malformed key path. The shard is unchanged. The message names the point and
 * the vector or field at fault.
 */
public class InvalidOperationException extends EdgeException {

    private static final long serialVersionUID = 1L;

    public InvalidOperationException(String message) {
        super(message);
    }
}
