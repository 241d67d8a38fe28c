package dev.qdrantedge.engine.vectors;

import dev.qdrantedge.engine.EdgeFormatException;
import dev.qdrantedge.engine.io.MappedFile;
import java.nio.charset.StandardCharsets;

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

    /**
     * Checks that {@code file} is at least {@code headerBytes} long and starts with the ASCII {@code magic};
     * otherwise an error naming it, calling it {@code kind} ("a vector file").
     */
    static void requireHeader(MappedFile file, int headerBytes, String magic, String kind) {
        if (file.size() < headerBytes) {
            throw new EdgeFormatException(file.path(), "truncated: " + file.size() + " bytes, shorter than its "
                    + headerBytes + "-byte header");
        }
        byte[] expected = magic.getBytes(StandardCharsets.US_ASCII);
        for (int i = 0; i < expected.length; i++) {
            if (file.getByte(i) != expected[i]) {
                throw new EdgeFormatException(file.path(), "not " + kind + ": it does not start with \"" + magic
                        + "\"");
            }
        }
    }

    /** {@code resource}, or an error saying the storage was closed. */
    static <T> T open(T resource) {
        if (resource == null) {
            throw new IllegalStateException("vector storage is closed");
        }
        return resource;
    }
}
