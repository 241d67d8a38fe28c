package dev.qdrantedge.engine.filter;

import java.util.Objects;

/**
 * {@code {"key": k, ...}}: a condition on the values at a payload path. Like Qdrant, it holds any
 * combination of the parts below ({@code null} = absent); the REST validation only demands at least one.
 *
 * <p>How the parts combine (Qdrant's rules): when the key selects no value, the condition holds only if
 * {@code valuesCount} accepts a count of 0, or {@code isEmpty} is true, or {@code isNull} is false (checked
 * in that order, the first present part decides). Otherwise it holds when some selected value passes:
 * {@code valuesCount}, if present, alone decides (count: array length, 0 for null, 1 for anything else); else
 * {@code isEmpty}, if present, alone decides; else {@code isNull}; else the value passes when any of
 * {@code match}, {@code range}, {@code geoBoundingBox}, {@code geoRadius}, {@code geoPolygon} accepts it or,
 * for an array value, one of its elements (one level).
 *
 * @param key the payload path
 * @param match a match condition
 * @param range a numeric or datetime range
 * @param geoBoundingBox a geo rectangle
 * @param geoRadius a geo circle
 * @param geoPolygon a geo polygon
 * @param valuesCount a bound on the number of values
 * @param isEmpty {@code true}: the value is null or an empty array; {@code false}: it is neither
 * @param isNull {@code true}: the value is null or an array holding a null; {@code false}: neither
 */
public record FieldCondition(JsonPath key, Match match, Range range, Geo.BoundingBox geoBoundingBox,
        Geo.Radius geoRadius, Geo.Polygon geoPolygon, ValuesCount valuesCount, Boolean isEmpty, Boolean isNull)
        implements Condition {

    public FieldCondition {
        Objects.requireNonNull(key, "key");
    }

    public static FieldCondition match(JsonPath key, Match match) {
        return new FieldCondition(key, match, null, null, null, null, null, null, null);
    }

    public static FieldCondition range(JsonPath key, Range range) {
        return new FieldCondition(key, null, range, null, null, null, null, null, null);
    }

    public static FieldCondition geoBoundingBox(JsonPath key, Geo.BoundingBox box) {
        return new FieldCondition(key, null, null, box, null, null, null, null, null);
    }

    public static FieldCondition geoRadius(JsonPath key, Geo.Radius radius) {
        return new FieldCondition(key, null, null, null, radius, null, null, null, null);
    }

    public static FieldCondition geoPolygon(JsonPath key, Geo.Polygon polygon) {
        return new FieldCondition(key, null, null, null, null, polygon, null, null, null);
    }

    public static FieldCondition valuesCount(JsonPath key, ValuesCount count) {
        return new FieldCondition(key, null, null, null, null, null, count, null, null);
    }

    public static FieldCondition isEmpty(JsonPath key, boolean isEmpty) {
        return new FieldCondition(key, null, null, null, null, null, null, isEmpty, null);
    }

    public static FieldCondition isNull(JsonPath key, boolean isNull) {
        return new FieldCondition(key, null, null, null, null, null, null, null, isNull);
    }

    /** Whether no part is present (REST validation rejects such a condition; it matches nothing). */
    public boolean isBlank() {
        return match == null && range == null && geoBoundingBox == null && geoRadius == null && geoPolygon == null
                && valuesCount == null && isEmpty == null && isNull == null;
    }
}
