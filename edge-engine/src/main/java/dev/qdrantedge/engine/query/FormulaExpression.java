package dev.qdrantedge.engine.query;

import dev.qdrantedge.engine.filter.Condition;
import dev.qdrantedge.engine.filter.Geo;
import dev.qdrantedge.engine.filter.JsonPath;
import java.time.Instant;
import java.util.List;
import java.util.Objects;

/**
 * A formula of Qdrant's query API: constants, the prefetches' scores ({@code "$score"}, {@code "$score[i]"}),
 * numeric payload values, filter conditions (1 when the point matches, 0 otherwise), the great-circle
 * distance to a payload geo point, datetimes (constant or from the payload, in seconds since the epoch),
 * sums, products, negation, division, the unary functions {@code abs}, {@code sqrt}, {@code exp},
 * {@code log10}, {@code ln}, {@code pow}, and the linear, exponential and Gaussian decays.
 */
public sealed interface FormulaExpression permits FormulaExpression.Constant, FormulaExpression.Score,
        FormulaExpression.Payload, FormulaExpression.Matches, FormulaExpression.Sum, FormulaExpression.Mult,
        FormulaExpression.Div, FormulaExpression.Pow, FormulaExpression.Unary, FormulaExpression.GeoDistance,
        FormulaExpression.DateTime, FormulaExpression.DateTimeKey, FormulaExpression.Decay {

    /** A number (Qdrant reads formula constants in single precision). */
    record Constant(double value) implements FormulaExpression {
    }

    /**
     * The score the point has in the prefetch at {@code index} ({@code "$score"} is index 0); a point not in
     * that prefetch has the default {@code "$score[index]"}, or 0.
     */
    record Score(int index) implements FormulaExpression {
        /** The key of this variable in the formula's defaults. */
        public String defaultKey() {
            return "$score[" + index + "]";
        }
    }

    /**
     * The first value at {@code key} in the point's payload, which must be a number; absent, the default for
     * the key is used.
     */
    record Payload(JsonPath key) implements FormulaExpression {
        public Payload {
            Objects.requireNonNull(key, "key");
        }

        /** The key of this variable in the formula's defaults. */
        public String defaultKey() {
            return key.toString();
        }
    }

    /** 1 when the point matches the condition, 0 otherwise. */
    record Matches(Condition condition) implements FormulaExpression {
        public Matches {
            Objects.requireNonNull(condition, "condition");
        }
    }

    /** The sum of the terms. */
    record Sum(List<FormulaExpression> terms) implements FormulaExpression {
        public Sum {
            terms = List.copyOf(terms);
        }
    }

    /** The product of the factors (0 as soon as one is 0). */
    record Mult(List<FormulaExpression> factors) implements FormulaExpression {
        public Mult {
            factors = List.copyOf(factors);
        }
    }

    /**
     * {@code left / right}: 0 when {@code left} is 0, {@code byZeroDefault} (when given) when {@code right}
     * is 0; an error when the quotient is not finite.
     */
    record Div(FormulaExpression left, FormulaExpression right, Double byZeroDefault) implements FormulaExpression {
        public Div {
            Objects.requireNonNull(left, "left");
            Objects.requireNonNull(right, "right");
        }
    }

    /** {@code base ^ exponent}; an error when not finite. */
    record Pow(FormulaExpression base, FormulaExpression exponent) implements FormulaExpression {
        public Pow {
            Objects.requireNonNull(base, "base");
            Objects.requireNonNull(exponent, "exponent");
        }
    }

    /** A function of one argument. */
    enum Function {
        NEG("neg"), ABS("abs"), SQRT("sqrt"), EXP("exp"), LOG10("log10"), LN("ln");

        private final String jsonName;

        Function(String jsonName) {
            this.jsonName = jsonName;
        }

        /** The key of the function in REST JSON. */
        public String jsonName() {
            return jsonName;
        }
    }

    /** {@code function(argument)}; an error when the result is not finite (except for neg and abs). */
    record Unary(Function function, FormulaExpression argument) implements FormulaExpression {
        public Unary {
            Objects.requireNonNull(function, "function");
            Objects.requireNonNull(argument, "argument");
        }
    }

    /**
     * The haversine distance in meters from {@code origin} to the geo point ({@code {"lon", "lat"}}) at
     * {@code to} in the point's payload; absent, the default for the key is used.
     */
    record GeoDistance(Geo.Point origin, JsonPath to) implements FormulaExpression {
        public GeoDistance {
            Objects.requireNonNull(origin, "origin");
            Objects.requireNonNull(to, "to");
        }

        /** The key of this variable in the formula's defaults. */
        public String defaultKey() {
            return to.toString();
        }
    }

    /** A constant datetime, worth its whole microseconds since the epoch divided by a million (seconds). */
    record DateTime(Instant value) implements FormulaExpression {
        public DateTime {
            Objects.requireNonNull(value, "value");
        }
    }

    /**
     * The datetime string at {@code key} in the point's payload (or the default for the key), in seconds
     * since the epoch as {@link DateTime}.
     */
    record DateTimeKey(JsonPath key) implements FormulaExpression {
        public DateTimeKey {
            Objects.requireNonNull(key, "key");
        }

        /** The key of this variable in the formula's defaults. */
        public String defaultKey() {
            return key.toString();
        }
    }

    /** The shape of a decay. */
    enum DecayKind {
        /** {@code max(0, 1 - lambda * |x - target|)}, {@code lambda = (1 - midpoint) / scale}. */
        LIN("lin_decay"),
        /** {@code exp(lambda * |x - target|)}, {@code lambda = ln(midpoint) / scale}. */
        EXP("exp_decay"),
        /** {@code exp(lambda * (x - target)^2)}, {@code lambda = ln(midpoint) / scale^2}. */
        GAUSS("gauss_decay");

        private final String jsonName;

        DecayKind(String jsonName) {
            this.jsonName = jsonName;
        }

        /** The key of the decay in REST JSON. */
        public String jsonName() {
            return jsonName;
        }
    }

    /**
     * A decay of {@code x} away from {@code target} (0 when {@code null}), in {@code [0, 1]}: 1 at the target,
     * {@code midpoint} at a distance of {@code scale}.
     *
     * @param lambda the constant the kind's function uses, derived from midpoint and scale by
     *     {@link #lambda(DecayKind, double, double)}
     */
    record Decay(DecayKind kind, FormulaExpression x, FormulaExpression target, double lambda)
            implements FormulaExpression {
        public Decay {
            Objects.requireNonNull(kind, "kind");
            Objects.requireNonNull(x, "x");
        }

        /**
         * The decay constant for {@code midpoint} and {@code scale}, checked as Qdrant does: the midpoint in
         * {@code [0, 1]} for the linear decay and in {@code (0, 1)} for the others, the scale positive.
         *
         * @throws IllegalArgumentException naming the parameter out of range
         */
        public static double lambda(DecayKind kind, double midpoint, double scale) {
            if (kind == DecayKind.LIN) {
                if (!(midpoint >= 0.0 && midpoint <= 1.0)) {
                    throw new IllegalArgumentException("Linear decay midpoint should be in the range [0.0, 1.0], got "
                            + midpoint + ".");
                }
            } else if (!(midpoint > 0.0 && midpoint < 1.0)) {
                throw new IllegalArgumentException("Decay midpoint should be in the range (0.0, 1.0), got "
                        + midpoint + ".");
            }
            if (!(scale > 0.0)) {
                throw new IllegalArgumentException("Decay scale should be non-zero positive, got " + scale + ".");
            }
            switch (kind) {
                case LIN:
                    return (1.0 - midpoint) / scale;
                case EXP:
                    return Math.log(midpoint) / scale;
                default:
                    return Math.log(midpoint) / (scale * scale);
            }
        }
    }
}
