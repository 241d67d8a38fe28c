package dev.qdrantedge.engine.query;

import dev.qdrantedge.engine.EdgeOperations;
import dev.qdrantedge.engine.config.EdgeConfig;
import dev.qdrantedge.engine.config.VectorParams;
import dev.qdrantedge.engine.filter.Condition;
import dev.qdrantedge.engine.filter.Filter;
import dev.qdrantedge.engine.idtracker.PointId;
import dev.qdrantedge.engine.search.ScoredPoint;
import dev.qdrantedge.engine.search.SearchParams;
import dev.qdrantedge.engine.search.SearchRequest;
import dev.qdrantedge.engine.search.WithPayload;
import dev.qdrantedge.engine.search.WithVector;
import dev.qdrantedge.engine.shard.EdgeShard;
import dev.qdrantedge.engine.shard.Record;
import dev.qdrantedge.engine.sync.EdgeStore;
import dev.qdrantedge.engine.vectors.Distance;
import dev.qdrantedge.engine.vectors.VectorValue;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Maximal marginal relevance over candidate points, as Qdrant picks them: first the candidate most similar
 * to the query, then repeatedly the one maximising {@code lambda * similarity(query) - (1 - lambda) *
 * max similarity(already picked)}. Similarities are the engine's raw ones (larger is more similar: the
 * negated squared distance for Euclid, the negated distance for Manhattan), computed with exact searches
 * restricted to the candidates, so it works on any {@link EdgeOperations}. Picked points keep the score they
 * came with.
 */
final class MaximalMarginalRelevance {

    private static final SearchParams EXACT = new SearchParams(true, null);

    private final EdgeOperations ops;
    private final String using;
    private final Distance distance;

    MaximalMarginalRelevance(EdgeOperations ops, String using) {
        this.ops = ops;
        this.using = using;
        this.distance = distanceOf(ops, using);
    }

    List<ScoredPoint> pick(List<ScoredPoint> candidates, VectorValue query, float lambda, int limit) {
        Map<PointId, ScoredPoint> unique = new LinkedHashMap<>();
        for (ScoredPoint p : candidates) {
            unique.putIfAbsent(p.id(), p);
        }
        Map<PointId, VectorValue> vectors = new HashMap<>();
        for (Record r : ops.retrieve(unique.keySet(), false, true)) {
            VectorValue v = r.vectors() == null ? null : r.vectors().get(using);
            if (v != null) {
                vectors.put(r.id(), v);
            }
        }
        List<ScoredPoint> points = new ArrayList<>();
        for (ScoredPoint p : unique.values()) {
            if (vectors.containsKey(p.id())) {
                points.add(new ScoredPoint(p.id(), p.version(), p.score(), null, null));
            }
        }
        if (points.size() < 2 || limit == 0) {
            return limit == 0 ? List.of() : points;
        }
        int n = points.size();
        Map<PointId, Integer> index = new HashMap<>();
        for (int i = 0; i < n; i++) {
            index.put(points.get(i).id(), i);
        }
        Filter among = Filter.must(new Condition.HasId(Set.copyOf(index.keySet())));
        float[] relevance = similarities(query, among, index, n);
        float[][] matrix = new float[n][];

        List<Integer> selected = new ArrayList<>();
        List<Integer> remaining = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            remaining.add(i);
        }
        int best = -1;
        int bestAt = -1;
        for (int at = 0; at < remaining.size(); at++) {
            int i = remaining.get(at);
            if (best < 0 || Float.compare(relevance[i], relevance[best]) >= 0) {
                best = i;
                bestAt = at;
            }
        }
        selected.add(best);
        swapRemove(remaining, bestAt);
        while (selected.size() < limit && !remaining.isEmpty()) {
            best = -1;
            bestAt = -1;
            float bestScore = 0;
            for (int at = 0; at < remaining.size(); at++) {
                int candidate = remaining.get(at);
                float maxSimilarity = Float.NEGATIVE_INFINITY;
                for (int s : selected) {
                    if (matrix[s] == null) {
                        matrix[s] = similarities(vectors.get(points.get(s).id()), among, index, n);
                    }
                    maxSimilarity = Math.max(maxSimilarity, matrix[s][candidate]);
                }
                float score = lambda * relevance[candidate] - (1.0f - lambda) * maxSimilarity;
                if (best < 0 || Float.compare(score, bestScore) >= 0) {
                    best = candidate;
                    bestAt = at;
                    bestScore = score;
                }
            }
            selected.add(best);
            swapRemove(remaining, bestAt);
        }
        List<ScoredPoint> out = new ArrayList<>(selected.size());
        for (int i : selected) {
            out.add(points.get(i));
        }
        return out;
    }

    /** The similarity of {@code vector} to each candidate, by candidate index. */
    private float[] similarities(VectorValue vector, Filter among, Map<PointId, Integer> index, int n) {
        List<ScoredPoint> hits = ops.search(new SearchRequest(using, vector, among, n, 0, null, WithPayload.NONE,
                WithVector.NONE, EXACT));
        float[] out = new float[n];
        for (ScoredPoint hit : hits) {
            Integer i = index.get(hit.id());
            if (i != null) {
                out[i] = similarity(hit.score(), hits);
            }
        }
        return out;
    }

    private float similarity(float reported, List<ScoredPoint> hits) {
        Distance d = distance;
        if (d == null) {
            // unknown configuration: a list ordered by increasing score is one of distances
            boolean ascending = hits.size() > 1 && hits.get(0).score() < hits.get(hits.size() - 1).score();
            d = ascending ? Distance.MANHATTAN : Distance.DOT;
        }
        switch (d) {
            case EUCLID:
                return -(reported * reported);
            case MANHATTAN:
                return -reported;
            default:
                return reported;
        }
    }

    private static void swapRemove(List<Integer> list, int at) {
        int last = list.size() - 1;
        list.set(at, list.get(last));
        list.remove(last);
    }

    private static Distance distanceOf(EdgeOperations ops, String using) {
        EdgeConfig config = null;
        if (ops instanceof EdgeShard) {
            config = ((EdgeShard) ops).config().orElse(null);
        } else if (ops instanceof EdgeStore) {
            config = ((EdgeStore) ops).config();
        }
        if (config == null || config.vectors() == null) {
            return null;
        }
        VectorParams params = config.vectors().get(using);
        return params == null ? null : params.distance();
    }
}
