package dev.qdrantedge.engine.filter;

import java.util.Objects;
import tools.jackson.databind.JsonNode;

/**
 * One payload field index of a segment, as far as it decides filter answers. Where a segment has an index on
 * a condition's key, Qdrant answers the condition from the index instead of the payload, and for several
 * conditions that gives a different answer (see {@link IndexedConditions} for each kind). A field holds its
 * indexes in Qdrant's order; the first one that serves a condition answers it.
 */
public sealed interface FieldIndex permits FieldIndex.Keyword, FieldIndex.IntegerLookup, FieldIndex.IntegerRange,
        FieldIndex.FloatRange, FieldIndex.DatetimeRange, FieldIndex.Uuid, FieldIndex.Bool, FieldIndex.GeoPoints,
        FieldIndex.FullText, FieldIndex.Null {

    /**
     * The value an integer index holds for a payload value: a signed 64-bit integer, or a float whose value
     * is one (5.0 is 5); {@code null} for anything else.
     */
    static Long integerValue(JsonNode v) {
        if (!v.isNumber()) {
            return null;
        }
        if (v.isIntegralNumber() && v.canConvertToLong()) {
            return v.longValue();
        }
        double d = v.asDouble();
        long n = (long) d;
        return (double) n == d ? n : null;
    }

    /** {@code keyword}: string values; serves string {@code match} value, any, except and prefix. */
    record Keyword() implements FieldIndex {
    }

    /**
     * {@code integer} with {@code lookup} (the default): integer values (and floats with an integral value);
     * serves integer {@code match} value, any and except.
     */
    record IntegerLookup() implements FieldIndex {
    }

    /**
     * {@code integer} with {@code range} (the default): integer values (and floats with an integral value);
     * serves every {@code range}.
     */
    record IntegerRange() implements FieldIndex {
    }

    /** {@code float}: numeric values; serves every {@code range}. */
    record FloatRange() implements FieldIndex {
    }

    /** {@code datetime}: strings that parse as datetimes, to the microsecond; serves every {@code range}. */
    record DatetimeRange() implements FieldIndex {
    }

    /** {@code uuid}: strings that parse as UUIDs; serves {@code match} value, any and except of UUID strings. */
    record Uuid() implements FieldIndex {
    }

    /** {@code bool}: boolean values; serves boolean {@code match} value. */
    record Bool() implements FieldIndex {
    }

    /** {@code geo}: valid geo points; serves geo radius, bounding box and polygon (the first of them present). */
    record GeoPoints() implements FieldIndex {
    }

    /** {@code text}: a full-text index; serves {@code match} text, text_any and phrase. */
    record FullText(TextIndexParams params) implements FieldIndex {
        public FullText {
            Objects.requireNonNull(params, "params");
        }
    }

    /**
     * The null index Qdrant keeps beside every other index of a field: whether the point has any non-null
     * value, and any null; serves {@code is_empty} and {@code is_null}.
     */
    record Null() implements FieldIndex {
    }
}
