package dev.qdrantedge.engine.filter;

import static dev.qdrantedge.engine.io.JsonNodes.kind;
import static dev.qdrantedge.engine.io.JsonNodes.present;

import dev.qdrantedge.engine.idtracker.PointId;
import java.math.BigInteger;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.regex.Pattern;
import tools.jackson.databind.JsonNode;

/**
 * Reads filters from Qdrant's REST JSON, exactly what Qdrant accepts:
 * <ul>
 *   <li>{@code must}, {@code should} and {@code must_not} take one condition object or an array of them;
 *       {@code null} means absent; any other key in a filter is an error;</li>
 *   <li>a condition with a {@code key} is a field condition; otherwise the first of {@code is_empty},
 *       {@code is_null}, {@code has_id}, {@code has_vector}, {@code nested} that is present and valid
 *       decides; an object with none of them is a nested filter;</li>
 *   <li>a {@code match} is the first valid of {@code value}, {@code text}, {@code text_any},
 *       {@code phrase}, {@code prefix}, {@code any}, {@code except};</li>
 *   <li>a {@code range} with a string bound is a datetime range, otherwise a numeric one;</li>
 *   <li>unknown keys inside conditions are ignored, as Qdrant ignores them.</li>
 * </ul>
 * {@link #parse} also applies the checks Qdrant's API makes on top of reading (a field condition names
 * at least one test; {@code min_count} is at least 1). {@link #parseStored} skips them, for filters that
 * were accepted before (Qdrant does not re-check what it reads back from its WAL).
 *
 * <p>Errors are {@link FilterParseException}s naming the offending path, such as
 * {@code filter.must[1].range.gte: expected a number or RFC 3339 datetime}.
 */
public final class FilterParser {

    private static final Pattern HYPHENATED = Pattern.compile(
            "[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}");
    private static final Pattern SIMPLE = Pattern.compile("[0-9a-fA-F]{32}");
    private static final BigInteger U64_MAX = BigInteger.ONE.shiftLeft(64).subtract(BigInteger.ONE);
    private static final double EPSILON = Math.ulp(1.0);
    private static final List<String> FILTER_KEYS = List.of("must", "should", "must_not", "min_should");

    private final boolean validate;

    private FilterParser(boolean validate) {
        this.validate = validate;
    }

    /** A filter from REST JSON, with Qdrant's API checks; errors are reported under the path {@code filter}. */
    public static Filter parse(JsonNode json) {
        return parse(json, "filter");
    }

    /** A filter from REST JSON, with Qdrant's API checks; errors are reported under {@code where}. */
    public static Filter parse(JsonNode json, String where) {
        return new FilterParser(true).filter(json, where);
    }

    /** A filter as stored by Qdrant (e.g. in its WAL): read without the API's extra checks. */
    public static Filter parseStored(JsonNode json, String where) {
        return new FilterParser(false).filter(json, where);
    }

    /** A single condition from REST JSON, with Qdrant's API checks. */
    public static Condition parseCondition(JsonNode json, String where) {
        return new FilterParser(true).condition(json, where);
    }

    /**
     * A geo point {@code {"lon", "lat"}} from REST JSON (longitude in [-180, 180], latitude in [-90, 90]);
     * errors are reported under {@code where}.
     */
    public static Geo.Point parseGeoPoint(JsonNode json, String where) {
        return geoPoint(json, where);
    }

    // -----------------------------------------------------------------------------------------------
    // filters and conditions

    private Filter filter(JsonNode node, String where) {
        if (node == null || !node.isObject()) {
            throw error(where, "expected a filter object, found " + kind(node));
        }
        for (Map.Entry<String, JsonNode> e : node.properties()) {
            if (!FILTER_KEYS.contains(e.getKey())) {
                throw error(where + "." + e.getKey(), "unknown field, expected one of must, should, must_not, "
                        + "min_should");
            }
        }
        List<Condition> must = clause(node.get("must"), where + ".must");
        List<Condition> should = clause(node.get("should"), where + ".should");
        List<Condition> mustNot = clause(node.get("must_not"), where + ".must_not");
        Filter.MinShould minShould = minShould(node.get("min_should"), where + ".min_should");
        return new Filter(must, should, mustNot, minShould);
    }

    private List<Condition> clause(JsonNode node, String where) {
        if (node == null || node.isNull()) {
            return null;
        }
        if (node.isObject()) {
            return List.of(condition(node, where));
        }
        if (node.isArray()) {
            return conditions(node, where);
        }
        throw error(where, "expected a condition object or an array of conditions, found " + kind(node));
    }

    private List<Condition> conditions(JsonNode array, String where) {
        List<Condition> out = new ArrayList<>(array.size());
        for (int i = 0; i < array.size(); i++) {
            out.add(condition(array.get(i), where + "[" + i + "]"));
        }
        return out;
    }

    private Filter.MinShould minShould(JsonNode node, String where) {
        if (node == null || node.isNull()) {
            return null;
        }
        if (!node.isObject()) {
            throw error(where, "expected an object with conditions and min_count, found " + kind(node));
        }
        JsonNode conditions = required(node, "conditions", where);
        if (!conditions.isArray()) {
            throw error(where + ".conditions", "expected an array of conditions, found " + kind(conditions));
        }
        List<Condition> list = conditions(conditions, where + ".conditions");
        long minCount = unsigned(required(node, "min_count", where), where + ".min_count");
        if (validate && minCount < 1) {
            throw error(where + ".min_count", "min_count must be greater than 0");
        }
        return new Filter.MinShould(list, minCount);
    }

    private Condition condition(JsonNode node, String where) {
        if (node == null || !node.isObject()) {
            throw error(where, "expected a condition object, found " + kind(node));
        }
        if (node.has("key")) {
            return fieldCondition(node, where);
        }
        FilterParseException first = null;
        for (String kind : List.of("is_empty", "is_null", "has_id", "has_vector", "nested")) {
            if (!node.has(kind)) {
                continue;
            }
            try {
                return specialCondition(kind, node.get(kind), where + "." + kind);
            } catch (FilterParseException e) {
                if (first == null) {
                    first = e;
                }
            }
        }
        if (first != null) {
            throw first;
        }
        if (node.has("slice")) {
            throw error(where + ".slice", "slice conditions are not supported");
        }
        for (Map.Entry<String, JsonNode> e : node.properties()) {
            if (!FILTER_KEYS.contains(e.getKey())) {
                throw error(where + "." + e.getKey(), "unknown condition; expected a field condition "
                        + "({\"key\": ..., \"match\": ...}), is_empty, is_null, has_id, has_vector, nested or a "
                        + "nested filter (must, should, must_not, min_should)");
            }
        }
        return filter(node, where);
    }

    private Condition specialCondition(String kind, JsonNode value, String where) {
        switch (kind) {
            case "is_empty":
                return new Condition.IsEmpty(payloadField(value, where));
            case "is_null":
                return new Condition.IsNull(payloadField(value, where));
            case "has_id":
                return new Condition.HasId(pointIds(value, where));
            case "has_vector":
                return new Condition.HasVector(string(value, where));
            default: {
                if (value == null || !value.isObject()) {
                    throw error(where, "expected an object with key and filter, found " + kind(value));
                }
                JsonPath key = path(required(value, "key", where), where + ".key");
                Filter filter = filter(required(value, "filter", where), where + ".filter");
                return new Condition.Nested(key, filter);
            }
        }
    }

    private JsonPath payloadField(JsonNode value, String where) {
        if (value == null || !value.isObject()) {
            throw error(where, "expected an object with a key, found " + kind(value));
        }
        return path(required(value, "key", where), where + ".key");
    }

    private Set<PointId> pointIds(JsonNode value, String where) {
        if (value == null || !value.isArray()) {
            throw error(where, "expected an array of point ids, found " + kind(value));
        }
        Set<PointId> ids = new LinkedHashSet<>();
        for (int i = 0; i < value.size(); i++) {
            ids.add(pointId(value.get(i), where + "[" + i + "]"));
        }
        return ids;
    }

    private static PointId pointId(JsonNode node, String where) {
        if (node.isIntegralNumber()) {
            BigInteger n = node.bigIntegerValue();
            if (n.signum() >= 0 && n.compareTo(U64_MAX) <= 0) {
                return PointId.of(n.longValue());
            }
        } else if (node.isString()) {
            UUID uuid = uuid(node.asString());
            if (uuid != null) {
                return PointId.of(uuid);
            }
        }
        throw error(where, "value " + node + " is not a valid point ID, valid values are either an unsigned "
                + "integer or a UUID");
    }

    /**
     * The UUID text forms Qdrant accepts: hyphenated, 32 hex digits, braced, or urn:uuid: prefixed;
     * {@code null} for anything else.
     */
    public static UUID uuid(String text) {
        String t = text;
        if (t.length() == 45 && t.regionMatches(true, 0, "urn:uuid:", 0, 9)) {
            t = t.substring(9);
        } else if (t.length() == 38 && t.charAt(0) == '{' && t.charAt(37) == '}') {
            t = t.substring(1, 37);
        }
        String hex;
        if (HYPHENATED.matcher(t).matches()) {
            hex = t.replace("-", "");
        } else if (SIMPLE.matcher(t).matches()) {
            hex = t;
        } else {
            return null;
        }
        return new UUID(Long.parseUnsignedLong(hex.substring(0, 16), 16),
                Long.parseUnsignedLong(hex.substring(16), 16));
    }

    // -----------------------------------------------------------------------------------------------
    // field conditions

    private FieldCondition fieldCondition(JsonNode node, String where) {
        JsonNode keyNode = node.get("key");
        if (!keyNode.isString()) {
            throw error(where + ".key", "Filter condition 'key' must be a string");
        }
        JsonPath key = path(keyNode, where + ".key");
        Match match = present(node, "match") ? match(node.get("match"), where + ".match") : null;
        Range range = present(node, "range") ? range(node.get("range"), where + ".range") : null;
        Geo.BoundingBox box = null;
        if (present(node, "geo_bounding_box")) {
            JsonNode b = object(node.get("geo_bounding_box"), where + ".geo_bounding_box");
            String w = where + ".geo_bounding_box";
            box = new Geo.BoundingBox(geoPoint(required(b, "top_left", w), w + ".top_left"),
                    geoPoint(required(b, "bottom_right", w), w + ".bottom_right"));
        }
        Geo.Radius radius = null;
        if (present(node, "geo_radius")) {
            String w = where + ".geo_radius";
            JsonNode r = object(node.get("geo_radius"), w);
            radius = new Geo.Radius(geoPoint(required(r, "center", w), w + ".center"),
                    number(required(r, "radius", w), w + ".radius"));
        }
        Geo.Polygon polygon = present(node, "geo_polygon")
                ? polygon(node.get("geo_polygon"), where + ".geo_polygon") : null;
        ValuesCount count = null;
        if (present(node, "values_count")) {
            String w = where + ".values_count";
            JsonNode c = object(node.get("values_count"), w);
            count = new ValuesCount(optionalUnsigned(c, "lt", w), optionalUnsigned(c, "gt", w),
                    optionalUnsigned(c, "gte", w), optionalUnsigned(c, "lte", w));
        }
        Boolean isEmpty = present(node, "is_empty") ? bool(node.get("is_empty"), where + ".is_empty") : null;
        Boolean isNull = present(node, "is_null") ? bool(node.get("is_null"), where + ".is_null") : null;
        FieldCondition condition = new FieldCondition(key, match, range, box, radius, polygon, count, isEmpty,
                isNull);
        if (validate && condition.isBlank()) {
            throw error(where, "at least one field condition must be specified (match, range, geo_bounding_box, "
                    + "geo_radius, geo_polygon, values_count, is_empty or is_null)");
        }
        return condition;
    }

    private Match match(JsonNode node, String where) {
        if (!node.isObject()) {
            throw error(where, "expected a match object, found " + kind(node));
        }
        FilterParseException first = null;
        for (String kind : List.of("value", "text", "text_any", "phrase", "prefix", "any", "except")) {
            if (!node.has(kind)) {
                continue;
            }
            try {
                return matchKind(kind, node.get(kind), where + "." + kind);
            } catch (FilterParseException e) {
                if (first == null) {
                    first = e;
                }
            }
        }
        if (first != null) {
            throw first;
        }
        throw error(where, "expected one of value, text, text_any, phrase, prefix, any, except");
    }

    private Match matchKind(String kind, JsonNode v, String where) {
        switch (kind) {
            case "value":
                if (v.isString()) {
                    return new Match.Value(v.asString());
                }
                if (v.isBoolean()) {
                    return new Match.Value(v.booleanValue());
                }
                if (v.isIntegralNumber() && v.canConvertToLong()) {
                    return new Match.Value(v.longValue());
                }
                throw error(where, "expected a string, a signed 64-bit integer or a boolean, found " + kind(v));
            case "text":
                return new Match.Text(string(v, where));
            case "text_any":
                return new Match.TextAny(string(v, where));
            case "phrase":
                return new Match.Phrase(string(v, where));
            case "prefix":
                return new Match.Prefix(string(v, where));
            case "any":
                return new Match.Any(values(v, where));
            default:
                return new Match.Except(values(v, where));
        }
    }

    private static Match.Values values(JsonNode v, String where) {
        if (!v.isArray()) {
            throw error(where, "expected an array of strings or an array of integers, found " + kind(v));
        }
        boolean allStrings = true;
        boolean allIntegers = true;
        for (JsonNode e : v) {
            allStrings &= e.isString();
            allIntegers &= e.isIntegralNumber() && e.canConvertToLong();
        }
        if (allStrings) {
            List<String> keywords = new ArrayList<>(v.size());
            v.forEach(e -> keywords.add(e.asString()));
            return new Match.Keywords(keywords);
        }
        if (allIntegers) {
            List<Long> integers = new ArrayList<>(v.size());
            v.forEach(e -> integers.add(e.longValue()));
            return new Match.Integers(integers);
        }
        throw error(where, "expected an array of strings or an array of signed 64-bit integers");
    }

    private static Range range(JsonNode node, String where) {
        if (!node.isObject()) {
            throw error(where, "expected a range object, found " + kind(node));
        }
        String[] bounds = {"lt", "gt", "gte", "lte"};
        boolean datetime = false;
        for (String b : bounds) {
            datetime |= node.has(b) && node.get(b).isString();
        }
        if (datetime) {
            Instant[] v = new Instant[4];
            for (int i = 0; i < 4; i++) {
                JsonNode b = node.get(bounds[i]);
                if (b == null || b.isNull()) {
                    continue;
                }
                String w = where + "." + bounds[i];
                if (!b.isString()) {
                    throw error(w, "expected an RFC 3339 datetime string (another bound is a datetime), found "
                            + kind(b));
                }
                v[i] = DateTimes.parse(b.asString()).orElseThrow(() -> error(w, "'" + b.asString()
                        + "' does not match accepted datetime format (RFC3339). Example: 2014-01-01T00:00:00Z"));
            }
            return new Range.DateTime(v[0], v[1], v[2], v[3]);
        }
        Double[] v = new Double[4];
        for (int i = 0; i < 4; i++) {
            JsonNode b = node.get(bounds[i]);
            if (b == null || b.isNull()) {
                continue;
            }
            if (!b.isNumber()) {
                throw error(where + "." + bounds[i], "expected a number or RFC 3339 datetime, found " + kind(b));
            }
            v[i] = b.asDouble();
        }
        return new Range.Numeric(v[0], v[1], v[2], v[3]);
    }

    private static Geo.Point geoPoint(JsonNode node, String where) {
        JsonNode p = object(node, where);
        double lon = number(required(p, "lon", where), where + ".lon");
        double lat = number(required(p, "lat", where), where + ".lat");
        try {
            return new Geo.Point(lon, lat);
        } catch (IllegalArgumentException e) {
            throw error(where, "Wrong format of GeoPoint payload: " + e.getMessage());
        }
    }

    private static Geo.Polygon polygon(JsonNode node, String where) {
        JsonNode p = object(node, where);
        List<Geo.Point> exterior = lineString(required(p, "exterior", where), where + ".exterior");
        List<List<Geo.Point>> interiors = null;
        JsonNode in = p.get("interiors");
        if (in != null && !in.isNull()) {
            if (!in.isArray()) {
                throw error(where + ".interiors", "expected an array of line strings, found " + kind(in));
            }
            interiors = new ArrayList<>();
            for (int i = 0; i < in.size(); i++) {
                interiors.add(lineString(in.get(i), where + ".interiors[" + i + "]"));
            }
        }
        return new Geo.Polygon(exterior, interiors);
    }

    /** {"points": [geo points]}: at least 4 points, the last equal to the first. */
    private static List<Geo.Point> lineString(JsonNode node, String where) {
        JsonNode o = object(node, where);
        JsonNode points = required(o, "points", where);
        if (!points.isArray()) {
            throw error(where + ".points", "expected an array of geo points, found " + kind(points));
        }
        List<Geo.Point> out = new ArrayList<>();
        for (int i = 0; i < points.size(); i++) {
            out.add(geoPoint(points.get(i), where + ".points[" + i + "]"));
        }
        if (out.size() <= 3) {
            throw error(where + ".points", "polygon invalid, the size must be at least 4, got " + out.size());
        }
        Geo.Point first = out.get(0);
        Geo.Point last = out.get(out.size() - 1);
        if (Math.abs(first.lat() - last.lat()) > EPSILON || Math.abs(first.lon() - last.lon()) > EPSILON) {
            throw error(where + ".points", "polygon invalid, the first and the last points should be the same to "
                    + "form a closed line");
        }
        return out;
    }

    // -----------------------------------------------------------------------------------------------
    // scalars

    private static JsonPath path(JsonNode node, String where) {
        String text = string(node, where);
        try {
            return JsonPath.parse(text);
        } catch (IllegalArgumentException e) {
            throw error(where, "Invalid json path: '" + text + "'");
        }
    }

    private static String string(JsonNode node, String where) {
        if (node == null || !node.isString()) {
            throw error(where, "expected a string, found " + kind(node));
        }
        return node.asString();
    }

    private static boolean bool(JsonNode node, String where) {
        if (!node.isBoolean()) {
            throw error(where, "expected a boolean, found " + kind(node));
        }
        return node.booleanValue();
    }

    private static double number(JsonNode node, String where) {
        if (!node.isNumber()) {
            throw error(where, "expected a number, found " + kind(node));
        }
        return node.asDouble();
    }

    private static long unsigned(JsonNode node, String where) {
        if (!node.isIntegralNumber() || !node.canConvertToLong() || node.longValue() < 0) {
            throw error(where, "expected a non-negative integer, found " + kind(node));
        }
        return node.longValue();
    }

    private static Long optionalUnsigned(JsonNode object, String field, String where) {
        JsonNode v = object.get(field);
        return v == null || v.isNull() ? null : unsigned(v, where + "." + field);
    }

    private static JsonNode object(JsonNode node, String where) {
        if (node == null || !node.isObject()) {
            throw error(where, "expected an object, found " + kind(node));
        }
        return node;
    }

    private static JsonNode required(JsonNode object, String field, String where) {
        JsonNode v = object.get(field);
        if (v == null) {
            throw error(where + "." + field, "missing field");
        }
        return v;
    }

    private static FilterParseException error(String where, String problem) {
        return new FilterParseException(where, problem);
    }
}
