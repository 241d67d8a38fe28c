package dev.qdrantedge.engine.index.hnsw.build;

import dev.qdrantedge.engine.snapshot.FileSync;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * Writes a built graph as the files of Qdrant's HNSW vector index directory ({@code vector_index[-<name>]/}):
 * {@code links_compressed.bin} (see {@link CompressedLinks}), {@code graph.bin} (bincode of Qdrant's
 * {@code GraphLayerData}: m, m0, ef_construct and the entry points) and {@code hnsw_config.json}
 * ({@code HnswGraphConfig}). Each file is written to a temporary name, forced to the device and renamed; the
 * directory is forced last.
 */
public final class HnswIndexFiles {

    public static final String GRAPH_FILE = "graph.bin";
    public static final String LINKS_FILE = CompressedLinks.FILE;
    public static final String CONFIG_FILE = "hnsw_config.json";

    private HnswIndexFiles() {
    }

    /**
     * Writes the index of {@code graph} into {@code indexDir} (created when missing).
     *
     * @param fullScanThreshold Qdrant's {@code full_scan_threshold} in vectors: below this many vectors searches
     *     scan instead of using the graph
     * @param maxIndexingThreads the configured indexing threads (0: automatic), recorded as Qdrant does
     */
    public static void write(Path indexDir, HnswGraph graph, long fullScanThreshold, int maxIndexingThreads) {
        try {
            Files.createDirectories(indexDir);
            FileSync.writeAtomically(indexDir.resolve(LINKS_FILE), CompressedLinks.serialize(graph));
            FileSync.writeAtomically(indexDir.resolve(GRAPH_FILE), graphData(graph));
            FileSync.writeAtomically(indexDir.resolve(CONFIG_FILE),
                    configJson(graph, fullScanThreshold, maxIndexingThreads).getBytes(StandardCharsets.UTF_8));
            FileSync.syncDirectory(indexDir);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write the HNSW index in " + indexDir, e);
        }
    }

    static byte[] graphData(HnswGraph graph) {
        ByteSink out = new ByteSink();
        out.writeLong(graph.m());
        out.writeLong(graph.m0());
        out.writeLong(graph.efConstruct());
        writeEntryPoints(out, graph.entryPoints());
        writeEntryPoints(out, graph.extraEntryPoints());
        out.writeLong(graph.extraEntryPointCapacity());
        return out.toByteArray();
    }

    private static void writeEntryPoints(ByteSink out, List<EntryPoint> points) {
        out.writeLong(points.size());
        for (EntryPoint p : points) {
            out.writeInt(p.pointId());
            out.writeLong(p.level());
        }
    }

    static String configJson(HnswGraph graph, long fullScanThreshold, int maxIndexingThreads) {
        return "{\"m\":" + graph.m() + ",\"m0\":" + graph.m0() + ",\"ef_construct\":" + graph.efConstruct()
                + ",\"ef\":" + graph.efConstruct() + ",\"full_scan_threshold\":" + fullScanThreshold
                + ",\"max_indexing_threads\":" + maxIndexingThreads
                + ",\"payload_m\":null,\"payload_m0\":null,\"indexed_vector_count\":" + graph.pointCount() + "}";
    }
}
