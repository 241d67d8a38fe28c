package dev.qdrantedge.spring.client;

import static dev.qdrantedge.spring.client.Json.object;
import static dev.qdrantedge.spring.client.Json.tree;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.qdrantedge.engine.config.EdgeConfig;
import dev.qdrantedge.engine.config.SparseVectorParams;
import dev.qdrantedge.engine.config.VectorParams;
import dev.qdrantedge.engine.filter.FilterParser;
import dev.qdrantedge.engine.idtracker.PointId;
import dev.qdrantedge.engine.operation.PointStruct;
import dev.qdrantedge.engine.operation.SetPayload;
import dev.qdrantedge.engine.operation.UpdateOperation;
import dev.qdrantedge.engine.operation.UpsertPoints;
import dev.qdrantedge.engine.query.ScrollRequest;
import dev.qdrantedge.engine.shard.EdgeShard;
import dev.qdrantedge.engine.shard.Record;
import dev.qdrantedge.engine.sync.DeliveryException;
import dev.qdrantedge.engine.vectors.DenseVector;
import dev.qdrantedge.engine.vectors.Distance;
import dev.qdrantedge.engine.vectors.SparseVector;
import dev.qdrantedge.engine.vectors.VectorValue;
import dev.qdrantedge.spring.testsupport.FakeQdrantServer;
import io.qdrant.client.QdrantClient;
import io.qdrant.client.grpc.Common;
import io.qdrant.client.grpc.Points;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;

/**
 * Filters of every kind, converted to gRPC and applied by the fake server (which converts them back as Qdrant
 * does), select the same points as the original JSON filters on a local shard.
 */
class GrpcFilterMapperTest {

    static final EdgeConfig CONFIG = new EdgeConfig(Map.of("text", new VectorParams(2, Distance.DOT)),
            Map.of("sparse", new SparseVectorParams(false)));
    static final UUID UUID_ID = UUID.fromString("0d1f7e3c-2b4a-4c5d-9e8f-a0b1c2d3e4f5");
    static final int POINTS = 12;

    /** Every construct of the filter language, each selecting some but not all points. */
    static final List<String> FILTERS = List.of(
            "{'must': [{'key': 'city', 'match': {'value': 'Berlin'}}]}",
            "{'must': [{'key': 'n', 'match': {'value': 30}}]}",
            "{'must': [{'key': 'flag', 'match': {'value': true}}]}",
            "{'must': [{'key': 'city', 'match': {'any': ['Paris', 'Rome']}}]}",
            "{'must': [{'key': 'n', 'match': {'any': [10, 20, 110]}}]}",
            "{'must': [{'key': 'city', 'match': {'except': ['Paris', 'Rome']}}]}",
            "{'must': [{'key': 'n', 'match': {'except': [10, 20]}}]}",
            "{'must': [{'key': 'text', 'match': {'text': 'brown FOX'}}]}",
            "{'must': [{'key': 'text', 'match': {'text_any': 'dogs cats'}}]}",
            "{'must': [{'key': 'text', 'match': {'phrase': 'quick brown'}}]}",
            "{'must': [{'key': 'n', 'range': {'gt': 20, 'lte': 60}}]}",
            "{'must': [{'key': 'price', 'range': {'gte': 3.0, 'lt': 9.0}}]}",
            "{'must': [{'key': 'when', 'range': {'gte': '2024-01-03T00:00:00Z', 'lt': '2024-01-07T10:00:00.5+00:00'}}]}",
            "{'must': [{'key': 'when', 'range': {'lte': '2024-01-04 10:00:00'}}]}",
            "{'must': [{'key': 'loc', 'geo_bounding_box': {'top_left': {'lon': 12.5, 'lat': 60},"
                    + " 'bottom_right': {'lon': 16.5, 'lat': 40}}}]}",
            "{'must': [{'key': 'loc', 'geo_radius': {'center': {'lon': 15, 'lat': 52.5}, 'radius': 200000.0}}]}",
            "{'must': [{'key': 'loc', 'geo_polygon': {'exterior': {'points': [{'lon': 11.5, 'lat': 45},"
                    + " {'lon': 17.5, 'lat': 45}, {'lon': 17.5, 'lat': 60}, {'lon': 11.5, 'lat': 60}, {'lon': 11.5, 'lat': 45}]},"
                    + " 'interiors': [{'points': [{'lon': 13.5, 'lat': 46}, {'lon': 14.5, 'lat': 46},"
                    + " {'lon': 14.5, 'lat': 59}, {'lon': 13.5, 'lat': 59}, {'lon': 13.5, 'lat': 46}]}]}}]}",
            "{'must': [{'key': 'tags', 'values_count': {'gte': 2, 'lt': 3}}]}",
            "{'must': [{'is_empty': {'key': 'tags'}}]}",
            "{'must': [{'is_null': {'key': 'maybe'}}]}",
            "{'must': [{'key': 'tags', 'is_empty': false}]}",
            "{'must': [{'key': 'maybe', 'is_null': false}]}",
            "{'must': [{'has_id': [1, 3, '" + UUID_ID + "']}]}",
            "{'must': [{'has_vector': 'sparse'}]}",
            "{'must': [{'nested': {'key': 'items', 'filter': {'must': [{'key': 'kind', 'match': {'value': 'a'}},"
                    + " {'key': 'qty', 'range': {'gte': 4}}]}}}]}",
            "{'should': [{'nested': {'key': 'items', 'filter': {'should': []}}}, {'key': 'n', 'range': {'lt': 30}}]}",
            "{'min_should': {'conditions': [{'key': 'flag', 'match': {'value': true}},"
                    + " {'key': 'city', 'match': {'value': 'Berlin'}}, {'key': 'n', 'range': {'gt': 80}}], 'min_count': 2}}",
            "{'must': {'should': [{'key': 'meta.color', 'match': {'value': 'red'}}, {'key': 'n', 'range': {'lt': 15}}]},"
                    + " 'must_not': [{'key': 'tags[]', 'match': {'value': 't1'}}]}",
            "{'should': [], 'must': [{'key': 'meta.size', 'range': {'lte': 5}}]}",
            "{'must': [{}], 'must_not': {'key': 'city', 'match': {'value': 'Oslo'}}}",
            "{'must': [{'key': 'items[].kind', 'match': {'value': 'c'}}]}",
            "{'must_not': [{'must': [{'key': 'flag', 'match': {'value': false}}, {'has_id': [5, 7]}]}],"
                    + " 'must': [{'key': 'n', 'range': {'lt': 90}}]}");

    @TempDir
    Path temp;

    private FakeQdrantServer server;
    private QdrantClient client;
    private EdgeShard local;
    private QdrantOutboxSink sink;

    @BeforeEach
    void start() throws Exception {
        server = FakeQdrantServer.builder("geo", CONFIG).start();
        client = server.newClient();
        local = EdgeShard.create(temp.resolve("local"), CONFIG);
        sink = new QdrantOutboxSink(client, QdrantSinkOptions.forCollection("geo"));
        UpsertPoints points = dataset();
        local.update(points);
        sink.deliver(List.of(points));
    }

    @AfterEach
    void stop() {
        client.close();
        server.close();
        local.close();
    }

    @Test
    void everyFilterKindSelectsTheSamePointsOnTheServer() throws Exception {
        List<UpdateOperation> marks = new ArrayList<>();
        for (int i = 0; i < FILTERS.size(); i++) {
            JsonNode filter = tree(FILTERS.get(i));
            long selected = local.count(FilterParser.parse(filter));
            assertThat(selected).as("filter %d selects some but not all points: %s", i, FILTERS.get(i))
                    .isBetween(1L, POINTS - 1L);
            marks.add(new SetPayload(object("{'hit_" + i + "': true}"), Optional.empty(), Optional.of(filter),
                    Optional.empty()));
        }
        marks.forEach(local::update);

        sink.deliver(marks);

        assertThat(ShardContents.of(server.shard())).isEqualTo(ShardContents.of(local));
        assertThat(server.requests(Points.UpdateBatchPoints.class).get(1).getOperationsCount()).isEqualTo(FILTERS.size());
    }

    @Test
    void anEmptyShouldInsideNestedMatchesNothingOnTheServerToo() throws Exception {
        JsonNode filter = tree(FILTERS.get(25));
        sink.deliver(List.of(new SetPayload(object("{'hit': 1}"), Optional.empty(), Optional.of(filter),
                Optional.empty())));

        assertThat(idsWith(server.shard(), "hit")).containsExactly("1", "2");
        Common.Filter sent = server.requests(Points.UpdateBatchPoints.class).get(1).getOperations(0)
                .getSetPayload().getPointsSelector().getFilter();
        Common.Filter nested = sent.getShould(0).getNested().getFilter();
        assertThat(nested.getShouldList()).hasSize(1);
        assertThat(nested.getShould(0).getHasId().getHasIdCount()).isZero();
    }

    @Test
    void prefixMatchHasNoGrpcFormAndFailsPermanentlyNamingItsPath() {
        SetPayload op = new SetPayload(object("{'x': 1}"), Optional.empty(),
                Optional.of(tree("{'must': {'key': 'city', 'match': {'prefix': 'Ber'}}}")), Optional.empty());
        server.clearRequests();

        assertThatThrownBy(() -> sink.deliver(List.of(new UpsertPoints(List.of()), op)))
                .isInstanceOfSatisfying(DeliveryException.class, e -> assertThat(e.isTransient()).isFalse())
                .hasMessageContaining("operation 2 of 2 (set_payload)")
                .hasMessageContaining("filter.must.match.prefix: prefix matching has no form")
                .hasMessageContaining("nothing was sent");
        assertThat(server.requests()).isEmpty();
    }

    @Test
    void anInvalidFilterFailsPermanentlyWithTheParsersPath() {
        SetPayload op = new SetPayload(object("{'x': 1}"), Optional.empty(),
                Optional.of(tree("{'must': [{'key': 'n', 'range': {'gt': 'soon'}}]}")), Optional.empty());

        assertThatThrownBy(() -> sink.deliver(List.of(op)))
                .isInstanceOfSatisfying(DeliveryException.class, e -> assertThat(e.isTransient()).isFalse())
                .hasMessageContaining("filter.must[0].range.gt");
    }

    @Test
    void geoRadiusTravelsAsTheNearestFloat() {
        Common.Filter f = GrpcFilterMapper.toGrpc(tree("{'must': [{'key': 'loc', 'geo_radius':"
                + " {'center': {'lon': 1, 'lat': 2}, 'radius': 1234.567}}]}"), "filter");

        assertThat(f.getMust(0).getField().getGeoRadius().getRadius()).isEqualTo(1234.567f);
        assertThat(f.getMust(0).getField().getGeoRadius().getCenter().getLat()).isEqualTo(2.0);
    }

    @Test
    void datetimeBoundsBecomeTimestampsToTheNanosecond() {
        Common.Filter f = GrpcFilterMapper.toGrpc(tree("{'must': [{'key': 'when', 'range':"
                + " {'gt': '2024-01-02T03:04:05.123456789+01:00'}}]}"), "filter");

        Common.FieldCondition c = f.getMust(0).getField();
        assertThat(c.hasRange()).isFalse();
        assertThat(c.getDatetimeRange().getGt().getSeconds()).isEqualTo(1704161045L);
        assertThat(c.getDatetimeRange().getGt().getNanos()).isEqualTo(123456789);
    }

    private static List<String> idsWith(EdgeShard shard, String key) {
        List<String> ids = new ArrayList<>();
        for (Record r : shard.scroll(ScrollRequest.of(null, 100)).points()) {
            if (r.payload().has(key)) {
                ids.add(r.id().toString());
            }
        }
        return ids;
    }

    static UpsertPoints dataset() {
        String[] cities = {"Oslo", "Berlin", "Paris", "Rome"};
        List<PointStruct> points = new ArrayList<>();
        for (int i = 1; i <= POINTS; i++) {
            StringBuilder p = new StringBuilder("{");
            p.append("'city': '").append(cities[i % 4]).append("', 'n': ").append(i * 10)
                    .append(", 'price': ").append(i * 1.5).append(", 'flag': ").append(i % 2 == 0)
                    .append(", 'tags': ").append(i % 3 == 0 ? "[]" : "['t" + (i % 3) + "', 'common']")
                    .append(", 'text': '").append(i % 2 == 0 ? "The quick brown fox" : "lazy dogs sleep quickly")
                    .append("', 'when': '2024-01-").append(String.format("%02d", i)).append("T10:00:00Z'")
                    .append(", 'loc': {'lon': ").append(10 + i).append(", 'lat': ").append(50 + i * 0.5).append('}')
                    .append(", 'meta': {'color': '").append(i % 2 == 0 ? "red" : "blue").append("', 'size': ")
                    .append(i).append('}');
            if (i <= 8) {
                p.append(", 'items': [{'kind': '").append(i % 2 == 0 ? "a" : "b").append("', 'qty': ").append(i)
                        .append("}, {'kind': 'c', 'qty': ").append(i * 2).append("}]");
            }
            p.append(", 'maybe': ").append(i % 4 == 0 ? "null" : i % 4 == 1 ? "[1, null]" : "'v'");
            p.append('}');
            Map<String, VectorValue> vectors = new LinkedHashMap<>();
            vectors.put("text", new DenseVector(new float[] {i, 1}));
            if (i % 3 == 0) {
                vectors.put("sparse", new SparseVector(new int[] {i}, new float[] {1}));
            }
            PointId id = i == POINTS ? PointId.of(UUID_ID) : PointId.of(i);
            points.add(new PointStruct(id, vectors, Optional.of(object(p.toString()))));
        }
        return new UpsertPoints(points);
    }
}
