package dev.qdrantedge.engine.search;

import dev.qdrantedge.engine.config.EdgeConfig;
import dev.qdrantedge.engine.filter.Filter;
import dev.qdrantedge.engine.filter.FilterEvaluator;
import dev.qdrantedge.engine.filter.PointView;
import dev.qdrantedge.engine.idtracker.PointId;
import dev.qdrantedge.engine.index.hnsw.HnswGraph;
import dev.qdrantedge.engine.search.kernel.VectorKernels;
import dev.qdrantedge.engine.vectors.DenseVector;
import dev.qdrantedge.engine.vectors.DenseVectorBlocks;
import dev.qdrantedge.engine.vectors.MultiDenseVector;
import dev.qdrantedge.engine.vectors.SparseVector;
import dev.qdrantedge.engine.vectors.VectorValue;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * Exact nearest-neighbour search with Qdrant Edge's results: the same points, the same scores (up to float
 * summation order) and, for equal scores, the same order where Qdrant's is determined by its merge.
 *
 * <p>How Qdrant Edge searches, and so how this class does:
 * <ol>
 *   <li>The query is checked and preprocessed ({@link PreparedQuery}); sparse queries with the IDF modifier
 *       are weighted with statistics over the whole shard ({@link SparseIdf}).</li>
 *   <li>Every part (segment) is scanned in internal id order for the best {@code offset + limit} points
 *       that are live, have the vector and match the filter. Internal scores are larger-is-better
 *       ({@link DenseSimilarity}; MaxSim for multivectors: the sum over query vectors of the best
 *       similarity; the dot product over shared dimensions for sparse vectors, where points sharing no
 *       dimension with the query are not candidates). Points scoring NaN are never returned.</li>
 *   <li>The parts' lists are merged in part order through Qdrant's bounded priority queue
 *       ({@link ResultMerge}).</li>
 *   <li>Scores are converted to what Qdrant reports (distances for Euclid and Manhattan), results not
 *       strictly better than {@code score_threshold} are cut, then {@code offset} results are skipped.</li>
 * </ol>
 * Within a part, points with equal scores are ranked by position; Qdrant's per-segment selection breaks
 * such ties by its unstable sort, so when more than about {@code 2 * (offset + limit)} candidates compete
 * the order of equal scores (and which of them make the cut) may differ from Qdrant's. Scores never
 * depend on that.
 *
 * <p>A part with an HNSW graph that Qdrant built for the queried dense vector is searched through that
 * graph instead, where Qdrant would use it ({@link GraphPartSearch}); its results are then approximate, as
 * Qdrant's are, and {@link SearchParams#exact()} turns this off.
 *
 * <p>Large parts are split into ranges scanned in parallel on a shared pool; dense vectors are read in
 * blocks of consecutive slots and scored with {@link VectorKernels}.
 */
public final class ExactSearch {

    /** Slots per parallel range, at least. */
    static final int MIN_RANGE = 8192;
    /**
     * Floats decoded per block read: 8 KiB, so that the block stays in the L1 cache while it is scored
     * (larger blocks measured up to twice as slow; see BENCHMARKS.md).
     */
    private static final int BLOCK_FLOATS = 1 << 11;

    private ExactSearch() {
    }

    /**
     * Vectors per block: as many as fit in {@link #BLOCK_FLOATS}, in whole groups of four when there are four
     * or more (the block kernels score four vectors per pass, a remainder one at a time).
     */
    static int blockVectors(int dim) {
        int vectors = Math.max(1, Math.min(256, BLOCK_FLOATS / Math.max(1, dim)));
        return vectors >= 4 ? vectors - vectors % 4 : vectors;
    }

    /**
     * Runs {@code request} over {@code source}, whose vectors are configured as {@code config} says.
     *
     * @throws InvalidSearchException when the vector name is unknown or the query does not fit it
     */
    public static List<ScoredPoint> search(SearchSource source, EdgeConfig config, SearchRequest request) {
        return search(source, config, request, 0);
    }

    /** As {@link #search(SearchSource, EdgeConfig, SearchRequest)}, scanning ranges of {@code rangeSize} slots. */
    static List<ScoredPoint> search(SearchSource source, EdgeConfig config, SearchRequest request, int rangeSize) {
        PreparedQuery query = PreparedQuery.prepare(config, request.using(), request.query());
        SparseVector sparse = query.sparse;
        if (query.kind == PreparedQuery.Kind.SPARSE) {
            if (sparse.indices().length == 0) {
                return List.of();
            }
            if (query.idf) {
                sparse = SparseIdf.weigh(source, query.name, sparse);
            }
        }
        int k = (int) Math.min(Integer.MAX_VALUE - 8, (long) request.offset() + request.limit());
        List<? extends SearchPart> parts = source.parts();
        Scan scan = new Scan(query, sparse, request.filter(), k, VectorKernels.get());

        long total = 0;
        for (SearchPart part : parts) {
            total += part.size();
        }
        int range = rangeSize > 0 ? rangeSize : (int) Math.max(MIN_RANGE,
                (total + 2L * SearchExecutor.parallelism() - 1) / (2L * SearchExecutor.parallelism()));
        List<Callable<TopHits>> tasks = new ArrayList<>();
        List<Integer> taskPart = new ArrayList<>();
        for (int p = 0; p < parts.size(); p++) {
            SearchPart part = parts.get(p);
            HnswGraph graph = GraphPartSearch.chooseGraph(part, query, request.filter(), request.params());
            if (graph != null) {
                tasks.add(() -> GraphPartSearch.search(part, graph, query, request.filter(), request.params(), k,
                        scan.similarity));
                taskPart.add(p);
                continue;
            }
            for (int from = 0; from < part.size(); from += range) {
                int start = from;
                int end = (int) Math.min(part.size(), (long) from + range);
                tasks.add(() -> scan.scan(part, start, end));
                taskPart.add(p);
            }
        }
        List<TopHits> results = SearchExecutor.runAll(tasks);

        ResultMerge merge = new ResultMerge(k);
        int t = 0;
        for (int p = 0; p < parts.size(); p++) {
            TopHits partHits = new TopHits(k);
            while (t < results.size() && taskPart.get(t) == p) {
                partHits.addAll(results.get(t++));
            }
            TopHits.Sorted sorted = partHits.sorted();
            for (int i = 0; i < sorted.size(); i++) {
                merge.push(new ResultMerge.Hit(sorted.scores()[i], p, sorted.positions()[i]));
            }
        }

        List<ResultMerge.Hit> merged = merge.intoSorted();
        List<ScoredPoint> out = new ArrayList<>(Math.min(merged.size(), request.limit()));
        int skipped = 0;
        for (ResultMerge.Hit hit : merged) {
            float score = Scores.report(query.distance, hit.score());
            if (request.scoreThreshold() != null && !Scores.passes(query.distance, score, request.scoreThreshold())) {
                break;
            }
            if (skipped < request.offset()) {
                skipped++;
                continue;
            }
            SearchPart part = parts.get(hit.part());
            int pos = hit.position();
            ObjectNode payload = request.withPayload().enabled()
                    ? request.withPayload().select(part.payload(pos)) : null;
            var vectors = request.withVector().enabled()
                    ? java.util.Collections.unmodifiableMap(request.withVector().select(part.vectors(pos))) : null;
            out.add(new ScoredPoint(part.id(pos), part.version(pos), score, payload, vectors));
        }
        return out;
    }

    /** One search's scan of part ranges; shared by the tasks, which only read it. */
    private static final class Scan {

        private final PreparedQuery query;
        private final SparseVector sparse;
        private final Filter filter;
        private final int k;
        private final DenseSimilarity similarity;

        Scan(PreparedQuery query, SparseVector sparse, Filter filter, int k, VectorKernels kernels) {
            this.query = query;
            this.sparse = sparse;
            this.filter = filter;
            this.k = k;
            this.similarity = query.kind == PreparedQuery.Kind.SPARSE ? null
                    : new DenseSimilarity(query.distance, query.datatype, query.dim, kernels);
        }

        TopHits scan(SearchPart part, int from, int to) {
            TopHits hits = new TopHits(k);
            if (query.kind == PreparedQuery.Kind.DENSE) {
                DenseVectorBlocks blocks = part.denseBlocks(query.name);
                if (blocks != null) {
                    scanBlocks(part, blocks, from, to, hits);
                    return hits;
                }
            }
            for (int pos = from; pos < to; pos++) {
                if (!part.isCurrent(pos)) {
                    continue;
                }
                VectorValue vector = part.vector(pos, query.name);
                if (vector == null || !matches(part, pos)) {
                    continue;
                }
                float score;
                switch (query.kind) {
                    case DENSE:
                        score = similarity.similarity(query.dense, 0, ((DenseVector) vector).values(), 0);
                        break;
                    case MULTI:
                        score = maxSim(vector);
                        break;
                    default:
                        if (!(vector instanceof SparseVector s) || !overlaps(s)) {
                            continue;
                        }
                        score = sparseDot(s);
                }
                if (!Float.isNaN(score)) {
                    hits.offer(score, pos);
                }
            }
            return hits;
        }

        private void scanBlocks(SearchPart part, DenseVectorBlocks blocks, int from, int to, TopHits hits) {
            int dim = query.dim;
            int blockSize = blockVectors(dim);
            float[] block = new float[blockSize * dim];
            float[] scores = new float[blockSize];
            boolean[] candidate = new boolean[blockSize];
            java.util.BitSet live = part.denseCandidates(query.name);
            int end = Math.min(to, blocks.slotCount());
            for (int start = from; start < end; start += blockSize) {
                int n = Math.min(blockSize, end - start);
                int count = 0;
                for (int j = 0; j < n; j++) {
                    int pos = start + j;
                    boolean c = (live != null ? live.get(pos) : part.isCurrent(pos) && blocks.hasVector(pos))
                            && matches(part, pos);
                    candidate[j] = c;
                    if (c) {
                        count++;
                    }
                }
                if (count == 0) {
                    continue;
                }
                if (count * 4 >= n) {
                    blocks.readBlock(start, n, block, 0);
                    similarity.similarityBlock(query.dense, block, n, scores);
                    for (int j = 0; j < n; j++) {
                        if (candidate[j] && !Float.isNaN(scores[j])) {
                            hits.offer(scores[j], start + j);
                        }
                    }
                } else {
                    for (int j = 0; j < n; j++) {
                        if (candidate[j]) {
                            blocks.readBlock(start + j, 1, block, 0);
                            float score = similarity.similarity(query.dense, 0, block, 0);
                            if (!Float.isNaN(score)) {
                                hits.offer(score, start + j);
                            }
                        }
                    }
                }
            }
        }

        private boolean matches(SearchPart part, int pos) {
            return filter == null || FilterEvaluator.matches(filter, new PartPointView(part, pos), part.fieldIndexes());
        }

        /** MaxSim: for each query vector the best similarity to any of the point's vectors, summed. */
        private float maxSim(VectorValue vector) {
            float[][] rows = vector instanceof MultiDenseVector m ? m.vectors()
                    : new float[][] {((DenseVector) vector).values()};
            if (rows.length == 0) {
                return Float.NaN;
            }
            float sum = 0.0f;
            for (float[] q : query.multi) {
                float best = Float.NEGATIVE_INFINITY;
                for (float[] row : rows) {
                    float sim = similarity.similarity(q, 0, row, 0);
                    if (sim > best) {
                        best = sim;
                    }
                }
                sum += best;
            }
            return sum;
        }

        private boolean overlaps(SparseVector v) {
            int[] a = sparse.indices();
            int[] b = v.indices();
            int i = 0;
            int j = 0;
            while (i < a.length && j < b.length) {
                int c = Integer.compareUnsigned(a[i], b[j]);
                if (c == 0) {
                    return true;
                }
                if (c < 0) {
                    i++;
                } else {
                    j++;
                }
            }
            return false;
        }

        /** The dot product over shared dimensions, summed in dimension order. */
        private float sparseDot(SparseVector v) {
            int[] a = sparse.indices();
            float[] av = sparse.values();
            int[] b = v.indices();
            float[] bv = v.values();
            float sum = 0.0f;
            int i = 0;
            int j = 0;
            while (i < a.length && j < b.length) {
                int c = Integer.compareUnsigned(a[i], b[j]);
                if (c == 0) {
                    sum += av[i++] * bv[j++];
                } else if (c < 0) {
                    i++;
                } else {
                    j++;
                }
            }
            return sum;
        }
    }

    /** A position of a part as the filter evaluator sees it; the payload is read once, when first needed. */
    static final class PartPointView implements PointView {

        private final SearchPart part;
        private final int position;
        private ObjectNode payload;

        PartPointView(SearchPart part, int position) {
            this.part = part;
            this.position = position;
        }

        @Override
        public PointId id() {
            return part.id(position);
        }

        @Override
        public JsonNode payload() {
            if (payload == null) {
                payload = part.payload(position);
            }
            return payload;
        }

        @Override
        public boolean hasVector(String name) {
            return part.hasVector(position, name);
        }
    }
}
