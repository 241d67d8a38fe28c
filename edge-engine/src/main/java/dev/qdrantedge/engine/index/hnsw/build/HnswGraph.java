package dev.qdrantedge.engine.index.hnsw.build;

import java.util.List;

/**
 * A built HNSW graph: for every point offset its links on each level it reaches (level 0 first), and the entry
 * points, as Qdrant's builder leaves them before writing.
 */
public final class HnswGraph {

    private final int[][][] links;
    private final int m;
    private final int m0;
    private final int efConstruct;
    private final List<EntryPoint> entryPoints;
    private final List<EntryPoint> extraEntryPoints;
    private final int extraEntryPointCapacity;

    HnswGraph(int[][][] links, int m, int m0, int efConstruct, List<EntryPoint> entryPoints,
            List<EntryPoint> extraEntryPoints, int extraEntryPointCapacity) {
        this.links = links;
        this.m = m;
        this.m0 = m0;
        this.efConstruct = efConstruct;
        this.entryPoints = List.copyOf(entryPoints);
        this.extraEntryPoints = List.copyOf(extraEntryPoints);
        this.extraEntryPointCapacity = extraEntryPointCapacity;
    }

    /** The number of point offsets the graph covers. */
    public int pointCount() {
        return links.length;
    }

    /** Top level of {@code point} (0 when it is only on the base level). */
    public int level(int point) {
        return links[point].length - 1;
    }

    /** Links of {@code point} on {@code level}; a copy. */
    public int[] links(int point, int level) {
        return links[point][level].clone();
    }

    int[] linksView(int point, int level) {
        return links[point][level];
    }

    /** Replaces the links of {@code point} on {@code level} (to degrade a graph in tests of its readers). */
    public void setLinks(int point, int level, int[] newLinks) {
        links[point][level] = newLinks.clone();
    }

    /** The number of levels: the top level of the highest point plus one (0 for an empty graph). */
    public int levelCount() {
        int levels = 0;
        for (int[][] point : links) {
            levels = Math.max(levels, point.length);
        }
        return levels;
    }

    public int m() {
        return m;
    }

    public int m0() {
        return m0;
    }

    public int efConstruct() {
        return efConstruct;
    }

    /** The main entry point (at most one in an unfiltered build). */
    public List<EntryPoint> entryPoints() {
        return entryPoints;
    }

    /** The extra entry points Qdrant keeps. */
    public List<EntryPoint> extraEntryPoints() {
        return extraEntryPoints;
    }

    /** Capacity of the extra entry points (stored in {@code graph.bin}). */
    public int extraEntryPointCapacity() {
        return extraEntryPointCapacity;
    }

    /**
     * This graph, built over a subset of a segment's points, placed at their offsets {@code offsets[i]} among
     * {@code total} points; the others get an empty base level (as points without the vector have in Qdrant).
     */
    public HnswGraph expand(int[] offsets, int total) {
        if (offsets.length != links.length) {
            throw new IllegalArgumentException("expected " + links.length + " offsets, got " + offsets.length);
        }
        int[][][] out = new int[total][][];
        for (int i = 0; i < links.length; i++) {
            int[][] levels = new int[links[i].length][];
            for (int l = 0; l < levels.length; l++) {
                int[] mapped = new int[links[i][l].length];
                for (int k = 0; k < mapped.length; k++) {
                    mapped[k] = offsets[links[i][l][k]];
                }
                levels[l] = mapped;
            }
            out[offsets[i]] = levels;
        }
        for (int p = 0; p < total; p++) {
            if (out[p] == null) {
                out[p] = new int[][] {new int[0]};
            }
        }
        return new HnswGraph(out, m, m0, efConstruct, remap(entryPoints, offsets), remap(extraEntryPoints, offsets),
                extraEntryPointCapacity);
    }

    private static List<EntryPoint> remap(List<EntryPoint> points, int[] offsets) {
        return points.stream().map(e -> new EntryPoint(offsets[e.pointId()], e.level())).toList();
    }
}
