package dev.qdrantedge.spring.data.repository.query;

import dev.qdrantedge.engine.filter.Condition;
import dev.qdrantedge.engine.filter.DateTimes;
import dev.qdrantedge.engine.filter.FieldCondition;
import dev.qdrantedge.engine.filter.Filter;
import dev.qdrantedge.engine.filter.JsonPath;
import dev.qdrantedge.engine.filter.Match;
import dev.qdrantedge.engine.filter.Range;
import dev.qdrantedge.spring.data.core.EdgeEntityConverter;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Calendar;
import java.util.Collection;
import java.util.Date;
import java.util.List;
import java.util.Set;
import tools.jackson.databind.JsonNode;

/**
 * Qdrant conditions on payload values for the values of query method arguments.
 * <ul>
 *   <li>Equality: strings (and anything Jackson writes as a string: enums, UUIDs) as keyword matches, integers
 *       as integer matches, booleans as boolean matches; floating-point values, and any number compared with a
 *       floating-point property, as a range from the value to the value (Qdrant matches no floats);
 *       date-times as a datetime range from the instant to the instant (payload text is compared as instants,
 *       not as strings); {@code null} as {@code is_empty}.</li>
 *   <li>Ranges: numbers as numeric ranges, date-times as datetime ranges. Date-times are {@link Instant},
 *       {@link OffsetDateTime}, {@link ZonedDateTime}, {@link LocalDateTime} and {@link LocalDate} (both taken
 *       as UTC, as Qdrant reads payload text without a zone), {@link Date} and {@link Calendar}.</li>
 * </ul>
 */
final class PayloadConditions {

    /** Property types whose values are date-times. */
    static final Set<Class<?>> DATE_TIMES = Set.of(Instant.class, OffsetDateTime.class, ZonedDateTime.class,
            LocalDateTime.class, LocalDate.class, Date.class, Calendar.class);

    private final EdgeEntityConverter converter;

    PayloadConditions(EdgeEntityConverter converter) {
        this.converter = converter;
    }

    static boolean isDateTime(Class<?> type) {
        for (Class<?> dateTime : DATE_TIMES) {
            if (dateTime.isAssignableFrom(type)) {
                return true;
            }
        }
        return false;
    }

    static boolean isNumber(Class<?> type) {
        return (type.isPrimitive() && type != boolean.class && type != char.class && type != void.class)
                || Number.class.isAssignableFrom(type);
    }

    static boolean isFloatingPoint(Class<?> type) {
        return type == float.class || type == double.class || type == Float.class || type == Double.class
                || type == BigDecimal.class;
    }

    /** How values of a property compare in equality. */
    enum Kind {
        /** A date-time property: values compare as instants. */
        DATE_TIME,
        /** A floating-point property: values compare as numeric ranges. */
        FLOATING_POINT,
        /** Any other property: values compare by what Jackson writes for them. */
        OTHER;

        static Kind of(Class<?> propertyType) {
            return isDateTime(propertyType) ? DATE_TIME : isFloatingPoint(propertyType) ? FLOATING_POINT : OTHER;
        }
    }

    static Condition not(Condition condition) {
        return Filter.mustNot(condition);
    }

    /** The payload value at {@code key} (or an element of it) equals {@code value}. */
    Condition equalTo(JsonPath key, Object value, Kind kind) {
        if (value == null) {
            return new Condition.IsEmpty(key);
        }
        boolean floatingPoint = kind == Kind.FLOATING_POINT;
        if (kind == Kind.DATE_TIME || isDateTime(value.getClass())) {
            Instant instant = instant(value, key);
            return FieldCondition.range(key, new Range.DateTime(null, null, instant, instant));
        }
        if (value instanceof Number number && (floatingPoint || !isIntegral(number))) {
            double d = number.doubleValue();
            return FieldCondition.range(key, new Range.Numeric(null, null, d, d));
        }
        if (value instanceof Number number) {
            return FieldCondition.match(key, Match.Value.of(integral(number, key)));
        }
        if (value instanceof Boolean flag) {
            return FieldCondition.match(key, Match.Value.of(flag));
        }
        JsonNode json = converter.toJson(value);
        if (json.isString()) {
            return FieldCondition.match(key, Match.Value.of(json.asString()));
        }
        if (json.isBoolean()) {
            return FieldCondition.match(key, Match.Value.of(json.booleanValue()));
        }
        if (json.isIntegralNumber() && json.canConvertToLong() && !floatingPoint) {
            return FieldCondition.match(key, Match.Value.of(json.longValue()));
        }
        if (json.isNumber()) {
            double d = json.doubleValue();
            return FieldCondition.range(key, new Range.Numeric(null, null, d, d));
        }
        throw new IllegalArgumentException("cannot compare " + describe(key) + " with a "
                + value.getClass().getName() + ", which is written as a JSON " + json.getNodeType());
    }

    /** The payload value at {@code key} (or an element of it) equals one of {@code values}. */
    Condition in(JsonPath key, Object values, Kind kind) {
        List<Condition> each = new ArrayList<>();
        for (Object value : elements(values, key)) {
            each.add(equalTo(key, value, kind));
        }
        if (each.isEmpty()) {
            return FieldCondition.match(key, new Match.Any(new Match.Keywords(List.of())));
        }
        List<String> keywords = new ArrayList<>();
        List<Long> integers = new ArrayList<>();
        for (Condition c : each) {
            if (c instanceof FieldCondition field && field.match() instanceof Match.Value match) {
                if (match.value() instanceof String keyword) {
                    keywords.add(keyword);
                } else if (match.value() instanceof Long integer) {
                    integers.add(integer);
                }
            }
        }
        if (keywords.size() == each.size()) {
            return FieldCondition.match(key, new Match.Any(new Match.Keywords(keywords)));
        }
        if (integers.size() == each.size()) {
            return FieldCondition.match(key, new Match.Any(new Match.Integers(integers)));
        }
        return new Filter(null, each, null, null);
    }

    /**
     * A range; {@code null} bounds are open.
     *
     * @throws IllegalArgumentException when a bound is neither a number nor a date-time, or the bounds mix both
     */
    Condition range(JsonPath key, Object gt, Object gte, Object lt, Object lte) {
        Object[] bounds = {lt, gt, gte, lte};
        boolean dateTime = false;
        boolean numeric = false;
        for (Object bound : bounds) {
            if (bound == null) {
                continue;
            }
            if (isDateTime(bound.getClass())) {
                dateTime = true;
            } else if (bound instanceof Number) {
                numeric = true;
            } else if (bound instanceof CharSequence text && DateTimes.parse(text.toString()).isPresent()) {
                dateTime = true;
            } else {
                throw new IllegalArgumentException("a range bound on " + describe(key) + " must be a number or a "
                        + "date-time, was " + bound.getClass().getName());
            }
        }
        if (dateTime && numeric) {
            throw new IllegalArgumentException("the range bounds on " + describe(key) + " mix numbers and date-times");
        }
        if (dateTime) {
            return FieldCondition.range(key, new Range.DateTime(instantOrNull(lt, key), instantOrNull(gt, key),
                    instantOrNull(gte, key), instantOrNull(lte, key)));
        }
        return FieldCondition.range(key, new Range.Numeric(doubleOrNull(lt), doubleOrNull(gt), doubleOrNull(gte),
                doubleOrNull(lte)));
    }

    static Condition text(JsonPath key, Object text) {
        return FieldCondition.match(key, new Match.Text(string(text, key)));
    }

    static Condition prefix(JsonPath key, Object prefix) {
        return FieldCondition.match(key, new Match.Prefix(string(prefix, key)));
    }

    static Condition flag(JsonPath key, boolean value) {
        return FieldCondition.match(key, Match.Value.of(value));
    }

    /** {@code is_empty}: the value is {@code null}, an empty array, or missing. */
    static Condition empty(JsonPath key) {
        return new Condition.IsEmpty(key);
    }

    // -----------------------------------------------------------------------------------------------

    static Collection<?> elements(Object values, JsonPath key) {
        if (values instanceof Collection<?> collection) {
            return collection;
        }
        if (values instanceof Object[] array) {
            return Arrays.asList(array);
        }
        if (values != null && values.getClass().isArray()) {
            List<Object> list = new ArrayList<>();
            for (int i = 0; i < java.lang.reflect.Array.getLength(values); i++) {
                list.add(java.lang.reflect.Array.get(values, i));
            }
            return list;
        }
        throw new IllegalArgumentException("In/NotIn on " + describe(key) + " needs a collection or an array, was "
                + (values == null ? "null" : values.getClass().getName()));
    }

    private static String string(Object value, JsonPath key) {
        if (value == null) {
            throw new IllegalArgumentException("the text to match on " + describe(key) + " is null");
        }
        return value.toString();
    }

    private static boolean isIntegral(Number n) {
        return n instanceof Long || n instanceof Integer || n instanceof Short || n instanceof Byte
                || n instanceof BigInteger;
    }

    private static long integral(Number n, JsonPath key) {
        if (n instanceof BigInteger big) {
            if (big.bitLength() > 63) {
                throw new IllegalArgumentException(big + " compared with " + describe(key)
                        + " is beyond the signed 64-bit range of Qdrant's integer match");
            }
        }
        return n.longValue();
    }

    private static Double doubleOrNull(Object value) {
        return value == null ? null : ((Number) value).doubleValue();
    }

    private static Instant instantOrNull(Object value, JsonPath key) {
        return value == null ? null : instant(value, key);
    }

    static Instant instant(Object value, JsonPath key) {
        if (value instanceof Instant instant) {
            return instant;
        }
        if (value instanceof OffsetDateTime offset) {
            return offset.toInstant();
        }
        if (value instanceof ZonedDateTime zoned) {
            return zoned.toInstant();
        }
        if (value instanceof LocalDateTime local) {
            return local.toInstant(ZoneOffset.UTC);
        }
        if (value instanceof LocalDate date) {
            return date.atStartOfDay().toInstant(ZoneOffset.UTC);
        }
        if (value instanceof Date date) {
            return Instant.ofEpochMilli(date.getTime());
        }
        if (value instanceof Calendar calendar) {
            return calendar.toInstant();
        }
        if (value instanceof CharSequence text) {
            return DateTimes.parse(text.toString()).orElseThrow(() -> new IllegalArgumentException("'" + text
                    + "' compared with " + describe(key) + " is not a date-time Qdrant reads"));
        }
        throw new IllegalArgumentException("a " + value.getClass().getName() + " compared with " + describe(key)
                + " is not a date-time");
    }

    private static String describe(JsonPath key) {
        StringBuilder text = new StringBuilder(key.firstKey());
        for (JsonPath.Step step : key.rest()) {
            if (step instanceof JsonPath.Key k) {
                text.append('.').append(k.name());
            } else {
                text.append("[]");
            }
        }
        return "'" + text + "'";
    }
}
