package dev.qdrantedge.engine.index.hnsw.build;

import java.util.Arrays;

/**
 * A binary heap of (score, point) pairs packed in {@code long}s whose natural order is the score order (ties by
 * point id): a min-heap keeps the worst of the best at its top, a max-heap the best candidate.
 */
final class ScoredHeap {

    private final boolean max;
    private long[] items;
    private int size;

    ScoredHeap(boolean max, int capacity) {
        this.max = max;
        this.items = new long[Math.max(4, capacity)];
    }

    static long pack(float score, int point) {
        int bits = Float.floatToRawIntBits(score);
        int sortable = bits ^ ((bits >> 31) & 0x7fffffff);
        return ((long) sortable << 32) | (point & 0xffffffffL);
    }

    static int point(long item) {
        return (int) item;
    }

    static float score(long item) {
        int sortable = (int) (item >> 32);
        int bits = sortable ^ ((sortable >> 31) & 0x7fffffff);
        return Float.intBitsToFloat(bits);
    }

    int size() {
        return size;
    }

    boolean isEmpty() {
        return size == 0;
    }

    void clear() {
        size = 0;
    }

    long peek() {
        return items[0];
    }

    private boolean above(long a, long b) {
        return max ? a > b : a < b;
    }

    void push(long item) {
        if (size == items.length) {
            items = Arrays.copyOf(items, size * 2);
        }
        int i = size++;
        while (i > 0) {
            int parent = (i - 1) >>> 1;
            if (!above(item, items[parent])) {
                break;
            }
            items[i] = items[parent];
            i = parent;
        }
        items[i] = item;
    }

    long pop() {
        long top = items[0];
        long last = items[--size];
        if (size > 0) {
            siftDown(last);
        }
        return top;
    }

    /** Replaces the top with {@code item}. */
    void replaceTop(long item) {
        siftDown(item);
    }

    private void siftDown(long item) {
        int i = 0;
        int half = size >>> 1;
        while (i < half) {
            int child = 2 * i + 1;
            int right = child + 1;
            if (right < size && above(items[right], items[child])) {
                child = right;
            }
            if (!above(items[child], item)) {
                break;
            }
            items[i] = items[child];
            i = child;
        }
        items[i] = item;
    }

    /** The items, best first. */
    long[] sortedBestFirst() {
        long[] copy = Arrays.copyOf(items, size);
        Arrays.sort(copy);
        for (int i = 0, j = copy.length - 1; i < j; i++, j--) {
            long t = copy[i];
            copy[i] = copy[j];
            copy[j] = t;
        }
        return copy;
    }
}
