package dev.qdrantedge.engine.optimize;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Plans optimizations as Qdrant's merge and indexing optimizers do (in that order, as Qdrant Edge runs them),
 * each segment in at most one plan:
 * <ul>
 *   <li>merge: when there are more segments than the target number, batches of the smallest segments whose
 *       summed size stays below the maximum segment size (a first batch of two waits for a second one, so that
 *       the count goes down);</li>
 *   <li>indexing: the largest segment lacking an index whose vectors reach the indexing threshold, together with
 *       the smallest other such segment (or else the smallest indexed one) when the pair stays below the
 *       maximum segment size and the number of segments is at its target already.</li>
 * </ul>
 */
public final class OptimizationPlanner {

    private OptimizationPlanner() {
    }

    /** Groups of segment ids, each to be optimized into one new segment. */
    public static List<List<String>> plan(List<SegmentSummary> segments, OptimizerThresholds thresholds) {
        Map<String, SegmentSummary> remaining = new LinkedHashMap<>();
        segments.forEach(s -> remaining.put(s.id(), s));
        int[] expected = {segments.size()};
        List<List<String>> plans = new ArrayList<>();
        planMerge(remaining, thresholds, expected, plans);
        planIndexing(remaining, thresholds, expected, plans);
        return plans;
    }

    private static void add(List<String> batch, Map<String, SegmentSummary> remaining, int[] expected,
            List<List<String>> plans) {
        batch.forEach(remaining::remove);
        expected[0] -= batch.size() - 1;
        plans.add(List.copyOf(batch));
    }

    private static void planMerge(Map<String, SegmentSummary> remaining, OptimizerThresholds t, int[] expected,
            List<List<String>> plans) {
        List<SegmentSummary> candidates = new ArrayList<>(remaining.values());
        candidates.sort(Comparator.comparingLong(SegmentSummary::vectorBytes));
        long threshold = t.maxSegmentSizeBytes();
        List<String> firstBatch = null;
        int taken = 0;
        int last = Math.max(0, expected[0] + 2 - t.defaultSegmentNumber());
        while (taken < Math.min(last, candidates.size())) {
            List<String> batch = new ArrayList<>();
            long sum = 0;
            for (int i = taken; i < Math.min(last, candidates.size()); i++) {
                sum += candidates.get(i).vectorBytes();
                if (sum >= threshold) {
                    break;
                }
                batch.add(candidates.get(i).id());
            }
            if (batch.size() < 2) {
                return;
            }
            boolean first = taken == 0;
            taken += batch.size();
            last++;
            if (first && batch.size() < 3) {
                firstBatch = batch;
                continue;
            }
            if (firstBatch != null) {
                add(firstBatch, remaining, expected, plans);
                firstBatch = null;
            }
            add(batch, remaining, expected, plans);
        }
    }

    private static void planIndexing(Map<String, SegmentSummary> remaining, OptimizerThresholds t, int[] expected,
            List<List<String>> plans) {
        long maxSize = t.maxSegmentSizeBytes();
        Deque<SegmentSummary> unindexed = new ArrayDeque<>();
        Deque<SegmentSummary> indexed = new ArrayDeque<>();
        List<SegmentSummary> sorted = new ArrayList<>(remaining.values());
        sorted.sort(Comparator.comparingLong(SegmentSummary::vectorBytes));
        for (SegmentSummary s : sorted) {
            if (!s.indexed() && s.vectorBytes() > 0 && s.vectorBytes() >= t.indexingThresholdBytes()) {
                unindexed.addLast(s);
            }
            if (s.indexed()) {
                indexed.addLast(s);
            }
        }
        while (!unindexed.isEmpty()) {
            SegmentSummary selected = unindexed.pollLast();
            if (!remaining.containsKey(selected.id())) {
                continue;
            }
            if (expected[0] < t.defaultSegmentNumber()) {
                add(List.of(selected.id()), remaining, expected, plans);
                continue;
            }
            SegmentSummary small = unindexed.peekFirst();
            if (small != null && remaining.containsKey(small.id())
                    && selected.vectorBytes() + small.vectorBytes() < maxSize) {
                unindexed.pollFirst();
                add(List.of(selected.id(), small.id()), remaining, expected, plans);
                continue;
            }
            SegmentSummary smallIndexed = indexed.peekFirst();
            if (smallIndexed != null && remaining.containsKey(smallIndexed.id())
                    && selected.vectorBytes() + smallIndexed.vectorBytes() < maxSize) {
                indexed.pollFirst();
                add(List.of(selected.id(), smallIndexed.id()), remaining, expected, plans);
                continue;
            }
            add(List.of(selected.id()), remaining, expected, plans);
        }
    }
}
