package dev.qdrantedge.engine.index.hnsw;

import dev.qdrantedge.engine.EdgeFormatException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * A segment's HNSW index for one dense vector, as Qdrant built it: its configuration, its entry points and
 * its links (memory-mapped). Immutable; searches may run concurrently.
 */
public final class HnswGraph {

    private final Path directory;
    private final HnswGraphConfig config;
    private final GraphLayerData data;
    private final GraphLinks links;

    HnswGraph(Path directory, HnswGraphConfig config, GraphLayerData data, GraphLinks links) {
        this.directory = directory;
        this.config = config;
        this.data = data;
        this.links = links;
    }

    /** The index directory of the vector {@code name} in a segment directory. */
    public static Path indexDirectory(Path segmentDir, String name) {
        return segmentDir.resolve(name.isEmpty() ? "vector_index" : "vector_index-" + name);
    }

    /**
     * Opens the index in {@code indexDir}; {@code null} when the directory holds no graph (no
     * {@code graph.bin}: a plain index). A graph whose files are missing, truncated or inconsistent is an
     * {@link EdgeFormatException} naming the file.
     */
    public static HnswGraph open(Path indexDir) {
        return open(indexDir, false);
    }

    /**
     * As {@link #open(Path)}; with {@code inRam} the compressed links are held in memory (Qdrant's handling of
     * an HNSW index whose config does not say {@code on_disk}), else read from the mapping.
     */
    public static HnswGraph open(Path indexDir, boolean inRam) {
        if (!Files.isRegularFile(indexDir.resolve(GraphLayerData.FILE))) {
            return null;
        }
        HnswGraphConfig config = HnswGraphConfig.read(indexDir);
        GraphLayerData data = GraphLayerData.read(indexDir);
        GraphLinks links = GraphLinks.open(indexDir, inRam);
        if (links == null) {
            throw new EdgeFormatException(indexDir, "the HNSW index has " + GraphLayerData.FILE
                    + " but no links file (" + LinksFormat.COMPRESSED_WITH_VECTORS.fileName() + ", "
                    + LinksFormat.COMPRESSED.fileName() + " or " + LinksFormat.PLAIN.fileName() + ")");
        }
        Path graphFile = indexDir.resolve(GraphLayerData.FILE);
        checkEntryPoints(graphFile, data.entryPoints(), links);
        checkEntryPoints(graphFile, data.extraEntryPoints(), links);
        return new HnswGraph(indexDir, config, data, links);
    }

    private static void checkEntryPoints(Path file, List<EntryPoint> points, GraphLinks links) {
        for (EntryPoint ep : points) {
            if (ep.pointId() >= links.pointCount() || ep.level() >= Math.max(1, links.levelCount())) {
                throw new EdgeFormatException(file, "entry point " + ep.pointId() + " at level " + ep.level()
                        + " is outside the graph of " + links.pointCount() + " points and " + links.levelCount()
                        + " levels in " + links.path().getFileName());
            }
        }
    }

    public Path directory() {
        return directory;
    }

    public HnswGraphConfig config() {
        return config;
    }

    public GraphLayerData data() {
        return data;
    }

    public GraphLinks links() {
        return links;
    }

    /** Links per node on {@code level} a search explores at most ({@code m0} on level 0, else {@code m}). */
    int levelM(int level) {
        return level == 0 ? data.m0() : data.m();
    }

    /**
     * The entry point a search starts from: the first of the entry points that {@code accept} takes, else the
     * accepted extra entry point on the highest level (the last in file order among equals, as Rust's {@code max_by_key}); {@code null}
     * when none is accepted.
     */
    EntryPoint entryPoint(NodeFilter accept) {
        for (EntryPoint ep : data.entryPoints()) {
            if (accept.test(ep.pointId())) {
                return ep;
            }
        }
        EntryPoint best = null;
        for (EntryPoint ep : data.extraEntryPoints()) {
            if (accept.test(ep.pointId()) && (best == null || ep.level() >= best.level())) {
                best = ep;
            }
        }
        return best;
    }
}
