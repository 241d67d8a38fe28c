package dev.qdrantedge.engine.search;

import java.util.Arrays;

/**
 * The best {@code k} (score, position) pairs of one part, by score, equal scores by the earlier position:
 * a bounded min-heap whose root is the worst pair kept. Scores are internal (larger is better) and never
 * NaN. The result does not depend on how a part's positions are split between tasks.
 */
final class TopHits {

    private final int k;
    private float[] scores;
    private int[] positions;
    private int size;

    TopHits(int k) {
        this.k = k;
        int initial = Math.min(k, 64);
        this.scores = new float[initial];
        this.positions = new int[initial];
    }

    int size() {
        return size;
    }

    /** Offers a pair; a pair no better than the worst kept one of a full heap is dropped. */
    void offer(float score, int position) {
        if (size < k) {
            if (size == scores.length) {
                int grown = (int) Math.min(k, (long) scores.length * 2);
                scores = Arrays.copyOf(scores, grown);
                positions = Arrays.copyOf(positions, grown);
            }
            scores[size] = score;
            positions[size] = position;
            siftUp(size++);
        } else if (score >= scores[0] && better(score, position, scores[0], positions[0])) {
            scores[0] = score;
            positions[0] = position;
            siftDown(0);
        }
    }

    /** The worst score kept, when the heap is full; {@code -Infinity} otherwise. */
    float floor() {
        return size < k ? Float.NEGATIVE_INFINITY : scores[0];
    }

    void addAll(TopHits other) {
        for (int i = 0; i < other.size; i++) {
            offer(other.scores[i], other.positions[i]);
        }
    }

    /** The kept pairs, best first: {@code [score bits, position]} as two parallel arrays in one holder. */
    Sorted sorted() {
        Integer[] order = new Integer[size];
        for (int i = 0; i < size; i++) {
            order[i] = i;
        }
        Arrays.sort(order, (a, b) -> better(scores[a], positions[a], scores[b], positions[b]) ? -1
                : better(scores[b], positions[b], scores[a], positions[a]) ? 1 : 0);
        float[] s = new float[size];
        int[] p = new int[size];
        for (int i = 0; i < size; i++) {
            s[i] = scores[order[i]];
            p[i] = positions[order[i]];
        }
        return new Sorted(s, p);
    }

    record Sorted(float[] scores, int[] positions) {
        int size() {
            return scores.length;
        }
    }

    private static boolean better(float s1, int p1, float s2, int p2) {
        int c = Scores.compare(s1, s2);
        return c > 0 || (c == 0 && p1 < p2);
    }

    private void siftUp(int i) {
        while (i > 0) {
            int parent = (i - 1) >>> 1;
            if (!better(scores[parent], positions[parent], scores[i], positions[i])) {
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
            int worst = left;
            int right = left + 1;
            if (right < size && better(scores[left], positions[left], scores[right], positions[right])) {
                worst = right;
            }
            if (!better(scores[i], positions[i], scores[worst], positions[worst])) {
                return;
            }
            swap(i, worst);
            i = worst;
        }
    }

    private void swap(int a, int b) {
        float s = scores[a];
        scores[a] = scores[b];
        scores[b] = s;
        int p = positions[a];
        positions[a] = positions[b];
        positions[b] = p;
    }
}
