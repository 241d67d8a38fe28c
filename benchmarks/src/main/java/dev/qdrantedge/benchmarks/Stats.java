package dev.qdrantedge.benchmarks;

import java.util.Arrays;
import java.util.List;

/** Order statistics of a sample of durations or rates. */
record Stats(int count, double min, double median, double p90, double max) {

    static Stats of(List<Double> values) {
        double[] v = values.stream().mapToDouble(Double::doubleValue).sorted().toArray();
        if (v.length == 0) {
            throw new IllegalArgumentException("no values");
        }
        return new Stats(v.length, v[0], quantile(v, 0.5), quantile(v, 0.9), v[v.length - 1]);
    }

    static Stats of(double[] values) {
        return of(Arrays.stream(values).boxed().toList());
    }

    private static double quantile(double[] sorted, double q) {
        double position = q * (sorted.length - 1);
        int lower = (int) Math.floor(position);
        int upper = (int) Math.ceil(position);
        return sorted[lower] + (sorted[upper] - sorted[lower]) * (position - lower);
    }
}
