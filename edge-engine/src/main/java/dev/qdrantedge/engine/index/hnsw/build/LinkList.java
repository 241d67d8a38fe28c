package dev.qdrantedge.engine.index.hnsw.build;

import java.util.Arrays;

/**
 * The links of one point on one level while the graph is built (Qdrant's {@code LinksContainer}). Callers
 * synchronize on the instance.
 */
final class LinkList {

    private int[] links;
    private int size;
    /** How many leading links already passed the heuristic together (they need not be compared again). */
    private int processedByHeuristic;

    LinkList(int capacity) {
        this.links = new int[Math.max(1, capacity)];
    }

    int[] snapshot() {
        return Arrays.copyOf(links, size);
    }

    int size() {
        return size;
    }

    /** Selects from {@code candidates} (best first; packed against this point) with Qdrant's heuristic. */
    void fillWithHeuristic(long[] candidates, int levelM, BuildVectors vectors) {
        size = 0;
        outer:
        for (long candidate : candidates) {
            if (size >= levelM) {
                break;
            }
            int idx = ScoredHeap.point(candidate);
            float score = ScoredHeap.score(candidate);
            for (int i = 0; i < size; i++) {
                if (vectors.score(idx, links[i]) > score) {
                    continue outer;
                }
            }
            append(idx);
        }
        processedByHeuristic = size;
    }

    /**
     * Qdrant's {@code connect_with_heuristic}: adds {@code newPoint} to the links of {@code target}; when full,
     * reselects among the current links and the new point by the heuristic (links that passed it together
     * earlier are not compared with each other again).
     */
    void connectWithHeuristic(int newPoint, int target, int levelM, BuildVectors vectors) {
        if (levelM == 0) {
            return;
        }
        if (size < levelM) {
            append(newPoint);
            return;
        }
        int n = size + 1;
        long[] items = new long[n];
        boolean[] processed = new boolean[n];
        for (int i = 0; i < size; i++) {
            items[i] = ScoredHeap.pack(vectors.score(target, links[i]), links[i]);
        }
        items[size] = ScoredHeap.pack(vectors.score(target, newPoint), newPoint);
        long[] order = items.clone();
        Arrays.sort(order);
        // best first
        for (int i = 0, j = n - 1; i < j; i++, j--) {
            long t = order[i];
            order[i] = order[j];
            order[j] = t;
        }
        int processedCount = processedByHeuristic;
        for (int k = 0; k < n; k++) {
            int idx = ScoredHeap.point(order[k]);
            boolean wasProcessed = false;
            for (int i = 0; i < processedCount; i++) {
                if (links[i] == idx) {
                    wasProcessed = true;
                    break;
                }
            }
            processed[k] = wasProcessed;
        }
        int[] selected = new int[levelM];
        boolean[] selectedProcessed = new boolean[levelM];
        int write = 0;
        outer:
        for (int k = 0; k < n && write < levelM; k++) {
            int idx = ScoredHeap.point(order[k]);
            float score = ScoredHeap.score(order[k]);
            for (int i = 0; i < write; i++) {
                if (processed[k] && selectedProcessed[i]) {
                    continue;
                }
                if (vectors.score(idx, selected[i]) > score) {
                    continue outer;
                }
            }
            selected[write] = idx;
            selectedProcessed[write] = processed[k];
            write++;
        }
        System.arraycopy(selected, 0, links, 0, write);
        size = write;
        processedByHeuristic = write;
    }

    private void append(int point) {
        if (size == links.length) {
            links = Arrays.copyOf(links, size * 2);
        }
        links[size++] = point;
    }
}
