package dev.qdrantedge.engine.search;

import dev.qdrantedge.engine.filter.Filter;
import dev.qdrantedge.engine.filter.FilterEvaluator;
import dev.qdrantedge.engine.index.hnsw.GraphSearch;
import dev.qdrantedge.engine.index.hnsw.HnswGraph;
import dev.qdrantedge.engine.index.hnsw.HnswGraphConfig;
import dev.qdrantedge.engine.index.hnsw.NodeFilter;
import dev.qdrantedge.engine.index.hnsw.NodeScorer;
import dev.qdrantedge.engine.vectors.DenseVectorBlocks;
import java.util.BitSet;

/**
 * Answers one part of a dense search through the part's HNSW graph where Qdrant would, deciding as
 * {@code HNSWIndex::search} does:
 * <ul>
 *   <li>exact search asked for, a query that is not a single dense vector, a part without a graph, or a
 *       graph without links: scan;</li>
 *   <li>no filter: the graph, unless the part has fewer live vectors than the graph's
 *       {@code full_scan_threshold} (a vector count, converted by Qdrant when it built the index);</li>
 *   <li>a filter: scan when fewer than {@code full_scan_threshold} live vectors match it, else the graph,
 *       with the filter checked on every node before it is scored. Qdrant estimates that cardinality from
 *       its payload indexes and a sample; here the matches are counted, stopping at the threshold, which
 *       gives the decision Qdrant's estimate approximates.</li>
 * </ul>
 * The graph's beam size is {@code hnsw_ef} when given, else the graph's {@code ef}; never below
 * {@code offset + limit}. Nodes that are deleted, superseded by a copy elsewhere, without the vector or
 * not matching the filter are never scored nor returned.
 */
final class GraphPartSearch {

    private GraphPartSearch() {
    }

    /** The graph to use for {@code part}, or {@code null} when the part is to be scanned. */
    static HnswGraph chooseGraph(SearchPart part, PreparedQuery query, Filter filter, SearchParams params) {
        if (query.kind != PreparedQuery.Kind.DENSE || params.exact()) {
            return null;
        }
        HnswGraph graph = part.hnswGraph(query.name);
        if (graph == null || !graph.config().hasLinks() || part.denseBlocks(query.name) == null) {
            return null;
        }
        BitSet live = part.denseCandidates(query.name);
        if (live == null) {
            return null;
        }
        long threshold = graph.config().fullScanThreshold();
        if (filter == null) {
            return live.cardinality() < threshold ? null : graph;
        }
        long matching = 0;
        for (int pos = live.nextSetBit(0); pos >= 0 && matching < threshold; pos = live.nextSetBit(pos + 1)) {
            if (FilterEvaluator.matches(filter, new ExactSearch.PartPointView(part, pos), part.fieldIndexes())) {
                matching++;
            }
        }
        return matching < threshold ? null : graph;
    }

    /** The part's best {@code k} points found through {@code graph}. */
    static TopHits search(SearchPart part, HnswGraph graph, PreparedQuery query, Filter filter, SearchParams params,
            int k, DenseSimilarity similarity) {
        HnswGraphConfig config = graph.config();
        int ef = params.hnswEf() != null ? params.hnswEf() : config.ef();
        DenseVectorBlocks blocks = part.denseBlocks(query.name);
        BitSet live = part.denseCandidates(query.name);
        NodeFilter accept;
        if (filter == null) {
            accept = live::get;
        } else {
            BitSet checked = new BitSet();
            BitSet matched = new BitSet();
            accept = pos -> {
                if (!live.get(pos)) {
                    return false;
                }
                if (!checked.get(pos)) {
                    checked.set(pos);
                    if (FilterEvaluator.matches(filter, new ExactSearch.PartPointView(part, pos), part.fieldIndexes())) {
                        matched.set(pos);
                    }
                }
                return matched.get(pos);
            };
        }
        GraphSearch.Result result = GraphSearch.search(graph, new BlockScorer(blocks, query.dense, similarity),
                accept, k, ef);
        TopHits hits = new TopHits(k);
        for (int i = 0; i < result.points().length; i++) {
            if (!Float.isNaN(result.scores()[i])) {
                hits.offer(result.scores()[i], result.points()[i]);
            }
        }
        return hits;
    }

    /**
     * Scores nodes against the query: a batch of nodes has its vectors copied into one block, all reads
     * first (so that their cache misses overlap), then scored four at a time.
     */
    private static final class BlockScorer implements NodeScorer {

        private final DenseVectorBlocks blocks;
        private final float[] query;
        private final DenseSimilarity similarity;
        private final int dim;
        private float[] block;

        BlockScorer(DenseVectorBlocks blocks, float[] query, DenseSimilarity similarity) {
            this.blocks = blocks;
            this.query = query;
            this.similarity = similarity;
            this.dim = similarity.dim();
            this.block = new float[32 * dim];
        }

        @Override
        public float score(int point) {
            blocks.readBlock(point, 1, block, 0);
            return similarity.similarity(query, 0, block, 0);
        }

        @Override
        public void scoreAll(int[] points, int count, float[] scores) {
            if (block.length < count * dim) {
                block = new float[count * dim];
            }
            blocks.readSlots(points, count, block);
            similarity.similarityBlock(query, block, count, scores);
        }
    }
}
