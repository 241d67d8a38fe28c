package dev.qdrantedge.engine.index.hnsw;

import java.util.Arrays;

/**
 * Qdrant's HNSW search over a {@link HnswGraph} ({@code GraphLayers::search}):
 * <ol>
 *   <li>the entry point is the first accepted one ({@link HnswGraph#entryPoint});</li>
 *   <li>greedy descent: on each level from the entry point's down to 1, move to the best-scoring accepted
 *       neighbour while one scores strictly better;</li>
 *   <li>beam search on level 0 with {@code ef = max(ef, top)}: a candidate heap and a bounded heap of the
 *       {@code ef} best, stopping when the best candidate scores below the worst kept.</li>
 * </ol>
 * As in Qdrant, a node's unvisited links are first narrowed to the accepted ones (deleted, superseded or
 * filtered out nodes are neither scored nor expanded), then to the first {@code m} ({@code m0} on level 0)
 * of them; so the extra links of payload sub-graphs are followed when earlier links are not accepted.
 */
public final class GraphSearch {

    /**
     * The result of one search.
     *
     * @param points the best nodes, best first
     * @param scores their scores
     * @param scored how many node vectors the search scored (its cost: far below the segment's size)
     */
    public record Result(int[] points, float[] scores, int scored) {
    }

    private GraphSearch() {
    }

    /**
     * Searches {@code graph} for the {@code top} best nodes that {@code accept} takes.
     *
     * @param ef the beam size; the search uses {@code max(ef, top)}
     */
    public static Result search(HnswGraph graph, NodeScorer scorer, NodeFilter accept, int top, int ef) {
        if (top <= 0 || graph.links().pointCount() == 0) {
            return new Result(new int[0], new float[0], 0);
        }
        EntryPoint entry = graph.entryPoint(accept);
        if (entry == null) {
            return new Result(new int[0], new float[0], 0);
        }
        return new Searcher(graph, scorer, accept).run(entry, top, Math.max(ef, top));
    }

    /** One search's state. */
    private static final class Searcher {

        private final HnswGraph graph;
        private final NodeScorer scorer;
        private final NodeFilter accept;
        private final GraphLinks.Cursor cursor;
        private int[] batch = new int[64];
        private float[] batchScores = new float[64];
        private int scored;

        Searcher(HnswGraph graph, NodeScorer scorer, NodeFilter accept) {
            this.graph = graph;
            this.scorer = scorer;
            this.accept = accept;
            this.cursor = graph.links().cursor();
        }

        private float score(int point) {
            scored++;
            return scorer.score(point);
        }

        /** Scores the first {@code n} nodes of {@link #batch} into {@link #batchScores}, together. */
        private void scoreBatch(int n) {
            scored += n;
            scorer.scoreAll(batch, n, batchScores);
        }

        Result run(EntryPoint entry, int top, int ef) {
            int current = entry.pointId();
            float currentScore = score(current);
            for (int level = entry.level(); level >= 1; level--) {
                int limit = graph.levelM(level);
                boolean changed = true;
                while (changed) {
                    changed = false;
                    cursor.load(current, level);
                    int n = accepted(null, limit);
                    scoreBatch(n);
                    int best = current;
                    float bestScore = currentScore;
                    for (int i = 0; i < n; i++) {
                        float s = batchScores[i];
                        if (s > bestScore) {
                            best = batch[i];
                            bestScore = s;
                            changed = true;
                        }
                    }
                    current = best;
                    currentScore = bestScore;
                }
            }
            return searchLevel0(current, currentScore, ef, top);
        }

        private Result searchLevel0(int entry, float entryScore, int ef, int top) {
            long[] visited = new long[(graph.links().pointCount() + 63) >>> 6];
            mark(visited, entry);
            Heap nearest = new Heap(Math.min(ef, 1 << 16), false);
            Heap candidates = new Heap(64, true);
            if (nearest.pushBounded(entry, entryScore, ef)) {
                candidates.push(entry, entryScore);
            }
            int limit = graph.levelM(0);
            while (candidates.size() > 0) {
                float s = candidates.topScore();
                int point = candidates.topPoint();
                candidates.pop();
                if (s < nearest.lowerBound()) {
                    break;
                }
                cursor.load(point, 0);
                int n = accepted(visited, limit);
                scoreBatch(n);
                for (int i = 0; i < n; i++) {
                    int link = batch[i];
                    float ls = batchScores[i];
                    if (nearest.pushBounded(link, ls, ef)) {
                        candidates.push(link, ls);
                    }
                    mark(visited, link);
                }
            }
            int[] order = nearest.sortedDescending();
            int k = Math.min(top, order.length);
            int[] points = new int[k];
            float[] scores = new float[k];
            for (int i = 0; i < k; i++) {
                points[i] = nearest.point(order[i]);
                scores[i] = nearest.score(order[i]);
            }
            return new Result(points, scores, scored);
        }

        /** The unvisited links of the loaded node that are accepted, the first {@code limit} of them. */
        private int accepted(long[] visited, int limit) {
            if (batch.length < cursor.count()) {
                batch = new int[cursor.count()];
                batchScores = new float[cursor.count()];
            }
            int kept = 0;
            for (int i = 0; i < cursor.count(); i++) {
                int link = cursor.link(i);
                if (visited != null && (visited[link >>> 6] & (1L << link)) != 0) {
                    continue;
                }
                if (accept.test(link)) {
                    batch[kept++] = link;
                    if (limit != 0 && kept == limit) {
                        break;
                    }
                }
            }
            return kept;
        }

        private static void mark(long[] visited, int point) {
            visited[point >>> 6] |= 1L << point;
        }
    }

    /** A binary heap of (point, score): the best on top ({@code max}) or the worst on top. */
    private static final class Heap {

        private final boolean max;
        private int[] points;
        private float[] scores;
        private int size;

        Heap(int capacity, boolean max) {
            this.max = max;
            this.points = new int[Math.max(4, capacity)];
            this.scores = new float[Math.max(4, capacity)];
        }

        int size() {
            return size;
        }

        int topPoint() {
            return points[0];
        }

        float topScore() {
            return scores[0];
        }

        int point(int i) {
            return points[i];
        }

        float score(int i) {
            return scores[i];
        }

        /** Qdrant's {@code SearchContext::lower_bound}: the worst kept score, or the lowest float when empty. */
        float lowerBound() {
            return size == 0 ? -Float.MAX_VALUE : scores[0];
        }

        /** A bounded min-heap's push: whether the point is kept (the worst is replaced when full). */
        boolean pushBounded(int point, float score, int bound) {
            if (size < bound) {
                push(point, score);
                return true;
            }
            if (less(scores[0], score)) {
                points[0] = point;
                scores[0] = score;
                siftDown(0);
                return true;
            }
            return false;
        }

        void push(int point, float score) {
            if (size == points.length) {
                points = Arrays.copyOf(points, size * 2);
                scores = Arrays.copyOf(scores, size * 2);
            }
            points[size] = point;
            scores[size] = score;
            siftUp(size++);
        }

        void pop() {
            size--;
            if (size > 0) {
                points[0] = points[size];
                scores[0] = scores[size];
                siftDown(0);
            }
        }

        /**
         * Indices of the entries, best score first, equal scores in entry order: sorted as {@code long} keys
         * holding the score's rank in the {@code OrderedFloat} order above the index, so no boxing.
         */
        int[] sortedDescending() {
            long[] keys = new long[size];
            for (int i = 0; i < size; i++) {
                keys[i] = ((long) ~orderedBits(scores[i]) << 32) | i;
            }
            Arrays.sort(keys);
            int[] out = new int[size];
            for (int i = 0; i < size; i++) {
                out[i] = (int) keys[i];
            }
            return out;
        }

        /**
         * An {@code int} whose signed order is the {@code OrderedFloat} order of {@code score}: NaN above
         * everything, and {@code -0.0} equal to {@code 0.0}.
         */
        private static int orderedBits(float score) {
            int bits = Float.floatToIntBits(score + 0.0f);
            return bits ^ ((bits >> 31) & 0x7FFF_FFFF);
        }

        /**
         * {@code a < b} in the {@code OrderedFloat} order: the float comparison decides unless a NaN is
         * involved; NaN is above every number and equal to itself.
         */
        private static boolean less(float a, float b) {
            if (a < b) {
                return true;
            }
            if (a >= b) {
                return false;
            }
            return a == a && b != b;
        }

        /** Whether entry {@code a} belongs above entry {@code b}. */
        private boolean above(int a, int b) {
            return max ? less(scores[b], scores[a]) : less(scores[a], scores[b]);
        }

        private void siftUp(int i) {
            while (i > 0) {
                int parent = (i - 1) >>> 1;
                if (!above(i, parent)) {
                    return;
                }
                swap(i, parent);
                i = parent;
            }
        }

        private void siftDown(int i) {
            while (true) {
                int left = 2 * i + 1;
                if (left >= size) {
                    return;
                }
                int child = left;
                if (left + 1 < size && above(left + 1, left)) {
                    child = left + 1;
                }
                if (!above(child, i)) {
                    return;
                }
                swap(i, child);
                i = child;
            }
        }

        private void swap(int a, int b) {
            int p = points[a];
            points[a] = points[b];
            points[b] = p;
            float s = scores[a];
            scores[a] = scores[b];
            scores[b] = s;
        }
    }
}
