package dev.qdrantedge.engine.filter;

import java.util.List;
import java.util.Objects;

/**
 * A Qdrant filter. Each clause is either absent ({@code null}) or a list; an absent clause is no
 * restriction. An empty {@code should} list is no restriction either, except inside a {@code nested}
 * condition's filter, where Qdrant checks it directly and it matches nothing. A point matches when all
 * clauses hold:
 * <ul>
 *   <li>{@code must}: every condition matches (an empty list always holds);</li>
 *   <li>{@code should}: at least one condition matches (see above for an empty list);</li>
 *   <li>{@code mustNot}: no condition matches;</li>
 *   <li>{@code minShould}: at least {@code minCount} of its conditions match.</li>
 * </ul>
 * A filter is itself a {@link Condition}, so filters nest.
 */
public record Filter(List<Condition> must, List<Condition> should, List<Condition> mustNot, MinShould minShould)
        implements Condition {

    /** The filter without clauses: it matches every point. */
    public static final Filter EMPTY = new Filter(null, null, null, null);

    public Filter {
        must = copy(must);
        should = copy(should);
        mustNot = copy(mustNot);
    }

    private static List<Condition> copy(List<Condition> conditions) {
        return conditions == null ? null : List.copyOf(conditions);
    }

    public static Filter must(Condition... conditions) {
        return new Filter(List.of(conditions), null, null, null);
    }

    public static Filter should(Condition... conditions) {
        return new Filter(null, List.of(conditions), null, null);
    }

    public static Filter mustNot(Condition... conditions) {
        return new Filter(null, null, List.of(conditions), null);
    }

    /** {@code min_should}: at least {@code minCount} of {@code conditions} must match. */
    public record MinShould(List<Condition> conditions, long minCount) {
        public MinShould {
            conditions = List.copyOf(Objects.requireNonNull(conditions, "conditions"));
            if (minCount < 0) {
                throw new IllegalArgumentException("minCount must not be negative, was " + minCount);
            }
        }
    }
}
