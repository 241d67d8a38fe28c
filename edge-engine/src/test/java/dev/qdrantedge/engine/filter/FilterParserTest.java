package dev.qdrantedge.engine.filter;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.qdrantedge.engine.EdgeException;
import dev.qdrantedge.engine.idtracker.PointId;
import java.time.Instant;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

class FilterParserTest {

    private static final JsonMapper JSON = JsonMapper.builder().build();

    static JsonNode json(String text) {
        return JSON.readTree(text.replace('\'', '"'));
    }

    static Filter parse(String text) {
        return FilterParser.parse(json(text));
    }

    static void assertError(String filter, String message) {
        assertThatThrownBy(() -> parse(filter)).isInstanceOf(FilterParseException.class)
                .isInstanceOf(EdgeException.class).hasMessage(message);
    }

    @Test
    void clausesTakeOneConditionOrAList() {
        Filter one = parse("{'must': {'key': 'a', 'match': {'value': 1}}, 'should': null}");
        assertThat(one.must()).containsExactly(FieldCondition.match(JsonPath.parse("a"), Match.Value.of(1)));
        assertThat(one.should()).isNull();
        Filter many = parse("{'must_not': [{'has_id': [1, '550e8400-e29b-41d4-a716-446655440000']}], 'should': []}");
        assertThat(many.mustNot()).containsExactly(new Condition.HasId(java.util.Set.of(PointId.of(1),
                PointId.of(UUID.fromString("550e8400-e29b-41d4-a716-446655440000")))));
        assertThat(many.should()).isEmpty();
    }

    @Test
    void everyConditionKind() {
        Filter f = parse("{'must': ["
                + "{'key': 'k', 'match': {'value': 'x'}}, {'key': 'k', 'match': {'value': true}},"
                + "{'key': 'k', 'match': {'text': 't'}}, {'key': 'k', 'match': {'text_any': 't u'}},"
                + "{'key': 'k', 'match': {'phrase': 'p q'}}, {'key': 'k', 'match': {'prefix': 'p'}},"
                + "{'key': 'k', 'match': {'any': []}}, {'key': 'k', 'match': {'except': [1, 2]}},"
                + "{'key': 'k', 'range': {'gt': 1, 'lte': 2.5}},"
                + "{'key': 'k', 'range': {'gte': '2014-01-01T00:00:00Z', 'lt': null}},"
                + "{'key': 'g', 'geo_radius': {'center': {'lon': 1, 'lat': 2}, 'radius': 10}},"
                + "{'key': 'g', 'geo_bounding_box': {'top_left': {'lon': 0, 'lat': 1}, 'bottom_right': {'lon': 1, 'lat': 0}}},"
                + "{'key': 'g', 'geo_polygon': {'exterior': {'points': [{'lon': 0, 'lat': 0}, {'lon': 1, 'lat': 0},"
                + "  {'lon': 1, 'lat': 1}, {'lon': 0, 'lat': 0}]}}},"
                + "{'key': 'k', 'values_count': {'gte': 2}}, {'key': 'k', 'is_empty': true}, {'key': 'k', 'is_null': false},"
                + "{'is_empty': {'key': 'k'}}, {'is_null': {'key': 'k'}}, {'has_vector': 'v'},"
                + "{'nested': {'key': 'arr', 'filter': {'must': {'key': 'x', 'match': {'value': 1}}}}},"
                + "{'should': [{'has_id': [3]}]}],"
                + " 'min_should': {'conditions': [{'has_id': [1]}], 'min_count': 1}}");
        assertThat(f.must()).hasSize(21);
        assertThat(f.must().get(1)).isEqualTo(FieldCondition.match(JsonPath.parse("k"), Match.Value.of(true)));
        assertThat(((FieldCondition) f.must().get(6)).match()).isEqualTo(new Match.Any(new Match.Keywords(
                java.util.List.of())));
        assertThat(((FieldCondition) f.must().get(9)).range()).isEqualTo(new Range.DateTime(null, null,
                Instant.parse("2014-01-01T00:00:00Z"), null));
        assertThat(f.must().get(19)).isInstanceOf(Condition.Nested.class);
        assertThat(((Condition.Nested) f.must().get(19)).arrayKey().toString()).isEqualTo("arr[]");
        assertThat(f.must().get(20)).isInstanceOf(Filter.class);
        assertThat(f.minShould().minCount()).isEqualTo(1);
    }

    @Test
    void matchVariantsAreTriedInQdrantsOrder() {
        FieldCondition c = (FieldCondition) parse("{'must': {'key': 'k', 'match': {'value': 1.5, 'text': 'a'}}}")
                .must().get(0);
        assertThat(c.match()).isEqualTo(new Match.Text("a"));
        c = (FieldCondition) parse("{'must': {'key': 'k', 'match': {'any': ['a'], 'value': 'b'}}}").must().get(0);
        assertThat(c.match()).isEqualTo(Match.Value.of("b"));
    }

    @Test
    void errorsNameTheOffendingPath() {
        assertError("{'must': [{'has_id': [1]}, {'key': 'a', 'range': {'gte': true}}]}",
                "filter.must[1].range.gte: expected a number or RFC 3339 datetime, found a boolean");
        assertError("{'must': [{'key': 'a', 'range': {'gte': '2020-13-01'}}]}",
                "filter.must[0].range.gte: '2020-13-01' does not match accepted datetime format (RFC3339). "
                        + "Example: 2014-01-01T00:00:00Z");
        assertError("{'must': [{'key': 'a', 'range': {'gte': '2020-01-01', 'lt': 5}}]}",
                "filter.must[0].range.lt: expected an RFC 3339 datetime string (another bound is a datetime), "
                        + "found an integer (5)");
        assertError("{'must': {'key': 'a', 'match': {'value': 5.0}}}",
                "filter.must.match.value: expected a string, a signed 64-bit integer or a boolean, found a float (5.0)");
        assertError("{'must': {'key': 'a', 'match': {'any': ['a', 1]}}}",
                "filter.must.match.any: expected an array of strings or an array of signed 64-bit integers");
        assertError("{'must': {'key': 'a'}}", "filter.must: at least one field condition must be specified "
                + "(match, range, geo_bounding_box, geo_radius, geo_polygon, values_count, is_empty or is_null)");
        assertError("{'must': {'key': 1, 'match': {'value': 1}}}",
                "filter.must.key: Filter condition 'key' must be a string");
        assertError("{'must': {'key': 'a..b', 'match': {'value': 1}}}", "filter.must.key: Invalid json path: 'a..b'");
        assertError("{'musts': []}", "filter.musts: unknown field, expected one of must, should, must_not, min_should");
        assertError("{'should': [{'foo': 1}]}", "filter.should[0].foo: unknown condition; expected a field condition "
                + "({\"key\": ..., \"match\": ...}), is_empty, is_null, has_id, has_vector, nested or a nested filter "
                + "(must, should, must_not, min_should)");
        assertError("{'must': {'has_id': [-1]}}", "filter.must.has_id[0]: value -1 is not a valid point ID, valid "
                + "values are either an unsigned integer or a UUID");
        assertError("{'must': {'key': 'g', 'geo_radius': {'center': {'lon': 200, 'lat': 0}, 'radius': 1}}}",
                "filter.must.geo_radius.center: Wrong format of GeoPoint payload: expected lat = 0.0 within "
                        + "[-90;90] and lon = 200.0 within [-180;180]");
        assertError("{'must': {'key': 'g', 'geo_polygon': {'exterior': {'points': [{'lon': 0, 'lat': 0}, "
                + "{'lon': 1, 'lat': 0}, {'lon': 1, 'lat': 1}, {'lon': 0, 'lat': 1}]}}}}",
                "filter.must.geo_polygon.exterior.points: polygon invalid, the first and the last points should be "
                        + "the same to form a closed line");
        assertError("{'must': {'key': 'k', 'values_count': {'gt': -1}}}",
                "filter.must.values_count.gt: expected a non-negative integer, found an integer (-1)");
        assertError("{'min_should': {'conditions': [], 'min_count': 0}}",
                "filter.min_should.min_count: min_count must be greater than 0");
        assertError("[]", "filter: expected a filter object, found an array");
    }

    @Test
    void storedFiltersSkipTheApiChecks() {
        Filter f = FilterParser.parseStored(json("{'must': {'key': 'a'}, 'min_should': {'conditions': [], "
                + "'min_count': 0}}"), "op.filter");
        assertThat(((FieldCondition) f.must().get(0)).isBlank()).isTrue();
        assertThat(f.minShould().minCount()).isZero();
    }

    @Test
    void uuidForms() {
        UUID u = UUID.fromString("550e8400-e29b-41d4-a716-446655440000");
        assertThat(FilterParser.uuid("550E8400E29B41D4A716446655440000")).isEqualTo(u);
        assertThat(FilterParser.uuid("{550e8400-e29b-41d4-a716-446655440000}")).isEqualTo(u);
        assertThat(FilterParser.uuid("urn:uuid:550e8400-e29b-41d4-a716-446655440000")).isEqualTo(u);
        assertThat(FilterParser.uuid("1-1-1-1-1")).isNull();
    }
}
