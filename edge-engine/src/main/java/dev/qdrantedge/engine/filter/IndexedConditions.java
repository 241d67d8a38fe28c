package dev.qdrantedge.engine.filter;

import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import tools.jackson.databind.JsonNode;

/**
 * Conditions answered by payload field indexes, as Qdrant answers them: where a segment has indexes on a
 * condition's key, the first index that serves the condition answers it from the values it indexed, whatever
 * the condition's other parts say. How that differs from the payload check ({@link FilterEvaluator}):
 *
 * <ul>
 *   <li><b>keyword</b> ({@code match} value, any, except, prefix of strings): indexes strings only, so
 *       {@code except} matches a point only through a string value outside the list; numbers, booleans and
 *       objects, which pass {@code except} without an index, do not.</li>
 *   <li><b>integer lookup</b> ({@code match} value, any, except of integers) and <b>integer range</b> (every
 *       {@code range}): index integers and floats with an integral value (5.0 is 5); other floats are not
 *       indexed (1.5 matches no range and passes no {@code except}); float bounds are rounded to the integers
 *       they admit and values compare exactly, not as doubles; a datetime range compares its bounds in
 *       microseconds since the epoch with the integers.</li>
 *   <li><b>float</b> (every {@code range}): numbers; a datetime range compares microseconds since the epoch.</li>
 *   <li><b>datetime</b> (every {@code range}): strings that parse as datetimes, truncated to the microsecond; a
 *       numeric range compares microseconds since the epoch with its bounds rounded to integers.</li>
 *   <li><b>uuid</b> ({@code match} value, any, except when every string is a UUID): compares UUIDs, so the text
 *       form (case, hyphens, braces, {@code urn:uuid:}) does not matter; values that are not UUIDs are not
 *       indexed.</li>
 *   <li><b>bool</b> ({@code match} value of a boolean), <b>geo</b> (radius, then bounding box, then polygon:
 *       the first present alone decides; points outside the valid coordinate ranges are not indexed): as
 *       without an index otherwise.</li>
 *   <li><b>full text</b> ({@code match} text, text_any, phrase): text is tokenized by the index's parameters
 *       ({@link TextIndexTokenizer}) instead of the plain word matching; the tokens of all the point's string
 *       values count together for {@code text} and {@code text_any}; {@code phrase} needs
 *       {@code phrase_matching} in the index (without it nothing matches) and matches within one value.</li>
 *   <li><b>null</b> ({@code is_empty}, {@code is_null}, also as field-condition flags; the index every indexed
 *       field has): decided over all the values at the key together: empty when no value is other than null
 *       or {@code []}, null when some value is null or an array holding null. Without the index a field
 *       condition holds when any single value passes, which differs for keys selecting several values.</li>
 * </ul>
 * Inside {@code nested}, Qdrant checks payloads directly; only full-text indexes on the nested fields still
 * apply there, value by value ({@link #textCheck}), {@code phrase} again only with {@code phrase_matching}.
 *
 * <p>Not reproduced: where Qdrant's query planner picks a geo condition on an indexed field as the primary
 * clause, it collects candidates from the geohash regions covering the shape, and for bounding boxes spanning
 * the whole longitude range or crossing the antimeridian that cover misses points inside the box; this engine
 * returns the geometric answer (a superset of Qdrant's there).
 */
final class IndexedConditions {

    private IndexedConditions() {
    }

    /**
     * The answer of the first of {@code indexes} that serves {@code c} for the point whose values at
     * {@code c.key()} are {@code values}; {@code null} when none serves it.
     */
    static Boolean check(FieldCondition c, List<FieldIndex> indexes, List<JsonNode> values) {
        for (FieldIndex index : indexes) {
            Boolean answer = check(c, index, values);
            if (answer != null) {
                return answer;
            }
        }
        return null;
    }

    private static Boolean check(FieldCondition c, FieldIndex index, List<JsonNode> values) {
        Match m = c.match();
        if (index instanceof FieldIndex.Keyword) {
            if (m instanceof Match.Value v && v.value() instanceof String s) {
                return anyString(values, s::equals);
            }
            if (m instanceof Match.Any any && any.values() instanceof Match.Keywords k) {
                return anyString(values, k.keywords()::contains);
            }
            if (m instanceof Match.Except except && except.values() instanceof Match.Keywords k) {
                return anyString(values, x -> !k.keywords().contains(x));
            }
            if (m instanceof Match.Prefix p) {
                return anyString(values, x -> x.startsWith(p.prefix()));
            }
            return null;
        }
        if (index instanceof FieldIndex.IntegerLookup) {
            if (m instanceof Match.Value v && v.value() instanceof Long n) {
                return anyInteger(values, x -> x == n);
            }
            if (m instanceof Match.Any any && any.values() instanceof Match.Integers ints) {
                return anyInteger(values, ints.integers()::contains);
            }
            if (m instanceof Match.Except except && except.values() instanceof Match.Integers ints) {
                return anyInteger(values, x -> !ints.integers().contains(x));
            }
            return null;
        }
        if (index instanceof FieldIndex.IntegerRange) {
            return c.range() == null ? null : integerRange(c.range(), values, false);
        }
        if (index instanceof FieldIndex.DatetimeRange) {
            return c.range() == null ? null : integerRange(c.range(), values, true);
        }
        if (index instanceof FieldIndex.FloatRange) {
            return c.range() == null ? null : floatRange(c.range(), values);
        }
        if (index instanceof FieldIndex.Uuid) {
            return uuid(m, values);
        }
        if (index instanceof FieldIndex.Bool) {
            if (m instanceof Match.Value v && v.value() instanceof Boolean b) {
                for (JsonNode e : flatten(values)) {
                    if (e.isBoolean() && e.booleanValue() == b) {
                        return true;
                    }
                }
                return false;
            }
            return null;
        }
        if (index instanceof FieldIndex.GeoPoints) {
            return geo(c, values);
        }
        if (index instanceof FieldIndex.FullText text) {
            return fullText(m, text.params(), values);
        }
        return nullIndex(c, values);
    }

    /**
     * The check a full-text index makes on one payload value where Qdrant checks payloads (inside
     * {@code nested}); {@code null} when no index in {@code indexes} is a full-text one or {@code c} is not a
     * text condition.
     */
    static Boolean textCheck(FieldCondition c, List<FieldIndex> indexes, JsonNode value) {
        Match m = c.match();
        if (!(m instanceof Match.Text || m instanceof Match.TextAny || m instanceof Match.Phrase)) {
            return null;
        }
        for (FieldIndex index : indexes) {
            if (index instanceof FieldIndex.FullText text) {
                TextIndexTokenizer tokenizer = TextIndexTokenizer.of(text.params());
                for (JsonNode e : flatten(List.of(value))) {
                    if (e.isString() && textMatches(m, tokenizer, List.of(tokenizer.documentTokens(e.asString())),
                            text.params().phraseMatching())) {
                        return true;
                    }
                }
                return false;
            }
        }
        return null;
    }

    // -----------------------------------------------------------------------------------------------

    private interface StringTest {
        boolean test(String s);
    }

    private interface LongTest {
        boolean test(long x);
    }

    /** The values as an index sees them: array elements one level down, other values as they are. */
    private static List<JsonNode> flatten(List<JsonNode> values) {
        List<JsonNode> out = new ArrayList<>();
        for (JsonNode v : values) {
            if (v.isArray()) {
                v.forEach(out::add);
            } else {
                out.add(v);
            }
        }
        return out;
    }

    private static boolean anyString(List<JsonNode> values, StringTest test) {
        for (JsonNode e : flatten(values)) {
            if (e.isString() && test.test(e.asString())) {
                return true;
            }
        }
        return false;
    }

    private static boolean anyInteger(List<JsonNode> values, LongTest test) {
        for (JsonNode e : flatten(values)) {
            Long x = FieldIndex.integerValue(e);
            if (x != null && test.test(x)) {
                return true;
            }
        }
        return false;
    }

    /** Microseconds since the epoch, rounded down, as Qdrant's datetime index stores instants. */
    private static long micros(Instant t) {
        return Math.addExact(Math.multiplyExact(t.getEpochSecond(), 1_000_000L), t.getNano() / 1000);
    }

    /** A range over an integer or datetime index; bounds as the index converts them. */
    private static boolean integerRange(Range r, List<JsonNode> values, boolean datetime) {
        Long lt;
        Long gt;
        Long gte;
        Long lte;
        if (r instanceof Range.Numeric n) {
            lt = n.lt() == null ? null : (long) Math.ceil(n.lt());
            gt = n.gt() == null ? null : (long) Math.floor(n.gt());
            gte = n.gte() == null ? null : (long) Math.ceil(n.gte());
            lte = n.lte() == null ? null : (long) Math.floor(n.lte());
        } else {
            Range.DateTime d = (Range.DateTime) r;
            lt = d.lt() == null ? null : micros(d.lt());
            gt = d.gt() == null ? null : micros(d.gt());
            gte = d.gte() == null ? null : micros(d.gte());
            lte = d.lte() == null ? null : micros(d.lte());
        }
        for (JsonNode e : flatten(values)) {
            Long x;
            if (datetime) {
                Optional<Instant> t = e.isString() ? DateTimes.parse(e.asString()) : Optional.empty();
                x = t.isPresent() ? micros(t.get()) : null;
            } else {
                x = FieldIndex.integerValue(e);
            }
            if (x != null && (lt == null || x < lt) && (gt == null || x > gt) && (gte == null || x >= gte)
                    && (lte == null || x <= lte)) {
                return true;
            }
        }
        return false;
    }

    private static boolean floatRange(Range r, List<JsonNode> values) {
        Range.Numeric bounds;
        if (r instanceof Range.Numeric n) {
            bounds = n;
        } else {
            Range.DateTime d = (Range.DateTime) r;
            bounds = new Range.Numeric(microsAsFloat(d.lt()), microsAsFloat(d.gt()), microsAsFloat(d.gte()),
                    microsAsFloat(d.lte()));
        }
        for (JsonNode e : flatten(values)) {
            if (e.isNumber() && bounds.test(e.asDouble())) {
                return true;
            }
        }
        return false;
    }

    /** A datetime bound as a float index sees it: its microseconds, taken as an unsigned 128-bit number. */
    private static Double microsAsFloat(Instant t) {
        if (t == null) {
            return null;
        }
        long m = micros(t);
        return m >= 0 ? (double) m : 0x1p128 + m;
    }

    private static Boolean uuid(Match m, List<JsonNode> values) {
        Set<UUID> list;
        boolean negate = false;
        if (m instanceof Match.Value v && v.value() instanceof String s) {
            UUID u = FilterParser.uuid(s);
            if (u == null) {
                return null;
            }
            list = Set.of(u);
        } else if (m instanceof Match.Any any && any.values() instanceof Match.Keywords k) {
            list = uuids(k.keywords());
        } else if (m instanceof Match.Except except && except.values() instanceof Match.Keywords k) {
            list = uuids(k.keywords());
            negate = true;
        } else {
            return null;
        }
        if (list == null) {
            return null;
        }
        for (JsonNode e : flatten(values)) {
            UUID u = e.isString() ? FilterParser.uuid(e.asString()) : null;
            if (u != null && list.contains(u) != negate) {
                return true;
            }
        }
        return false;
    }

    /** The UUIDs the strings denote, or null when one of them is not a UUID. */
    private static Set<UUID> uuids(List<String> strings) {
        Set<UUID> out = new HashSet<>();
        for (String s : strings) {
            UUID u = FilterParser.uuid(s);
            if (u == null) {
                return null;
            }
            out.add(u);
        }
        return out;
    }

    private static Boolean geo(FieldCondition c, List<JsonNode> values) {
        Geo.Radius radius = c.geoRadius();
        Geo.BoundingBox box = c.geoBoundingBox();
        Geo.Polygon polygon = c.geoPolygon();
        if (radius == null && box == null && polygon == null) {
            return null;
        }
        for (JsonNode e : flatten(values)) {
            JsonNode lon = e.isObject() ? e.get("lon") : null;
            JsonNode lat = e.isObject() ? e.get("lat") : null;
            if (lon == null || lat == null || !lon.isNumber() || !lat.isNumber()) {
                continue;
            }
            double x = lon.asDouble();
            double y = lat.asDouble();
            if (!(x >= -180 && x <= 180 && y >= -90 && y <= 90)) {
                continue;
            }
            boolean inside = radius != null ? radius.contains(x, y)
                    : box != null ? box.contains(x, y) : polygon.contains(x, y);
            if (inside) {
                return true;
            }
        }
        return false;
    }

    private static Boolean fullText(Match m, TextIndexParams params, List<JsonNode> values) {
        if (!(m instanceof Match.Text || m instanceof Match.TextAny || m instanceof Match.Phrase)) {
            return null;
        }
        TextIndexTokenizer tokenizer = TextIndexTokenizer.of(params);
        List<List<String>> documents = new ArrayList<>();
        for (JsonNode e : flatten(values)) {
            if (e.isString()) {
                documents.add(tokenizer.documentTokens(e.asString()));
            }
        }
        return textMatches(m, tokenizer, documents, params.phraseMatching());
    }

    /**
     * Whether the documents (token lists of one point's values, taken together) match a text condition;
     * {@code phrases}: whether the index keeps positions, without which no phrase matches.
     */
    private static boolean textMatches(Match m, TextIndexTokenizer tokenizer, List<List<String>> documents,
            boolean phrases) {
        if (m instanceof Match.Phrase phrase) {
            List<String> query = tokenizer.documentTokens(phrase.phrase());
            if (!phrases || query.isEmpty()) {
                return false;
            }
            for (List<String> doc : documents) {
                for (int i = 0; i + query.size() <= doc.size(); i++) {
                    if (doc.subList(i, i + query.size()).equals(query)) {
                        return true;
                    }
                }
            }
            return false;
        }
        Set<String> tokens = new HashSet<>();
        documents.forEach(tokens::addAll);
        List<String> query = tokenizer.queryTokens(m instanceof Match.Text t ? t.text() : ((Match.TextAny) m).textAny());
        if (query.isEmpty()) {
            return false;
        }
        if (m instanceof Match.Text) {
            return tokens.containsAll(query);
        }
        for (String q : query) {
            if (tokens.contains(q)) {
                return true;
            }
        }
        return false;
    }

    /** The null index: {@code is_empty} first, then {@code is_null}, over all the values together. */
    private static Boolean nullIndex(FieldCondition c, List<JsonNode> values) {
        if (c.isEmpty() == null && c.isNull() == null) {
            return null;
        }
        boolean hasValues = false;
        boolean isNull = false;
        for (JsonNode v : values) {
            if (v.isNull()) {
                isNull = true;
            } else if (v.isArray()) {
                for (JsonNode e : v) {
                    isNull |= e.isNull();
                }
                hasValues |= !v.isEmpty();
            } else {
                hasValues = true;
            }
        }
        return c.isEmpty() != null ? (!hasValues) == c.isEmpty() : isNull == c.isNull();
    }
}
