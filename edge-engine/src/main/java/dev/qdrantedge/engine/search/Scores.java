package dev.qdrantedge.engine.search;

import dev.qdrantedge.engine.vectors.Distance;

/**
 * How Qdrant orders, reports and thresholds scores. Internally a larger score is always better: Euclid and
 * Manhattan are scored as negated (squared, for Euclid) distances, and reported as distances.
 */
final class Scores {

    private Scores() {
    }

    /** Whether smaller reported scores are better (the distances Euclid and Manhattan). */
    static boolean smallerIsBetter(Distance distance) {
        return distance.smallerIsBetter();
    }

    /** The score Qdrant reports for an internal score: {@code sqrt|s|} for Euclid, {@code |s|} for Manhattan. */
    static float report(Distance distance, float internal) {
        switch (distance) {
            case EUCLID:
                // the double square root of a float, rounded once to float, is the float square root
                return (float) Math.sqrt(Math.abs(internal));
            case MANHATTAN:
                return Math.abs(internal);
            default:
                return internal;
        }
    }

    /** Qdrant's threshold test on a reported score: strictly better than the threshold. */
    static boolean passes(Distance distance, float reported, float threshold) {
        return smallerIsBetter(distance) ? reported < threshold : reported > threshold;
    }

    /**
     * Orders internal scores as Rust's {@code OrderedFloat}: numerically, {@code -0.0} equal to {@code 0.0},
     * NaN above everything and equal to itself.
     */
    static int compare(float a, float b) {
        if (a < b) {
            return -1;
        }
        if (a > b) {
            return 1;
        }
        boolean aNaN = Float.isNaN(a);
        boolean bNaN = Float.isNaN(b);
        if (aNaN == bNaN) {
            return 0;
        }
        return aNaN ? 1 : -1;
    }
}
