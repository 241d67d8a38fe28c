package dev.qdrantedge.engine.query;

import dev.qdrantedge.engine.idtracker.PointId;
import dev.qdrantedge.engine.search.InvalidSearchException;
import dev.qdrantedge.engine.search.ScoredPoint;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Fusion of several ranked lists into one, as Qdrant computes it in single precision: reciprocal rank
 * fusion and distribution-based score fusion. The result is best first; each point keeps the version,
 * payload and vectors of its first occurrence.
 */
final class ScoreFusion {

    private ScoreFusion() {
    }

    /**
     * Each point scores the sum over the lists of {@code 1 / (rank / weight + k - 1)}, with ranks from 1; a
     * list of weight 0 or less adds nothing. {@code weights} ({@code null}: 1 each) must have one weight per
     * list.
     *
     * @throws InvalidSearchException when the number of weights is not the number of lists
     */
    static List<ScoredPoint> rrf(List<List<ScoredPoint>> sources, int k, List<Float> weights) {
        if (weights != null && weights.size() != sources.size()) {
            throw new InvalidSearchException("RRF weights length (" + weights.size()
                    + ") does not match number of prefetches (" + sources.size() + ")");
        }
        Map<PointId, float[]> scores = new LinkedHashMap<>();
        Map<PointId, ScoredPoint> first = new LinkedHashMap<>();
        for (int s = 0; s < sources.size(); s++) {
            List<ScoredPoint> source = sources.get(s);
            float weight = weights == null ? 1.0f : weights.get(s);
            for (int pos = 0; pos < source.size(); pos++) {
                ScoredPoint p = source.get(pos);
                float score = weight <= 0.0f ? 0.0f : 1.0f / ((float) (pos + 1) / weight + (float) k - 1.0f);
                first.putIfAbsent(p.id(), p);
                scores.computeIfAbsent(p.id(), id -> new float[1])[0] += score;
            }
        }
        return sorted(first, scores);
    }

    /**
     * Each list's scores are mapped from {@code [mean - 3 sd, mean + 3 sd]} to {@code [0, 1]} (a single
     * point scores 0.5, as do all when the range is empty), then summed per point.
     */
    static List<ScoredPoint> dbsf(List<List<ScoredPoint>> sources) {
        Map<PointId, float[]> scores = new LinkedHashMap<>();
        Map<PointId, ScoredPoint> first = new LinkedHashMap<>();
        for (List<ScoredPoint> source : sources) {
            float[] normalized = distributionNormalized(source);
            for (int i = 0; i < source.size(); i++) {
                ScoredPoint p = source.get(i);
                first.putIfAbsent(p.id(), p);
                scores.computeIfAbsent(p.id(), id -> new float[1])[0] += normalized[i] * 1.0f;
            }
        }
        return sorted(first, scores);
    }

    private static float[] distributionNormalized(List<ScoredPoint> points) {
        int n = points.size();
        float[] out = new float[n];
        if (n < 2) {
            if (n == 1) {
                out[0] = 0.5f;
            }
            return out;
        }
        // Welford's running mean and variance, in single precision as the reference does
        float mean = 0.0f;
        float aggregate = 0.0f;
        for (int i = 0; i < n; i++) {
            float score = points.get(i).score();
            float oldDelta = score - mean;
            mean += oldDelta / (float) (i + 1);
            float delta = score - mean;
            aggregate += oldDelta * delta;
        }
        float variance = aggregate / ((float) n - 1.0f);
        float sd = (float) Math.sqrt(variance);
        float min = mean - 3.0f * sd;
        float max = mean + 3.0f * sd;
        for (int i = 0; i < n; i++) {
            out[i] = min == max ? 0.5f : (points.get(i).score() - min) / (max - min);
        }
        return out;
    }

    private static List<ScoredPoint> sorted(Map<PointId, ScoredPoint> first, Map<PointId, float[]> scores) {
        List<ScoredPoint> out = new ArrayList<>(first.size());
        first.forEach((id, p) -> out.add(new ScoredPoint(id, p.version(), scores.get(id)[0], p.payload(),
                p.vectors())));
        out.sort(Comparator.comparingDouble(ScoredPoint::score).reversed());
        return out;
    }
}
