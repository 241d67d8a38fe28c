package dev.qdrantedge.engine.search;

import dev.qdrantedge.engine.EdgeException;

/** A search the shard cannot run as asked: an unknown vector name, a wrong dimension or vector kind. */
public class InvalidSearchException extends EdgeException {

    private static final long serialVersionUID = 1L;

    public InvalidSearchException(String message) {
        super(message);
    }
}
