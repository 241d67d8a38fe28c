package dev.qdrantedge.benchmarks;

/**
 * The {@code k} largest keys seen, each with a {@code long} reference: a binary min-heap of fixed size, so
 * a candidate that does not beat the current k-th best costs one comparison against {@link #threshold()}.
 */
final class TopK {

    private final float[] keys;
    private final long[] refs;
    private int size;

    TopK(int k) {
        if (k < 1) {
            throw new IllegalArgumentException("k must be positive: " + k);
        }
        keys = new float[k];
        refs = new long[k];
    }

    int capacity() {
        return keys.length;
    }

    void clear() {
        size = 0;
    }

    int size() {
        return size;
    }

    /** Keys not above this cannot enter; negative infinity until {@code k} keys are held. */
    float threshold() {
        return size < keys.length ? Float.NEGATIVE_INFINITY : keys[0];
    }

    void offer(float key, long ref) {
        if (size < keys.length) {
            int i = size++;
            while (i > 0) {
                int parent = (i - 1) >>> 1;
                if (keys[parent] <= key) {
                    break;
                }
                keys[i] = keys[parent];
                refs[i] = refs[parent];
                i = parent;
            }
            keys[i] = key;
            refs[i] = ref;
        } else if (key > keys[0]) {
            siftDownFromRoot(key, ref);
        }
    }

    void addAll(TopK other) {
        for (int i = 0; i < other.size; i++) {
            offer(other.keys[i], other.refs[i]);
        }
    }

    /** The held references, best (largest key) first; {@code keysOut} receives their keys in that order. */
    long[] sortedDescending(float[] keysOut) {
        float[] k = java.util.Arrays.copyOf(keys, size);
        long[] r = java.util.Arrays.copyOf(refs, size);
        for (int i = 1; i < size; i++) { // insertion sort: k is small
            float key = k[i];
            long ref = r[i];
            int j = i - 1;
            while (j >= 0 && k[j] < key) {
                k[j + 1] = k[j];
                r[j + 1] = r[j];
                j--;
            }
            k[j + 1] = key;
            r[j + 1] = ref;
        }
        System.arraycopy(k, 0, keysOut, 0, size);
        return r;
    }

    private void siftDownFromRoot(float key, long ref) {
        int i = 0;
        int half = size >>> 1;
        while (i < half) {
            int child = 2 * i + 1;
            int right = child + 1;
            if (right < size && keys[right] < keys[child]) {
                child = right;
            }
            if (key <= keys[child]) {
                break;
            }
            keys[i] = keys[child];
            refs[i] = refs[child];
            i = child;
        }
        keys[i] = key;
        refs[i] = ref;
    }
}
