package dev.qdrantedge.engine.index.hnsw.build;

/**
 * Qdrant's search on one level of a graph being built or already built: a greedy descent
 * ({@code search_entry}) and the best-first search keeping {@code ef} results ({@code search_on_level}). Each
 * thread uses its own instance (it owns the visited marks and heaps).
 */
final class LevelSearch {

    /** Scores point offsets against the current query (a new point or a query vector). */
    interface Scorer {
        float score(int point);
    }

    /** Where the links come from: the builder's lists (only of ready points) or a finished graph. */
    interface Links {
        /** Links of {@code point} on {@code level}, already restricted to points that may be visited. */
        int[] get(int point, int level);
    }

    private final int[] visited;
    private int stamp;
    private final ScoredHeap candidates = new ScoredHeap(true, 64);

    LevelSearch(int pointCount) {
        this.visited = new int[pointCount];
    }

    private void nextIteration() {
        stamp++;
        if (stamp == Integer.MAX_VALUE) {
            java.util.Arrays.fill(visited, 0);
            stamp = 1;
        }
    }

    /** Greedy descent from {@code entry} on its {@code fromLevel} down to {@code toLevel + 1}; packed result. */
    long searchEntry(int entry, int fromLevel, int toLevel, Scorer scorer, Links links) {
        long current = ScoredHeap.pack(scorer.score(entry), entry);
        for (int level = fromLevel; level > toLevel; level--) {
            boolean changed = true;
            while (changed) {
                changed = false;
                int from = ScoredHeap.point(current);
                for (int link : links.get(from, level)) {
                    float s = scorer.score(link);
                    if (s > ScoredHeap.score(current)) {
                        current = ScoredHeap.pack(s, link);
                        changed = true;
                    }
                }
            }
        }
        return current;
    }

    /** The best {@code ef} points reachable on {@code level} from {@code entry} (packed), worst on top. */
    ScoredHeap searchOnLevel(long entry, int level, int ef, Scorer scorer, Links links) {
        nextIteration();
        ScoredHeap nearest = new ScoredHeap(false, ef + 1);
        candidates.clear();
        visited[ScoredHeap.point(entry)] = stamp;
        nearest.push(entry);
        candidates.push(entry);
        while (!candidates.isEmpty()) {
            long candidate = candidates.pop();
            float lowerBound = nearest.size() >= ef ? ScoredHeap.score(nearest.peek()) : Float.NEGATIVE_INFINITY;
            if (ScoredHeap.score(candidate) < lowerBound) {
                break;
            }
            for (int link : links.get(ScoredHeap.point(candidate), level)) {
                if (visited[link] == stamp) {
                    continue;
                }
                visited[link] = stamp;
                float s = scorer.score(link);
                if (nearest.size() < ef || s > lowerBound) {
                    long item = ScoredHeap.pack(s, link);
                    if (nearest.size() < ef) {
                        nearest.push(item);
                    } else if (item > nearest.peek()) {
                        nearest.replaceTop(item);
                    }
                    candidates.push(item);
                }
            }
        }
        return nearest;
    }
}
