package dev.qdrantedge.engine.sync;

import java.time.Duration;
import java.util.Objects;
import java.util.random.RandomGenerator;

/**
 * Exponential backoff with jitter: the delay before attempt {@code n + 1} after {@code n} failed ones is
 * {@code min(max, initial * multiplier^(n-1))}, spread by up to {@code jitter} of itself either way (so
 * that many clients recovering from one outage do not retry in step).
 *
 * @param initial the delay after the first failure
 * @param multiplier the growth factor per further failure, at least 1
 * @param max the largest delay before jitter
 * @param jitter the fraction (0 to 1) by which a delay may randomly shrink or grow
 */
public record Backoff(Duration initial, double multiplier, Duration max, double jitter) {

    /** 1 s, doubling, at most 5 minutes, 20 % jitter. */
    public static final Backoff DEFAULT = new Backoff(Duration.ofSeconds(1), 2.0, Duration.ofMinutes(5), 0.2);

    public Backoff {
        Objects.requireNonNull(initial, "initial");
        Objects.requireNonNull(max, "max");
        if (initial.isNegative() || initial.isZero()) {
            throw new IllegalArgumentException("backoff initial delay must be positive, got " + initial);
        }
        if (max.compareTo(initial) < 0) {
            throw new IllegalArgumentException("backoff max delay " + max + " is below the initial delay " + initial);
        }
        if (!(multiplier >= 1.0) || Double.isInfinite(multiplier)) {
            throw new IllegalArgumentException("backoff multiplier must be a finite number >= 1, got " + multiplier);
        }
        if (!(jitter >= 0.0 && jitter <= 1.0)) {
            throw new IllegalArgumentException("backoff jitter must be between 0 and 1, got " + jitter);
        }
    }

    /**
     * The delay to wait after {@code failures} consecutive failed attempts.
     *
     * @param failures the number of failed attempts so far, at least 1
     * @param random the source of jitter
     */
    public Duration delayAfter(int failures, RandomGenerator random) {
        if (failures < 1) {
            throw new IllegalArgumentException("failures must be at least 1, got " + failures);
        }
        double base = initial.toNanos() * Math.pow(multiplier, failures - 1);
        double capped = Math.min(base, (double) max.toNanos());
        double spread = jitter == 0.0 ? 0.0 : capped * jitter * (2.0 * random.nextDouble() - 1.0);
        return Duration.ofNanos(Math.max(1L, (long) (capped + spread)));
    }
}
