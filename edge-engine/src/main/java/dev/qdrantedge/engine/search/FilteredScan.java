package dev.qdrantedge.engine.search;

import dev.qdrantedge.engine.filter.Filter;
import dev.qdrantedge.engine.filter.FilterEvaluator;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.function.Supplier;

/**
 * Visits every current position of a {@link SearchSource} that matches a filter, in parallel ranges on the
 * search pool: the exact count, and the per-range accumulation facets use.
 */
public final class FilteredScan {

    /** Receives one matching position. */
    @FunctionalInterface
    public interface Visitor<A> {
        void visit(A accumulator, SearchPart part, int position);
    }

    private FilteredScan() {
    }

    /** The number of current positions matching {@code filter} ({@code null}: all of them). */
    public static long count(SearchSource source, Filter filter) {
        long total = 0;
        for (long[] n : scan(source, filter, () -> new long[1], (acc, part, pos) -> acc[0]++)) {
            total += n[0];
        }
        return total;
    }

    /**
     * Feeds every current position matching {@code filter} to {@code visitor}, one fresh accumulator per
     * range; returns the accumulators (ranges in source order). Visitors run concurrently on different
     * accumulators.
     */
    public static <A> List<A> scan(SearchSource source, Filter filter, Supplier<A> accumulator, Visitor<A> visitor) {
        long total = 0;
        for (SearchPart part : source.parts()) {
            total += part.size();
        }
        int range = (int) Math.max(ExactSearch.MIN_RANGE, (total + 2L * SearchExecutor.parallelism() - 1)
                / (2L * SearchExecutor.parallelism()));
        List<Callable<A>> tasks = new ArrayList<>();
        for (SearchPart part : source.parts()) {
            for (int from = 0; from < part.size(); from += range) {
                int start = from;
                int end = (int) Math.min(part.size(), (long) from + range);
                tasks.add(() -> {
                    A acc = accumulator.get();
                    for (int pos = start; pos < end; pos++) {
                        if (part.isCurrent(pos) && (filter == null
                                || FilterEvaluator.matches(filter, new ExactSearch.PartPointView(part, pos),
                                        part.fieldIndexes()))) {
                            visitor.visit(acc, part, pos);
                        }
                    }
                    return acc;
                });
            }
        }
        return SearchExecutor.runAll(tasks);
    }
}
