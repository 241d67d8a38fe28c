package dev.qdrantedge.engine.index.hnsw;

import dev.qdrantedge.engine.EdgeFormatException;
import dev.qdrantedge.engine.io.JsonFiles;
import java.nio.file.Path;
import tools.jackson.databind.JsonNode;

/**
 * The parameters an HNSW index was built with ({@code hnsw_config.json}). Unlike the collection's
 * {@code full_scan_threshold} (kilobytes), the value here was converted by Qdrant into a number of vectors
 * when the index was built.
 *
 * @param m links per node on levels above 0
 * @param m0 links per node on level 0
 * @param efConstruct beam size used while building
 * @param ef default beam size of searches
 * @param fullScanThreshold below this many (matching) vectors a search scans instead of using the graph
 * @param payloadM links per node of the payload sub-graphs, or {@code null}
 * @param indexedVectorCount vectors the graph was built over, or {@code null}
 */
public record HnswGraphConfig(int m, int m0, int efConstruct, int ef, long fullScanThreshold, Integer payloadM,
        Long indexedVectorCount) {

    /** The file name inside the index directory. */
    public static final String FILE = "hnsw_config.json";

    /** Whether the graph has links at all (Qdrant searches without it when neither m nor payload_m is set). */
    public boolean hasLinks() {
        return m != 0 || (payloadM != null && payloadM != 0);
    }

    /** Reads {@code hnsw_config.json} of an index directory. */
    public static HnswGraphConfig read(Path indexDir) {
        Path file = indexDir.resolve(FILE);
        JsonNode node = JsonFiles.readTree(file);
        return new HnswGraphConfig(intField(file, node, "m"), intField(file, node, "m0"),
                intField(file, node, "ef_construct"), intField(file, node, "ef"),
                longField(file, node, "full_scan_threshold"),
                node.path("payload_m").isNumber() ? node.path("payload_m").asInt() : null,
                node.path("indexed_vector_count").isNumber() ? node.path("indexed_vector_count").asLong() : null);
    }

    private static int intField(Path file, JsonNode node, String name) {
        long value = longField(file, node, name);
        if (value > Integer.MAX_VALUE) {
            throw new EdgeFormatException(file, "\"" + name + "\" is too large: " + value);
        }
        return (int) value;
    }

    private static long longField(Path file, JsonNode node, String name) {
        JsonNode value = node.get(name);
        if (value == null || !value.isIntegralNumber() || !value.canConvertToLong() || value.asLong() < 0) {
            throw new EdgeFormatException(file, "\"" + name + "\" must be a non-negative integer, was " + value);
        }
        return value.asLong();
    }
}
