package dev.qdrantedge.engine.filter;

import java.time.Instant;

/**
 * The {@code range} part of a field condition; absent bounds ({@code null}) do not restrict. A range whose
 * JSON has a string bound is a {@link DateTimes datetime} range, any other a numeric one.
 */
public sealed interface Range permits Range.Numeric, Range.DateTime {

    /**
     * Numeric bounds. Any JSON number passes through its double value (large integers round as they do in
     * Qdrant); other values never match.
     */
    record Numeric(Double lt, Double gt, Double gte, Double lte) implements Range {

        public boolean test(double x) {
            return (lt == null || x < lt) && (gt == null || x > gt) && (lte == null || x <= lte)
                    && (gte == null || x >= gte);
        }
    }

    /**
     * Datetime bounds. A payload value matches when it is a string that parses as a datetime (see
     * {@link DateTimes}) within the bounds, compared to the nanosecond.
     */
    record DateTime(Instant lt, Instant gt, Instant gte, Instant lte) implements Range {

        public boolean test(Instant x) {
            return (lt == null || x.isBefore(lt)) && (gt == null || x.isAfter(gt))
                    && (lte == null || !x.isAfter(lte)) && (gte == null || !x.isBefore(gte));
        }
    }
}
