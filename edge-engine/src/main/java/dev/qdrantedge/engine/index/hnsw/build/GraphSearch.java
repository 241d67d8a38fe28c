package dev.qdrantedge.engine.index.hnsw.build;

/**
 * Searches a built graph in memory as Qdrant searches a stored one (descent from the entry point, then an
 * {@code ef} search on level 0): used to check what the builder produced. Not thread-safe.
 */
final class GraphSearch {

    private final HnswGraph graph;
    private final BuildVectors vectors;
    private final LevelSearch search;

    GraphSearch(HnswGraph graph, BuildVectors vectors) {
        this.graph = graph;
        this.vectors = vectors;
        this.search = new LevelSearch(graph.pointCount());
    }

    /** Point offsets of the best {@code top} points found with {@code ef}, best first. */
    int[] search(float[] query, int top, int ef) {
        if (graph.entryPoints().isEmpty()) {
            return new int[0];
        }
        EntryPoint entry = graph.entryPoints().get(0);
        LevelSearch.Scorer scorer = p -> vectors.score(query, p);
        LevelSearch.Links links = graph::linksView;
        long start = search.searchEntry(entry.pointId(), entry.level(), 0, scorer, links);
        long[] found = search.searchOnLevel(start, 0, Math.max(ef, top), scorer, links).sortedBestFirst();
        int[] ids = new int[Math.min(top, found.length)];
        for (int i = 0; i < ids.length; i++) {
            ids[i] = ScoredHeap.point(found[i]);
        }
        return ids;
    }
}
