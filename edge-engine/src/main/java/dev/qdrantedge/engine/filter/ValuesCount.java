package dev.qdrantedge.engine.filter;

/**
 * The {@code values_count} part of a field condition: bounds ({@code null} = absent) on the number of
 * values, where an array counts its elements, {@code null} counts 0 and any other value 1.
 */
public record ValuesCount(Long lt, Long gt, Long gte, Long lte) {

    public ValuesCount {
        check(lt, "lt");
        check(gt, "gt");
        check(gte, "gte");
        check(lte, "lte");
    }

    private static void check(Long bound, String name) {
        if (bound != null && bound < 0) {
            throw new IllegalArgumentException(name + " must not be negative, was " + bound);
        }
    }

    public boolean test(long count) {
        return (lt == null || count < lt) && (gt == null || count > gt) && (lte == null || count <= lte)
                && (gte == null || count >= gte);
    }
}
