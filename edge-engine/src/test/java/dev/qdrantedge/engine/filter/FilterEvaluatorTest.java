package dev.qdrantedge.engine.filter;

import static org.assertj.core.api.Assertions.assertThat;

import dev.qdrantedge.engine.idtracker.PointId;
import java.time.Instant;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

class FilterEvaluatorTest {

    static boolean matches(String filter, String payload) {
        return matches(filter, payload, PointId.of(1), Set.of(""));
    }

    static boolean matches(String filter, String payload, PointId id, Set<String> vectors) {
        JsonNode p = FilterParserTest.json(payload);
        return FilterEvaluator.matches(FilterParser.parse(FilterParserTest.json(filter)), new PointView() {
            @Override
            public PointId id() {
                return id;
            }

            @Override
            public JsonNode payload() {
                return p;
            }

            @Override
            public boolean hasVector(String name) {
                return vectors.contains(name);
            }
        });
    }

    static String field(String key, String condition) {
        return "{'must': {'key': '" + key + "', " + condition + "}}";
    }

    @Test
    void matchValueKeepsJsonTypesApart() {
        assertThat(matches(field("n", "'match': {'value': 5}"), "{'n': 5}")).isTrue();
        assertThat(matches(field("n", "'match': {'value': 5}"), "{'n': 5.0}")).isFalse();
        assertThat(matches(field("n", "'match': {'value': 5}"), "{'n': '5'}")).isFalse();
        assertThat(matches(field("b", "'match': {'value': true}"), "{'b': true}")).isTrue();
        assertThat(matches(field("b", "'match': {'value': true}"), "{'b': 1}")).isFalse();
        assertThat(matches(field("b", "'match': {'value': 'true'}"), "{'b': true}")).isFalse();
        assertThat(matches(field("n", "'match': {'value': 1}"), "{'n': [3, [1], 1]}")).isTrue();
        assertThat(matches(field("n", "'match': {'value': 1}"), "{'n': [[1]]}")).isFalse();
        assertThat(matches(field("n", "'match': {'any': [1]}"), "{'n': 18446744073709551615}")).isFalse();
    }

    @Test
    void matchExceptPassesValuesOfAnotherType() {
        String except = field("v", "'match': {'except': ['a']}");
        assertThat(matches(except, "{'v': 'a'}")).isFalse();
        assertThat(matches(except, "{'v': 'b'}")).isTrue();
        assertThat(matches(except, "{'v': 1}")).isTrue();
        assertThat(matches(except, "{'v': true}")).isTrue();
        assertThat(matches(except, "{'v': null}")).isFalse();
        assertThat(matches(except, "{'v': ['a', null]}")).isFalse();
        assertThat(matches(except, "{}")).isFalse();
        assertThat(matches(field("v", "'match': {'except': [1]}"), "{'v': 1.5}")).isTrue();
    }

    @Test
    void textMatchesWordsWithoutAnIndex() {
        String doc = "{'t': 'The quick, brown fox'}";
        assertThat(matches(field("t", "'match': {'text': 'QUICK fox'}"), doc)).isTrue();
        assertThat(matches(field("t", "'match': {'text': 'k br'}"), doc)).isFalse();
        assertThat(matches(field("t", "'match': {'text': ''}"), doc)).isFalse();
        assertThat(matches(field("t", "'match': {'text_any': 'cat brown'}"), doc)).isTrue();
        assertThat(matches(field("t", "'match': {'phrase': 'quick brown'}"), doc)).isTrue();
        assertThat(matches(field("t", "'match': {'phrase': 'brown quick'}"), doc)).isFalse();
        assertThat(matches(field("t", "'match': {'prefix': 'The q'}"), doc)).isTrue();
        assertThat(matches(field("t", "'match': {'prefix': 'the'}"), doc)).isFalse();
    }

    @Test
    void ranges() {
        assertThat(matches(field("n", "'range': {'gt': 1, 'lte': 2}"), "{'n': [0, 2]}")).isTrue();
        assertThat(matches(field("n", "'range': {'gt': 1, 'lte': 2}"), "{'n': '2'}")).isFalse();
        assertThat(matches(field("n", "'range': {}"), "{'n': 1e300}")).isTrue();
        assertThat(matches(field("d", "'range': {'gte': '2024-01-15T10:00:00Z'}"), "{'d': '2024-01-15 11:00:00+01:00'}"))
                .isTrue();
        assertThat(matches(field("d", "'range': {'gt': '2024-01-15T10:00:00Z'}"), "{'d': '2024-01-15T10:00:00.000001Z'}"))
                .isTrue();
        assertThat(matches(field("d", "'range': {'gt': '2024-01-15'}"), "{'d': 'soon'}")).isFalse();
    }

    @Test
    void datetimeForms() {
        Instant t = Instant.parse("2020-03-01T09:00:00Z");
        for (String s : List.of("2020-03-01T09:00:00Z", "2020-03-01t09:00:00z", "2020-03-01 09:00:00",
                "2020-03-01T00:00:00-09:00", "2020-03-01T00:00:00-0900", "2020-03-01T00:00:00-09",
                "2020-03-01T09:00", "2020-03-01 09:00", "2020-03-01T09:00:00.000000000000Z", "2020-03-01T09:00:00 UTC")) {
            assertThat(DateTimes.parse(s)).as(s).contains(t);
        }
        assertThat(DateTimes.parse("2020-03-01")).contains(Instant.parse("2020-03-01T00:00:00Z"));
        assertThat(DateTimes.parse("2020-03-01T09:00:00.123456789Z")).contains(t.plusNanos(123_456_789));
        for (String s : List.of("", "2020-02-30", "2020-03-01T24:00:00Z", "2020-03-01T09:00:00+24:00", "20200301",
                "2020-03-01T09:00:00Zx")) {
            assertThat(DateTimes.parse(s)).as(s).isEmpty();
        }
    }

    @Test
    void geo() {
        String berlin = "{'loc': {'lon': 13.404954, 'lat': 52.520008}}";
        assertThat(matches(field("loc", "'geo_radius': {'center': {'lon': 13.404954, 'lat': 52.530008}, 'radius': 1112.5}"),
                berlin)).isTrue();
        assertThat(matches(field("loc", "'geo_radius': {'center': {'lon': 13.404954, 'lat': 52.530008}, 'radius': 1111}"),
                berlin)).isFalse();
        assertThat(Geo.distanceMeters(-74.006, 40.7128, -0.1278, 51.5074)).isBetween(5_570_229.5, 5_570_230.5);
        String box = "'geo_bounding_box': {'top_left': {'lon': 170, 'lat': 10}, 'bottom_right': {'lon': -170, 'lat': -10}}";
        assertThat(matches(field("loc", box), "{'loc': {'lon': 179, 'lat': 0}}")).isTrue();
        assertThat(matches(field("loc", box), "{'loc': {'lon': 0, 'lat': 0}}")).isFalse();
        assertThat(matches(field("loc", box), "{'loc': [{'lon': 0, 'lat': 0}, {'lon': -175, 'lat': 5}]}")).isTrue();
        String square = "'geo_polygon': {'exterior': {'points': [{'lon': 0, 'lat': 0}, {'lon': 4, 'lat': 0}, "
                + "{'lon': 4, 'lat': 4}, {'lon': 0, 'lat': 4}, {'lon': 0, 'lat': 0}]}, 'interiors': [{'points': ["
                + "{'lon': 1, 'lat': 1}, {'lon': 2, 'lat': 1}, {'lon': 2, 'lat': 2}, {'lon': 1, 'lat': 2}, {'lon': 1, 'lat': 1}]}]}";
        assertThat(matches(field("p", square), "{'p': {'lon': 3, 'lat': 3}}")).isTrue();
        assertThat(matches(field("p", square), "{'p': {'lon': 1.5, 'lat': 1.5}}")).isFalse();
        assertThat(matches(field("p", square), "{'p': {'lon': 4, 'lat': 2}}")).isFalse();
        assertThat(matches(field("p", square), "{'p': {'lon': 1, 'lat': 1.5}}")).isFalse();
        assertThat(matches(field("p", square), "{'p': {'lon': 3, 'lat': '3'}}")).isFalse();
    }

    @Test
    void emptinessNullsAndCounts() {
        String isEmpty = "{'must': {'is_empty': {'key': 'a'}}}";
        assertThat(matches(isEmpty, "{}")).isTrue();
        assertThat(matches(isEmpty, "{'a': null}")).isTrue();
        assertThat(matches(isEmpty, "{'a': []}")).isTrue();
        assertThat(matches(isEmpty, "{'a': [null]}")).isFalse();
        assertThat(matches(isEmpty, "{'a': {}}")).isFalse();
        String isNull = "{'must': {'is_null': {'key': 'a'}}}";
        assertThat(matches(isNull, "{}")).isFalse();
        assertThat(matches(isNull, "{'a': null}")).isTrue();
        assertThat(matches(isNull, "{'a': [1, null]}")).isTrue();
        assertThat(matches(isNull, "{'a': []}")).isFalse();
        assertThat(matches(field("a", "'is_null': false"), "{}")).isTrue();
        assertThat(matches(field("a", "'is_empty': true"), "{}")).isTrue();
        assertThat(matches(field("a", "'values_count': {'lt': 1}"), "{}")).isTrue();
        assertThat(matches(field("a", "'values_count': {'gte': 2}"), "{'a': [1, 2]}")).isTrue();
        assertThat(matches(field("a", "'values_count': {'gte': 2}"), "{'a': 'xy'}")).isFalse();
        assertThat(matches(field("a", "'values_count': {'lt': 1}"), "{'a': null}")).isTrue();
        // values_count decides alone when combined with match; other parts are alternatives
        assertThat(matches(field("a", "'values_count': {'gt': 5}, 'match': {'value': 1}"), "{'a': 1}")).isFalse();
        assertThat(matches(field("a", "'range': {'lt': 0}, 'match': {'value': 1}"), "{'a': 1}")).isTrue();
    }

    @Test
    void pathsAndNested() {
        String payload = "{'arr': [{'a': 1, 'b': 'x'}, {'a': 2, 'b': 'y'}], 'o': {'arr': [{'a': 1}]}, "
                + "'k.ey': {'x y': 3}}";
        assertThat(matches(field("arr.a", "'match': {'value': 1}"), payload)).isFalse();
        assertThat(matches(field("arr[].a", "'match': {'value': 1}"), payload)).isTrue();
        assertThat(matches(field("arr[1].a", "'match': {'value': 1}"), payload)).isFalse();
        assertThat(matches(field("o.arr[0].a", "'match': {'value': 1}"), payload)).isTrue();
        assertThat(matches(field("\\\"k.ey\\\".\\\"x y\\\"", "'match': {'value': 3}"), payload)).isTrue();
        String nested = "{'must': {'nested': {'key': 'arr', 'filter': {'must': [{'key': 'a', 'match': {'value': 1}}, "
                + "{'key': 'b', 'match': {'value': 'y'}}]}}}}";
        assertThat(matches(nested, payload)).isFalse();
        assertThat(matches("{'must': [{'key': 'arr[].a', 'match': {'value': 1}}, "
                + "{'key': 'arr[].b', 'match': {'value': 'y'}}]}", payload)).isTrue();
        assertThat(matches("{'must': {'nested': {'key': 'arr', 'filter': {'must': {'has_id': [1]}}}}}", payload))
                .isFalse();
    }

    @Test
    void clauses() {
        assertThat(matches("{}", "{}")).isTrue();
        assertThat(matches("{'should': []}", "{}")).isTrue();
        assertThat(matches("{'must': {'nested': {'key': 'arr', 'filter': {'should': []}}}}", "{'arr': [{}]}"))
                .isFalse();
        assertThat(matches("{'must_not': []}", "{}")).isTrue();
        assertThat(matches("{'should': [{'has_id': [2]}, {'has_id': [1]}]}", "{}")).isTrue();
        assertThat(matches("{'must_not': [{'has_id': [2]}, {'has_id': [1]}]}", "{}")).isFalse();
        assertThat(matches("{'min_should': {'conditions': [{'has_id': [1]}, {'has_vector': ''}, {'has_vector': 'x'}], "
                + "'min_count': 2}}", "{}")).isTrue();
        assertThat(matches("{'min_should': {'conditions': [{'has_id': [1]}, {'has_vector': ''}, {'has_vector': 'x'}], "
                + "'min_count': 3}}", "{}")).isFalse();
        assertThat(matches("{'must': [{'must_not': {'has_id': [1]}}]}", "{}")).isFalse();
    }

    @Test
    void jsonPathSyntax() {
        JsonPath p = JsonPath.parse("foo[1][50].bar-baz[].\"qux[.]quux\"");
        assertThat(p.rest()).containsExactly(new JsonPath.Index(1), new JsonPath.Index(50),
                new JsonPath.Key("bar-baz"), new JsonPath.Wildcard(), new JsonPath.Key("qux[.]quux"));
        assertThat(p.toString()).isEqualTo("foo[1][50].bar-baz[].\"qux[.]quux\"");
        assertThat(JsonPath.parse("größe.東京").rest()).containsExactly(new JsonPath.Key("東京"));
        assertThat(JsonPath.parse("\"\"").firstKey()).isEmpty();
        for (String bad : List.of("", "a.", "a[", "a[x]", "a b", ".a", "\"a", "a[-1]", "a[99999999999999999999]")) {
            org.assertj.core.api.Assertions.assertThatThrownBy(() -> JsonPath.parse(bad)).as(bad)
                    .isInstanceOf(IllegalArgumentException.class);
        }
    }
}
