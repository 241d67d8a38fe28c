package dev.qdrantedge.engine.vectors;

import dev.qdrantedge.engine.EdgeFormatException;

/** Checks shared by the vector storages. */
final class StorageChecks {

    private StorageChecks() {
    }

    /** The stored record count of {@code files} as an internal-id bound (internal ids are 32-bit). */
    static int slotCount(ChunkedVectorFiles files) {
        if (files.length() > Integer.MAX_VALUE) {
            throw new EdgeFormatException(files.directory().resolve(ChunkedVectorFiles.STATUS_FILE),
                    files.length() + " vectors are more than this engine addresses (" + Integer.MAX_VALUE + ")");
        }
        return (int) files.length();
    }

    /** {@code resource}, or an error saying the storage was closed. */
    static <T> T open(T resource) {
        if (resource == null) {
            throw new IllegalStateException("vector storage is closed");
        }
        return resource;
    }
}
