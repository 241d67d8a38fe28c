package dev.qdrantedge.spring.client;

import static dev.qdrantedge.spring.client.Json.object;
import static dev.qdrantedge.spring.client.Json.tree;
import static org.assertj.core.api.Assertions.assertThat;

import dev.qdrantedge.engine.config.EdgeConfig;
import dev.qdrantedge.engine.config.SparseVectorParams;
import dev.qdrantedge.engine.config.VectorParams;
import dev.qdrantedge.engine.idtracker.PointId;
import dev.qdrantedge.engine.operation.ClearPayload;
import dev.qdrantedge.engine.operation.ClearPayloadByFilter;
import dev.qdrantedge.engine.operation.ConditionalUpsertPoints;
import dev.qdrantedge.engine.operation.DeletePayload;
import dev.qdrantedge.engine.operation.DeletePoints;
import dev.qdrantedge.engine.operation.DeletePointsByFilter;
import dev.qdrantedge.engine.operation.DeleteVectors;
import dev.qdrantedge.engine.operation.DeleteVectorsByFilter;
import dev.qdrantedge.engine.operation.OverwritePayload;
import dev.qdrantedge.engine.operation.PointStruct;
import dev.qdrantedge.engine.operation.PointVectors;
import dev.qdrantedge.engine.operation.SetPayload;
import dev.qdrantedge.engine.operation.UpdateMode;
import dev.qdrantedge.engine.operation.UpdateOperation;
import dev.qdrantedge.engine.operation.UpdateVectors;
import dev.qdrantedge.engine.operation.UpsertPoints;
import dev.qdrantedge.engine.shard.EdgeShard;
import dev.qdrantedge.engine.shard.PointNotFoundException;
import dev.qdrantedge.engine.vectors.DenseVector;
import dev.qdrantedge.engine.vectors.Distance;
import dev.qdrantedge.engine.vectors.MultiDenseVector;
import dev.qdrantedge.engine.vectors.SparseVector;
import dev.qdrantedge.engine.vectors.VectorDatatype;
import dev.qdrantedge.engine.vectors.VectorValue;
import dev.qdrantedge.spring.testsupport.FakeQdrantServer;
import io.qdrant.client.QdrantClient;
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

/**
 * Every point operation kind goes through the sink to the fake server and leaves the server's points equal to
 * those of a local shard that applied the same operations.
 */
class QdrantOutboxSinkRoundTripTest {

    static final EdgeConfig NAMED = new EdgeConfig(
            Map.of("text", new VectorParams(4, Distance.COSINE),
                    "multi", new VectorParams(2, Distance.EUCLID, VectorDatatype.FLOAT32, true, null)),
            Map.of("sparse", new SparseVectorParams(false)));

    static final UUID UUID_ID = UUID.fromString("5c56c793-69f3-4fbf-87e6-c4bf54c28c26");

    @TempDir
    Path temp;

    private FakeQdrantServer server;
    private QdrantClient client;
    private EdgeShard local;

    @BeforeEach
    void start() throws Exception {
        server = FakeQdrantServer.builder("items", NAMED).directory(temp.resolve("server")).start();
        client = server.newClient();
        local = EdgeShard.create(temp.resolve("local"), NAMED);
    }

    @AfterEach
    void stop() {
        client.close();
        server.close();
        local.close();
    }

    @Test
    void allOperationKindsInOneBatchLeaveTheServerAsTheLocalShard() throws Exception {
        List<UpdateOperation> ops = operations();
        ops.forEach(this::applyLocally);

        new QdrantOutboxSink(client, QdrantSinkOptions.forCollection("items")).deliver(ops);

        assertThat(ShardContents.of(server.shard())).isEqualTo(ShardContents.of(local));
        List<Points.UpdateBatchPoints> batches = server.requests(Points.UpdateBatchPoints.class);
        assertThat(batches).hasSize(1);
        assertThat(batches.get(0).getOperationsCount()).isEqualTo(ops.size());
        assertThat(batches.get(0).getWait()).isTrue();
        assertThat(batches.get(0).getOrdering().getType()).isEqualTo(Points.WriteOrderingType.Medium);
        assertExpectedOutcome(server.shard());
    }

    @Test
    void operationsDeliveredOneAtATimeEndTheSame() throws Exception {
        List<UpdateOperation> ops = operations();
        QdrantOutboxSink sink = new QdrantOutboxSink(client, QdrantSinkOptions.forCollection("items"));
        for (UpdateOperation op : ops) {
            applyLocally(op);
            sink.deliver(List.of(op));
        }

        assertThat(ShardContents.of(server.shard())).isEqualTo(ShardContents.of(local));
        assertThat(server.requests(Points.UpdateBatchPoints.class)).hasSize(ops.size());
        assertExpectedOutcome(server.shard());
    }

    @Test
    void theDefaultVectorAloneTravelsAsAnUnnamedVector() throws Exception {
        EdgeConfig config = EdgeConfig.of(new VectorParams(3, Distance.DOT));
        try (FakeQdrantServer plain = FakeQdrantServer.builder("plain", config).start();
                QdrantClient plainClient = plain.newClient();
                EdgeShard shard = EdgeShard.create(temp.resolve("plain"), config)) {
            List<UpdateOperation> ops = List.of(
                    new UpsertPoints(List.of(point(1, Map.of("", dense(1, 2, 3)), "{'a': 1}"),
                            point(2, Map.of("", dense(4, 5, 6)), null))),
                    new UpdateVectors(List.of(new PointVectors(PointId.of(2), Map.of("", dense(7, 8, 9)))),
                            Optional.empty()),
                    new DeleteVectors(List.of(PointId.of(1)), List.of("")));
            ops.forEach(shard::update);

            new QdrantOutboxSink(plainClient, QdrantSinkOptions.forCollection("plain")).deliver(ops);

            assertThat(ShardContents.of(plain.shard())).isEqualTo(ShardContents.of(shard)).hasSize(2);
            Points.PointsUpdateOperation upsert = plain.requests(Points.UpdateBatchPoints.class).get(0).getOperations(0);
            assertThat(upsert.getUpsert().getPoints(0).getVectors().hasVector()).isTrue();
        }
    }

    /** Spot checks that the operations did what they are meant to, so equality above is not vacuous. */
    private static void assertExpectedOutcome(EdgeShard shard) {
        Map<PointId, String> points = ShardContents.of(shard);
        assertThat(points).containsKeys(PointId.of(1), PointId.of(100), PointId.of(101), PointId.of(UUID_ID))
                .doesNotContainKeys(PointId.of(5), PointId.of(102), PointId.of(6));
        assertThat(points.get(PointId.of(100))).endsWith("| {only=int:1}");
        assertThat(points.get(PointId.of(101))).contains("text=").endsWith("| {}");
        assertThat(points.get(PointId.of(2))).contains("city=\"Paris\"").doesNotContain("multi=");
        assertThat(points.get(PointId.of(1))).contains("tag=\"both\"").contains("updated=true");
        assertThat(points.get(PointId.of(3))).endsWith("| {}");
    }

    private void applyLocally(UpdateOperation op) {
        try {
            local.update(op);
        } catch (PointNotFoundException e) {
            throw new AssertionError("test operations must name existing points: " + op, e);
        }
    }

    static List<UpdateOperation> operations() {
        List<UpdateOperation> ops = new ArrayList<>();
        ops.add(new UpsertPoints(List.of(
                point(1, all(1), "{'city': 'Berlin', 'n': 10, 'price': 1.5, 'tags': ['a', 'b'], 'nested':"
                        + " {'deep': {'x': [1, {'y': null}]}}, 'big': 9223372036854775807, 'neg': -3, 'ok': true}"),
                point(2, all(2), "{'city': 'Paris', 'n': 20, 'tags': []}"),
                point(3, all(3), "{'city': 'Rome', 'n': 30}"),
                point(4, Map.of("text", dense(4, 3, 2, 1)), "{'city': 'Berlin', 'n': 40}"),
                point(5, Map.of("sparse", new SparseVector(new int[] {9, 1}, new float[] {0.9f, 0.1f})), "{'n': 50}"),
                point(6, all(6), "{'n': 60}"),
                new PointStruct(PointId.of(UUID_ID), all(7), Optional.of(object("{'city': 'Oslo', 'n': 70}"))))));
        ops.add(new ConditionalUpsertPoints(List.of(
                point(1, all(11), "{'city': 'Berlin', 'n': 11, 'nested': {'deep': 1}}"),
                point(2, all(12), "{'city': 'Changed'}"),
                point(100, Map.of("text", dense(1, 0, 0, 0)), "{'city': 'new'}")),
                tree("{'must': [{'key': 'city', 'match': {'value': 'Berlin'}}]}"), UpdateMode.UPSERT));
        ops.add(new ConditionalUpsertPoints(List.of(point(3, all(13), "{'city': 'Overwritten'}"),
                point(101, all(14), "{'city': 'Inserted'}")), object("{}"), UpdateMode.INSERT_ONLY));
        ops.add(new ConditionalUpsertPoints(List.of(point(4, all(15), "{'city': 'Updated', 'n': 41}"),
                point(102, all(16), "{'city': 'Never'}")), object("{}"), UpdateMode.UPDATE_ONLY));
        ops.add(new DeletePoints(List.of(PointId.of(5), PointId.of(999))));
        ops.add(new DeletePointsByFilter(tree("{'must': [{'key': 'n', 'range': {'gte': 60, 'lt': 65}}]}")));
        ops.add(new SetPayload(object("{'tag': 'both', 'obj': {'k': [1, 2.5, 'x']}}"),
                Optional.of(List.of(PointId.of(1), PointId.of(2))),
                Optional.of(tree("{'must': [{'key': 'city', 'match': {'value': 'Oslo'}}]}")), Optional.empty()));
        ops.add(new SetPayload(object("{'color': 'red'}"), Optional.empty(),
                Optional.of(tree("{'should': [{'key': 'n', 'range': {'lt': 25}}]}")), Optional.of("meta.style")));
        ops.add(new OverwritePayload(object("{'only': 1}"), Optional.of(List.of(PointId.of(100))), Optional.empty(),
                Optional.empty()));
        ops.add(new OverwritePayload(object("{'city': 'Oslo', 'n': 71, 'was': 'overwritten'}"), Optional.empty(),
                Optional.of(tree("{'must': {'has_id': ['" + UUID_ID + "']}}")), Optional.empty()));
        ops.add(new DeletePayload(List.of("tags", "nested.deep"), Optional.of(List.of(PointId.of(1))),
                Optional.empty()));
        ops.add(new DeletePayload(List.of("obj"), Optional.empty(),
                Optional.of(tree("{'must': [{'key': 'tag', 'match': {'value': 'both'}}], 'must_not': [{'has_id': [1]}]}"))));
        ops.add(new ClearPayload(List.of(PointId.of(3))));
        ops.add(new ClearPayloadByFilter(tree("{'must': [{'key': 'city', 'match': {'value': 'Inserted'}}]}")));
        ops.add(new UpdateVectors(List.of(new PointVectors(PointId.of(1), Map.of("text", dense(0, 0, 1, 0))),
                new PointVectors(PointId.of(2), Map.of("text", dense(0, 1, 0, 0)))),
                Optional.of(tree("{'must': [{'key': 'city', 'match': {'value': 'Berlin'}}]}"))));
        ops.add(new UpdateVectors(List.of(new PointVectors(PointId.of(4),
                Map.of("sparse", new SparseVector(new int[] {3}, new float[] {0.5f}),
                        "multi", new MultiDenseVector(new float[][] {{1, 1}, {2, 2}, {3, 3}})))), Optional.empty()));
        ops.add(new SetPayload(object("{'updated': true}"), Optional.of(List.of(PointId.of(1))), Optional.empty(),
                Optional.empty()));
        ops.add(new DeleteVectors(List.of(PointId.of(2)), List.of("multi")));
        ops.add(new DeleteVectorsByFilter(tree("{'must': [{'key': 'city', 'match': {'any': ['Updated', 'Oslo']}}]}"),
                List.of("sparse", "text")));
        return ops;
    }

    static PointStruct point(long id, Map<String, VectorValue> vectors, String payload) {
        return new PointStruct(PointId.of(id), vectors, payload == null ? Optional.empty() : Optional.of(object(payload)));
    }

    static Map<String, VectorValue> all(int seed) {
        Map<String, VectorValue> v = new LinkedHashMap<>();
        v.put("text", dense(seed, 1, -seed, 0.5f));
        v.put("multi", new MultiDenseVector(new float[][] {{seed, 0}, {0, seed}}));
        v.put("sparse", new SparseVector(new int[] {seed, seed + 100}, new float[] {0.25f * seed, 1f}));
        return v;
    }

    static DenseVector dense(float... values) {
        return new DenseVector(values);
    }
}
