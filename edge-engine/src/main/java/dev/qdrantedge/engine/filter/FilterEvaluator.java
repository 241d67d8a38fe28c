package dev.qdrantedge.engine.filter;

import dev.qdrantedge.engine.idtracker.PointId;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import tools.jackson.databind.JsonNode;

/**
 * Decides whether a point matches a {@link Filter}, by Qdrant's rules (see {@link Filter}, {@link FieldCondition},
 * {@link Match}, {@link Range}, {@link Geo}, {@link Condition} for the rules of each part). Where the point's
 * segment has payload field indexes ({@link FieldIndexes}), conditions on indexed keys are answered as the
 * indexes answer them ({@link IndexedConditions}), which for some conditions differs from the payload check.
 */
public final class FilterEvaluator {

    private FilterEvaluator() {
    }

    /** Whether {@code point}, whose segment has no payload index, satisfies {@code filter}. */
    public static boolean matches(Filter filter, PointView point) {
        return matches(filter, point, FieldIndexes.NONE);
    }

    /**
     * Whether {@code point} satisfies {@code filter}, conditions on keys of {@code indexes} being answered as
     * those payload indexes of the point's segment answer them.
     *
     * @throws UnsupportedFieldIndexException when a condition needs an index feature this engine does not
     *     implement
     */
    public static boolean matches(Filter filter, PointView point, FieldIndexes indexes) {
        return filter(filter, point.payload(), point, indexes);
    }

    /**
     * @param payload the object conditions look into (the payload, or an element inside {@code nested})
     * @param point the point, or null inside {@code nested}, where id and vector conditions never hold and
     *     Qdrant checks payloads directly (only full-text indexes still apply)
     * @param indexes the indexes on the keys conditions name (relative to the element inside {@code nested})
     */
    private static boolean filter(Filter f, JsonNode payload, PointView point, FieldIndexes indexes) {
        // An empty should list restricts nothing at the shard level (Qdrant's optimized filter skips it),
        // but inside nested, where Qdrant checks the element's payload directly, it matches nothing.
        boolean inNested = point == null;
        if (f.should() != null && (inNested || !f.should().isEmpty()) && !anyMatches(f.should(), payload, point,
                indexes)) {
            return false;
        }
        if (f.minShould() != null) {
            long needed = f.minShould().minCount();
            long found = 0;
            for (Condition c : f.minShould().conditions()) {
                if (found >= needed) {
                    break;
                }
                if (condition(c, payload, point, indexes)) {
                    found++;
                }
            }
            if (found < needed) {
                return false;
            }
        }
        if (f.must() != null) {
            for (Condition c : f.must()) {
                if (!condition(c, payload, point, indexes)) {
                    return false;
                }
            }
        }
        if (f.mustNot() != null) {
            for (Condition c : f.mustNot()) {
                if (condition(c, payload, point, indexes)) {
                    return false;
                }
            }
        }
        return true;
    }

    private static boolean anyMatches(List<Condition> conditions, JsonNode payload, PointView point,
            FieldIndexes indexes) {
        for (Condition c : conditions) {
            if (condition(c, payload, point, indexes)) {
                return true;
            }
        }
        return false;
    }

    private static boolean condition(Condition c, JsonNode payload, PointView point, FieldIndexes indexes) {
        boolean indexed = point != null && !indexes.isEmpty();
        if (c instanceof FieldCondition) {
            FieldCondition field = (FieldCondition) c;
            List<FieldIndex> fieldIndexes = indexes.get(field.key());
            if (indexed && !fieldIndexes.isEmpty()) {
                Boolean answer = IndexedConditions.check(field, fieldIndexes, field.key().values(payload));
                if (answer != null) {
                    return answer;
                }
            }
            return field(field, payload, fieldIndexes);
        }
        if (c instanceof Filter) {
            return filter((Filter) c, payload, point, indexes);
        }
        if (c instanceof Condition.IsEmpty) {
            JsonPath key = ((Condition.IsEmpty) c).key();
            if (indexed && !indexes.get(key).isEmpty()) {
                Boolean answer = IndexedConditions.check(FieldCondition.isEmpty(key, true), indexes.get(key),
                        key.values(payload));
                if (answer != null) {
                    return answer;
                }
            }
            for (JsonNode v : key.values(payload)) {
                if (!(v.isNull() || (v.isArray() && v.isEmpty()))) {
                    return false;
                }
            }
            return true;
        }
        if (c instanceof Condition.IsNull) {
            JsonPath key = ((Condition.IsNull) c).key();
            if (indexed && !indexes.get(key).isEmpty()) {
                Boolean answer = IndexedConditions.check(FieldCondition.isNull(key, true), indexes.get(key),
                        key.values(payload));
                if (answer != null) {
                    return answer;
                }
            }
            for (JsonNode v : key.values(payload)) {
                if (isNull(true, v)) {
                    return true;
                }
            }
            return false;
        }
        if (c instanceof Condition.HasId) {
            PointId id = point == null ? null : point.id();
            return id != null && ((Condition.HasId) c).ids().contains(id);
        }
        if (c instanceof Condition.HasVector) {
            return point != null && point.hasVector(((Condition.HasVector) c).name());
        }
        Condition.Nested nested = (Condition.Nested) c;
        FieldIndexes inside = indexes.under(nested.arrayKey());
        for (JsonNode element : nested.arrayKey().values(payload)) {
            if (element.isObject() && filter(nested.filter(), element, null, inside)) {
                return true;
            }
        }
        return false;
    }

    // -----------------------------------------------------------------------------------------------
    // field conditions

    /** The payload check; a full-text index on the key still decides text conditions value by value. */
    private static boolean field(FieldCondition c, JsonNode payload, List<FieldIndex> fieldIndexes) {
        List<JsonNode> values = c.key().values(payload);
        if (values.isEmpty()) {
            if (c.valuesCount() != null) {
                return c.valuesCount().test(0);
            }
            if (c.isEmpty() != null) {
                return c.isEmpty();
            }
            if (c.isNull() != null) {
                return !c.isNull();
            }
            return false;
        }
        for (JsonNode v : values) {
            Boolean text = fieldIndexes.isEmpty() ? null : IndexedConditions.textCheck(c, fieldIndexes, v);
            if (text != null ? text : fieldValue(c, v)) {
                return true;
            }
        }
        return false;
    }

    private static boolean fieldValue(FieldCondition c, JsonNode v) {
        if (c.valuesCount() != null) {
            return c.valuesCount().test(count(v));
        }
        if (c.isEmpty() != null) {
            return isEmpty(c.isEmpty(), v);
        }
        if (c.isNull() != null) {
            return isNull(c.isNull(), v);
        }
        if (v.isArray()) {
            for (JsonNode element : v) {
                if (single(c, element)) {
                    return true;
                }
            }
            return false;
        }
        return single(c, v);
    }

    private static long count(JsonNode v) {
        return v.isNull() ? 0 : v.isArray() ? v.size() : 1;
    }

    private static boolean isEmpty(boolean wanted, JsonNode v) {
        if (v.isNull()) {
            return wanted;
        }
        if (v.isArray()) {
            return v.isEmpty() == wanted;
        }
        return !wanted;
    }

    private static boolean isNull(boolean wanted, JsonNode v) {
        if (v.isNull()) {
            return wanted;
        }
        if (v.isArray()) {
            boolean anyNull = false;
            for (JsonNode e : v) {
                anyNull |= e.isNull();
            }
            return anyNull == wanted;
        }
        return !wanted;
    }

    /** Whether one value (an array element, or a non-array value) passes any of the condition's parts. */
    private static boolean single(FieldCondition c, JsonNode v) {
        return (c.match() != null && match(c.match(), v))
                || (c.range() != null && range(c.range(), v))
                || (c.geoRadius() != null && geo(v, c.geoRadius()::contains))
                || (c.geoBoundingBox() != null && geo(v, c.geoBoundingBox()::contains))
                || (c.geoPolygon() != null && geo(v, c.geoPolygon()::contains))
                || (c.valuesCount() != null && c.valuesCount().test(count(v)))
                || (c.isEmpty() != null && isEmpty(c.isEmpty(), v))
                || (c.isNull() != null && isNull(c.isNull(), v));
    }

    static boolean match(Match m, JsonNode v) {
        if (m instanceof Match.Value) {
            Object expected = ((Match.Value) m).value();
            if (expected instanceof Boolean) {
                return v.isBoolean() && v.booleanValue() == (Boolean) expected;
            }
            if (expected instanceof String) {
                return v.isString() && v.asString().equals(expected);
            }
            Long integer = asLong(v);
            return integer != null && integer.equals(expected);
        }
        if (m instanceof Match.Text) {
            return v.isString() && TextTokens.containsAll(v.asString(), ((Match.Text) m).text());
        }
        if (m instanceof Match.Phrase) {
            return v.isString() && TextTokens.containsPhrase(v.asString(), ((Match.Phrase) m).phrase());
        }
        if (m instanceof Match.TextAny) {
            return v.isString() && TextTokens.containsAny(v.asString(), ((Match.TextAny) m).textAny());
        }
        if (m instanceof Match.Prefix) {
            return v.isString() && v.asString().startsWith(((Match.Prefix) m).prefix());
        }
        if (m instanceof Match.Any) {
            Match.Values values = ((Match.Any) m).values();
            if (values instanceof Match.Keywords) {
                return v.isString() && ((Match.Keywords) values).keywords().contains(v.asString());
            }
            Long integer = v.isNumber() ? asLong(v) : null;
            return integer != null && ((Match.Integers) values).integers().contains(integer);
        }
        Match.Values values = ((Match.Except) m).values();
        if (v.isNull()) {
            return false;
        }
        if (values instanceof Match.Keywords && v.isString()) {
            return !((Match.Keywords) values).keywords().contains(v.asString());
        }
        if (values instanceof Match.Integers && v.isNumber()) {
            Long integer = asLong(v);
            return integer == null || !((Match.Integers) values).integers().contains(integer);
        }
        return true;
    }

    /** The value as a signed 64-bit integer: only integer numbers in range (never a float, even 5.0). */
    private static Long asLong(JsonNode v) {
        return v.isIntegralNumber() && v.canConvertToLong() ? v.longValue() : null;
    }

    private static boolean range(Range r, JsonNode v) {
        if (r instanceof Range.Numeric) {
            return v.isNumber() && ((Range.Numeric) r).test(v.asDouble());
        }
        if (!v.isString()) {
            return false;
        }
        Optional<Instant> instant = DateTimes.parse(v.asString());
        return instant.isPresent() && ((Range.DateTime) r).test(instant.get());
    }

    private interface GeoTest {
        boolean contains(double lon, double lat);
    }

    private static boolean geo(JsonNode v, GeoTest test) {
        if (!v.isObject()) {
            return false;
        }
        JsonNode lon = v.get("lon");
        JsonNode lat = v.get("lat");
        return lon != null && lat != null && lon.isNumber() && lat.isNumber()
                && test.contains(lon.asDouble(), lat.asDouble());
    }
}
