package dev.qdrantedge.engine.search;

import java.util.ArrayList;
import java.util.List;

/**
 * Merges the parts' best-first hit lists as Qdrant Edge does: every hit of every part, part by part, is
 * pushed into one bounded priority queue ordered by score alone ({@code FixedLengthPriorityQueue} over
 * Rust's {@code BinaryHeap}), which is then drained into a best-first list. The queue is emulated
 * operation for operation, so hits with equal scores come out in the order Qdrant returns them, given the
 * same per-part lists.
 */
final class ResultMerge {

    /** A hit: internal score, part index, position in the part. */
    record Hit(float score, int part, int position) {
    }

    private final int capacity;
    // the heap holds Reverse<Hit>: a max-heap of reversed order, i.e. its root is the worst hit
    private final List<Hit> data = new ArrayList<>();

    ResultMerge(int capacity) {
        this.capacity = capacity;
    }

    /** Rust's {@code FixedLengthPriorityQueue::push}. */
    void push(Hit hit) {
        if (data.size() < capacity) {
            data.add(hit);
            siftUp(0, data.size() - 1);
            return;
        }
        // replace the root (the worst hit) when the new hit is strictly better, then restore the heap
        if (Scores.compare(data.get(0).score(), hit.score()) < 0) {
            data.set(0, hit);
            siftDownRange(0, data.size());
        }
    }

    /** Rust's {@code BinaryHeap::into_sorted_vec} over {@code Reverse}: best first. */
    List<Hit> intoSorted() {
        int end = data.size();
        while (end > 1) {
            end--;
            Hit root = data.get(0);
            data.set(0, data.get(end));
            data.set(end, root);
            siftDownRange(0, end);
        }
        return data;
    }

    /** Order of the heap's elements: {@code Reverse<Hit>}, so a worse hit is "greater". */
    private static int cmp(Hit a, Hit b) {
        return Scores.compare(b.score(), a.score());
    }

    private void siftUp(int start, int pos) {
        Hit element = data.get(pos);
        while (pos > start) {
            int parent = (pos - 1) / 2;
            if (cmp(element, data.get(parent)) <= 0) {
                break;
            }
            data.set(pos, data.get(parent));
            pos = parent;
        }
        data.set(pos, element);
    }

    private void siftDownRange(int pos, int end) {
        Hit element = data.get(pos);
        int child = 2 * pos + 1;
        while (child <= Math.max(end - 2, 0) && end >= 2) {
            if (cmp(data.get(child), data.get(child + 1)) <= 0) {
                child++;
            }
            if (cmp(element, data.get(child)) >= 0) {
                data.set(pos, element);
                return;
            }
            data.set(pos, data.get(child));
            pos = child;
            child = 2 * pos + 1;
        }
        if (child == end - 1 && cmp(element, data.get(child)) < 0) {
            data.set(pos, data.get(child));
            pos = child;
        }
        data.set(pos, element);
    }
}
