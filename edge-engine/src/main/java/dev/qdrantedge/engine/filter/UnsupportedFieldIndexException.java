package dev.qdrantedge.engine.filter;

import dev.qdrantedge.engine.EdgeException;

/**
 * A condition on a field whose payload index decides the answer in a way this engine does not implement
 * (such as a full-text index with stemming); the message names the feature. Answering from the payload
 * instead would give a different result than Qdrant, so the query is refused.
 */
public class UnsupportedFieldIndexException extends EdgeException {

    private static final long serialVersionUID = 1L;

    public UnsupportedFieldIndexException(String message) {
        super(message);
    }
}
