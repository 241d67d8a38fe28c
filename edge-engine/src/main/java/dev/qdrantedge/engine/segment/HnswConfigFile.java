package dev.qdrantedge.engine.segment;

import dev.qdrantedge.engine.io.JsonFiles;
import java.nio.file.Files;
import java.nio.file.Path;

/** Reads {@code hnsw_config.json} of an HNSW vector index directory. */
final class HnswConfigFile {

    static final String FILE = "hnsw_config.json";

    private HnswConfigFile() {
    }

    /** The number of vectors the index was built over; 0 when the index directory has no config. */
    static long indexedVectorCount(Path indexDir) {
        Path file = indexDir.resolve(FILE);
        return Files.isRegularFile(file) ? JsonFiles.readTree(file).path("indexed_vector_count").asLong(0) : 0;
    }
}
