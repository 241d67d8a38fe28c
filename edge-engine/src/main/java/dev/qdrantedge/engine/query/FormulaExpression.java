package dev.qdrantedge.engine.query;

import dev.qdrantedge.engine.filter.Condition;
import dev.qdrantedge.engine.filter.JsonPath;
import java.util.List;
import java.util.Objects;

/**
 * A formula of Qdrant's query API, in the forms this engine evaluates: constants, the prefetches' scores
 * ({@code "$score"}, {@code "$score[i]"}), numeric payload values, filter conditions (1 when the point
 * matches, 0 otherwise), sums, products, negation, division and the unary functions {@code abs},
 * {@code sqrt}, {@code exp}, {@code log10}, {@code ln}, and {@code pow}. The parser refuses the others
 * (geo distance, datetimes, decays) with an error naming them.
 */
public sealed interface FormulaExpression permits FormulaExpression.Constant, FormulaExpression.Score,
        FormulaExpression.Payload, FormulaExpression.Matches, FormulaExpression.Sum, FormulaExpression.Mult,
        FormulaExpression.Div, FormulaExpression.Pow, FormulaExpression.Unary {

    /** A number. */
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
}
