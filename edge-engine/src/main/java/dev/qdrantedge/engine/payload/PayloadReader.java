package dev.qdrantedge.engine.payload;

import tools.jackson.databind.node.ObjectNode;

/** Reads a segment's payloads by internal id: the storage opened for reading, or for writing. */
public interface PayloadReader extends AutoCloseable {

    /** The payload of an internal id, {@code {}} when nothing is stored; a new node on every call. */
    ObjectNode get(int internalId);

    @Override
    void close();
}
