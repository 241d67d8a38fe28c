package dev.qdrantedge.engine.query;

import dev.qdrantedge.engine.filter.JsonPath;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import tools.jackson.databind.JsonNode;

/**
 * What a query (or a prefetch) scores by, as Qdrant's query API: nearest to a vector or stored point
 * ({@link VectorInput}), a fusion of the prefetches' results, an order by a payload field, maximal
 * marginal relevance, or a formula.
 */
public sealed interface ScoringQuery permits VectorInput, ScoringQuery.Fusion, ScoringQuery.OrderBy,
        ScoringQuery.Mmr, ScoringQuery.Formula {

    /** Qdrant's default {@code k} for reciprocal rank fusion. */
    int DEFAULT_RRF_K = 2;

    /** How fusion combines the prefetches' results. */
    enum FusionMethod {
        /** Reciprocal rank fusion: each list adds {@code 1 / (rank + k)}. */
        RRF,
        /** Distribution-based score fusion: scores normalised by mean and three standard deviations, summed. */
        DBSF
    }

    /**
     * {@code {"fusion": "rrf"|"dbsf"}} or {@code {"rrf": {"k": n, "weights": [...]}}}.
     *
     * @param method the fusion method
     * @param k the RRF constant (ignored by DBSF)
     * @param weights the RRF weight of each prefetch, in order (as many as prefetches), or {@code null} for
     *     1 each
     */
    record Fusion(FusionMethod method, int k, List<Float> weights) implements ScoringQuery {
        public Fusion {
            Objects.requireNonNull(method, "method");
            weights = weights == null ? null : List.copyOf(weights);
        }

        /** A fusion without weights. */
        public Fusion(FusionMethod method, int k) {
            this(method, k, null);
        }
    }

    /**
     * {@code {"order_by": key}} or {@code {"order_by": {"key", "direction", "start_from"}}}.
     *
     * @param key the payload field (it needs an integer, float or datetime index in Qdrant)
     * @param descending whether the largest value comes first
     * @param startFrom the first value to include ({@code >=} ascending, {@code <=} descending), or {@code null};
     *     a datetime {@code start_from} is given in microseconds since the epoch, the scale datetime payload
     *     values are ordered on
     */
    record OrderBy(JsonPath key, boolean descending, Double startFrom) implements ScoringQuery {
        public OrderBy {
            Objects.requireNonNull(key, "key");
        }
    }

    /**
     * {@code {"nearest": v, "mmr": {"diversity", "candidates_limit"}}}: the {@code candidatesLimit} nearest
     * points, of which the best {@code limit} are picked one by one, trading relevance for dissimilarity to
     * those already picked ({@code lambda = 1 - diversity}).
     *
     * @param vector the vector (or point) the relevance is measured to
     * @param diversity in {@code [0, 1]}
     * @param candidatesLimit how many nearest points to pick from, or {@code null} for the request's limit
     */
    record Mmr(VectorInput vector, float diversity, Integer candidatesLimit) implements ScoringQuery {
        public Mmr {
            Objects.requireNonNull(vector, "vector");
        }
    }

    /**
     * {@code {"formula": expression, "defaults": {...}}}: each point of the prefetches scored by the
     * expression.
     *
     * @param expression the expression
     * @param defaults values of variables ({@code "$score[1]"}, payload keys) used when a point has none
     */
    record Formula(FormulaExpression expression, Map<String, JsonNode> defaults) implements ScoringQuery {
        public Formula {
            Objects.requireNonNull(expression, "expression");
            defaults = defaults == null ? Map.of() : Map.copyOf(defaults);
        }
    }
}
