package dev.qdrantedge.engine.vectors;

import dev.qdrantedge.engine.EdgeFormatException;
import dev.qdrantedge.engine.io.MappedFile;
import java.nio.file.Path;

/**
 * Reads {@code deleted.dat} of a single-file dense storage: the 4-byte ASCII header {@code drop}, padding to
 * offset 8, then one bit per vector, in 8-byte words. Its size is exactly what the vector count of
 * {@code matrix.dat} calls for, as Qdrant sizes it on every open.
 */
final class DeletedFile {

    static final String FILE = "deleted.dat";
    private static final String HEADER = "drop";
    /** The header rounded up to the alignment of an 8-byte word. */
    static final int DATA_OFFSET = 8;

    private DeletedFile() {
    }

    /** The file size Qdrant gives a {@code deleted.dat} for {@code vectorCount} vectors. */
    static long expectedSize(long vectorCount) {
        long bytes = (vectorCount + 7) / 8;
        long words = (bytes + 7) / 8;
        return DATA_OFFSET + words * 8;
    }

    /**
     * Opens the flags of {@code vectorCount} vectors. A missing file, a wrong header or a file too short for
     * the vector count is an error naming the file; {@code matrixFile} is named when this file is sized for
     * more vectors than {@code matrix.dat} holds (the vector file lost whole vectors).
     */
    static FlagBits open(Path file, long vectorCount, Path matrixFile) {
        MappedFile mapped = MappedFile.map(file);
        long expected = expectedSize(vectorCount);
        StorageChecks.requireHeader(mapped, DATA_OFFSET, HEADER, "a deleted-flags file");
        if (mapped.size() < expected) {
            throw new EdgeFormatException(file, "truncated: " + mapped.size() + " bytes, but the " + vectorCount
                    + " vectors of " + matrixFile.getFileName() + " need " + expected + " bytes");
        }
        if (mapped.size() > expected) {
            throw new EdgeFormatException(matrixFile, "truncated: it holds " + vectorCount + " vectors, but "
                    + file.getFileName() + " (" + mapped.size() + " bytes) was sized for more");
        }
        return new FlagBits(mapped, DATA_OFFSET, vectorCount);
    }
}
