package dev.qdrantedge.spring.data.repository.query;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.qdrantedge.engine.filter.Condition;
import dev.qdrantedge.engine.filter.FieldCondition;
import dev.qdrantedge.engine.filter.Filter;
import dev.qdrantedge.engine.filter.JsonPath;
import dev.qdrantedge.engine.filter.Match;
import dev.qdrantedge.engine.filter.Range;
import dev.qdrantedge.spring.data.Kind;
import dev.qdrantedge.spring.data.core.EdgeEntityConverter;
import java.math.BigDecimal;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZonedDateTime;
import java.util.Calendar;
import java.util.Date;
import java.util.GregorianCalendar;
import java.util.List;
import java.util.TimeZone;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/** The conditions argument values become, independent of a shard. */
class PayloadConditionsTest {

    private static final JsonPath KEY = JsonPath.ofKey("k");
    private final PayloadConditions conditions = new PayloadConditions(new EdgeEntityConverter());

    private static Condition match(Match match) {
        return FieldCondition.match(KEY, match);
    }

    private static Condition dateTime(Instant at) {
        return FieldCondition.range(KEY, new Range.DateTime(null, null, at, at));
    }

    @Test
    void equalityByWhatJacksonWritesAndByValueForFloatsAndDateTimes() {
        PayloadConditions.Kind other = PayloadConditions.Kind.OTHER;
        assertThat(conditions.equalTo(KEY, "x", other)).isEqualTo(match(Match.Value.of("x")));
        assertThat(conditions.equalTo(KEY, Kind.TODO, other)).isEqualTo(match(Match.Value.of("TODO")));
        UUID uuid = UUID.fromString("8f2c1a3e-0b4d-4e5f-9a6b-7c8d9e0f1a2b");
        assertThat(conditions.equalTo(KEY, uuid, other)).isEqualTo(match(Match.Value.of(uuid.toString())));
        assertThat(conditions.equalTo(KEY, 7, other)).isEqualTo(match(Match.Value.of(7L)));
        assertThat(conditions.equalTo(KEY, true, other)).isEqualTo(match(Match.Value.of(true)));
        assertThat(conditions.equalTo(KEY, 2.5, other))
                .isEqualTo(FieldCondition.range(KEY, new Range.Numeric(null, null, 2.5, 2.5)));
        assertThat(conditions.equalTo(KEY, 7, PayloadConditions.Kind.FLOATING_POINT))
                .isEqualTo(FieldCondition.range(KEY, new Range.Numeric(null, null, 7.0, 7.0)));
        assertThat(conditions.equalTo(KEY, new BigDecimal("1.25"), other))
                .isEqualTo(FieldCondition.range(KEY, new Range.Numeric(null, null, 1.25, 1.25)));
        assertThat(conditions.equalTo(KEY, null, other)).isEqualTo(new Condition.IsEmpty(KEY));
        assertThat(conditions.equalTo(KEY, "2024-01-02T03:04:05+01:00", PayloadConditions.Kind.DATE_TIME))
                .isEqualTo(dateTime(Instant.parse("2024-01-02T02:04:05Z")));
        assertThatThrownBy(() -> conditions.equalTo(KEY, List.of("a"), other))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("cannot compare 'k' with a java.util.");
    }

    @Test
    void everyDateTimeTypeIsAnInstantLocalOnesInUtc() {
        Instant at = Instant.parse("2024-05-06T07:08:09Z");
        Calendar calendar = new GregorianCalendar(TimeZone.getTimeZone("Asia/Tokyo"));
        calendar.setTime(Date.from(at));
        for (Object value : List.of(at, OffsetDateTime.parse("2024-05-06T09:08:09+02:00"),
                ZonedDateTime.parse("2024-05-06T16:08:09+09:00[Asia/Tokyo]"), LocalDateTime.parse("2024-05-06T07:08:09"),
                Date.from(at), new java.sql.Timestamp(at.toEpochMilli()), calendar, "2024-05-06 07:08:09")) {
            assertThat(PayloadConditions.instant(value, KEY)).as(value.getClass().getName()).isEqualTo(at);
        }
        assertThat(PayloadConditions.instant(LocalDate.parse("2024-05-06"), KEY))
                .isEqualTo(Instant.parse("2024-05-06T00:00:00Z"));
        assertThat(PayloadConditions.instant(new java.sql.Date(at.toEpochMilli()), KEY)).isEqualTo(at);
        assertThatThrownBy(() -> PayloadConditions.instant("soon", KEY))
                .hasMessageContaining("'soon' compared with 'k' is not a date-time Qdrant reads");
    }

    @Test
    void rangesAreNumericOrDateTime() {
        assertThat(conditions.range(KEY, 1, null, null, 2.5))
                .isEqualTo(FieldCondition.range(KEY, new Range.Numeric(null, 1.0, null, 2.5)));
        Instant at = Instant.parse("2024-05-06T07:08:09Z");
        assertThat(conditions.range(KEY, null, at, LocalDate.parse("2024-06-01"), null))
                .isEqualTo(FieldCondition.range(KEY, new Range.DateTime(Instant.parse("2024-06-01T00:00:00Z"), null,
                        at, null)));
        assertThatThrownBy(() -> conditions.range(KEY, 1, null, at, null))
                .hasMessageContaining("mix numbers and date-times");
        assertThatThrownBy(() -> conditions.range(KEY, "b", null, null, null))
                .hasMessageContaining("must be a number or a date-time, was java.lang.String");
    }

    @Test
    void inIsAnyOfKeywordsOrIntegersElseShould() {
        PayloadConditions.Kind other = PayloadConditions.Kind.OTHER;
        assertThat(conditions.in(KEY, List.of("a", "b"), other))
                .isEqualTo(match(new Match.Any(new Match.Keywords(List.of("a", "b")))));
        assertThat(conditions.in(KEY, new int[] {1, 2}, other))
                .isEqualTo(match(new Match.Any(new Match.Integers(List.of(1L, 2L)))));
        assertThat(conditions.in(KEY, List.of(), other))
                .isEqualTo(match(new Match.Any(new Match.Keywords(List.of()))));
        assertThat(conditions.in(KEY, List.of("a", 1.5), other)).isEqualTo(new Filter(null, List.of(
                match(Match.Value.of("a")), FieldCondition.range(KEY, new Range.Numeric(null, null, 1.5, 1.5))),
                null, null));
    }
}
