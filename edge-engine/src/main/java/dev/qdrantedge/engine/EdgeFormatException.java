package dev.qdrantedge.engine;

import java.nio.file.Path;

/**
 * A file of a shard is missing, truncated, corrupt, of an unknown kind, or written by a newer,
 * incompatible version of Qdrant. The message names the file; {@link #file()} gives it.
 */
public class EdgeFormatException extends EdgeException {

    private static final long serialVersionUID = 1L;

    private final transient Path file;

    public EdgeFormatException(Path file, String problem) {
        super(file + ": " + problem);
        this.file = file;
    }

    public EdgeFormatException(Path file, String problem, Throwable cause) {
        super(file + ": " + problem, cause);
        this.file = file;
    }

    /** The file (or directory) at fault. */
    public Path file() {
        return file;
    }
}
