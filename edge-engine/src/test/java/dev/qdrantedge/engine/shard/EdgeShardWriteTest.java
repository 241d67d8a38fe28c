package dev.qdrantedge.engine.shard;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.qdrantedge.engine.EdgeException;
import dev.qdrantedge.engine.config.EdgeConfig;
import dev.qdrantedge.engine.config.SparseVectorParams;
import dev.qdrantedge.engine.config.VectorParams;
import dev.qdrantedge.engine.filter.FilterParseException;
import dev.qdrantedge.engine.idtracker.PointId;
import dev.qdrantedge.engine.operation.CreateFieldIndex;
import dev.qdrantedge.engine.operation.DeletePayload;
import dev.qdrantedge.engine.operation.DeletePoints;
import dev.qdrantedge.engine.operation.DeletePointsByFilter;
import dev.qdrantedge.engine.operation.DeleteVectors;
import dev.qdrantedge.engine.operation.InvalidOperationException;
import dev.qdrantedge.engine.operation.PointStruct;
import dev.qdrantedge.engine.operation.PointVectors;
import dev.qdrantedge.engine.operation.SetPayload;
import dev.qdrantedge.engine.operation.UpdateOperation;
import dev.qdrantedge.engine.operation.UpdateVectors;
import dev.qdrantedge.engine.operation.UpsertPoints;
import dev.qdrantedge.engine.vectors.DenseVector;
import dev.qdrantedge.engine.vectors.Distance;
import dev.qdrantedge.engine.vectors.MultiDenseVector;
import dev.qdrantedge.engine.vectors.SparseVector;
import dev.qdrantedge.engine.vectors.VectorDatatype;
import dev.qdrantedge.engine.vectors.VectorValue;
import dev.qdrantedge.engine.wal.WalReader;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

/** {@link EdgeShard}'s write path: input checks, the directory lock, readers during writes, sync policies. */
class EdgeShardWriteTest {

    private static final JsonMapper JSON = JsonMapper.builder().build();

    @TempDir
    Path temp;

    private static EdgeConfig config() {
        Map<String, VectorParams> vectors = new LinkedHashMap<>();
        vectors.put("dense", new VectorParams(4, Distance.DOT));
        vectors.put("multi", new VectorParams(2, Distance.DOT, VectorDatatype.FLOAT32, true, null));
        return new EdgeConfig(vectors, Map.of("sparse", new SparseVectorParams(false)));
    }

    static Stream<Arguments> badOperations() {
        return Stream.of(
                Arguments.of("wrong dimension", upsert(point(10, "dense", dense(1, 2, 3))),
                        InvalidOperationException.class, "point 10, vector 'dense': expected dimension 4, got 3"),
                Arguments.of("NaN", upsert(point(10, "dense", dense(1, Float.NaN, 3, 4))),
                        InvalidOperationException.class, "value at index 1 is NaN; vectors must be finite"),
                Arguments.of("infinite", upsert(point(10, "multi",
                                new MultiDenseVector(new float[][] {{1, 2}, {Float.NEGATIVE_INFINITY, 0}}))),
                        InvalidOperationException.class, "row 1: value at index 0 is -Infinity"),
                Arguments.of("infinite sparse", upsert(point(10, "sparse",
                                new SparseVector(new int[] {3}, new float[] {Float.POSITIVE_INFINITY}))),
                        InvalidOperationException.class, "value for index 3 is Infinity"),
                Arguments.of("unknown vector name", upsert(point(10, "nope", dense(1, 2, 3, 4))),
                        InvalidOperationException.class, "no vector named 'nope' in this shard"),
                Arguments.of("dense given for sparse", upsert(point(10, "sparse", dense(1, 2, 3, 4))),
                        InvalidOperationException.class, "is a sparse vector, but a dense vector was given"),
                Arguments.of("sparse given for dense", upsert(point(10, "dense",
                                new SparseVector(new int[] {1}, new float[] {1}))),
                        InvalidOperationException.class, "is a dense vector, but a sparse vector was given"),
                Arguments.of("single vector given for a multivector", upsert(point(10, "multi", dense(1, 2))),
                        InvalidOperationException.class, "is a multivector, but a single vector was given"),
                Arguments.of("a bad point after a good one", new UpsertPoints(List.of(
                                point(11, "dense", dense(1, 2, 3, 4)), point(12, "dense", dense(1, 2)))),
                        InvalidOperationException.class, "point 12"),
                Arguments.of("a point twice in one upsert", new UpsertPoints(List.of(
                                point(13, "dense", dense(1, 2, 3, 4)), point(13, "dense", dense(1, 2, 3, 4)))),
                        InvalidOperationException.class, "point 13 appears twice in one upsert"),
                Arguments.of("update_vectors with a wrong dimension", new UpdateVectors(List.of(
                                new PointVectors(PointId.of(1), Map.of("dense", dense(1)))), Optional.empty()),
                        InvalidOperationException.class, "point 1, vector 'dense': expected dimension 4, got 1"),
                Arguments.of("delete_vectors of an unknown name", new DeleteVectors(List.of(PointId.of(1)),
                                List.of("nope")),
                        InvalidOperationException.class, "no vector named 'nope'"),
                Arguments.of("malformed filter", new DeletePointsByFilter(
                                json("{\"must\":[{\"key\":\"n\",\"match\":{\"bogus\":1}}]}")),
                        FilterParseException.class, "filter.must[0].match"),
                Arguments.of("filter that is not an object", new DeletePointsByFilter(json("[1,2]")),
                        FilterParseException.class, "filter"),
                Arguments.of("unsupported key path", new SetPayload(object("{\"x\":1}"),
                                Optional.of(List.of(PointId.of(1))), Optional.empty(), Optional.of("tags[0].name")),
                        InvalidOperationException.class, "payload key 'tags[0].name': only plain dotted paths"),
                Arguments.of("unsupported key path to delete", new DeletePayload(List.of("a[].b"),
                                Optional.of(List.of(PointId.of(1))), Optional.empty()),
                        InvalidOperationException.class, "payload key 'a[].b'"),
                Arguments.of("an operation not supported yet", new CreateFieldIndex("n", Optional.empty()),
                        InvalidOperationException.class, "create_index is not supported"),
                Arguments.of("a payload operation without points or filter", new SetPayload(object("{\"x\":1}"),
                                Optional.empty(), Optional.empty(), Optional.empty()),
                        InvalidOperationException.class, "set_payload names neither points nor a filter"));
    }

    /** One shard for all bad operations (each must leave it as it was), closed and reloaded at the end. */
    @TempDir
    static Path shared;
    private static EdgeShard badInputShard;
    private static List<String> badInputPoints;

    @BeforeAll
    static void openBadInputShard() {
        badInputShard = EdgeShard.create(shared.resolve("bad-input"), config());
        badInputShard.update(upsert(point(1, "dense", dense(1, 2, 3, 4)), point(2, "sparse",
                new SparseVector(new int[] {5}, new float[] {0.5f}))));
        badInputShard.update(new SetPayload(object("{\"n\":1}"), Optional.of(List.of(PointId.of(1))),
                Optional.empty(), Optional.empty()));
        badInputPoints = snapshot(badInputShard);
    }

    @AfterAll
    static void reloadBadInputShard() {
        badInputShard.close();
        try (EdgeShard shard = EdgeShard.load(shared.resolve("bad-input"))) {
            assertThat(snapshot(shard)).as("points after the refused operations and a reload")
                    .isEqualTo(badInputPoints);
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("badOperations")
    void aBadOperationIsRefusedWithATypedErrorAndChangesNothing(String what, UpdateOperation bad,
            Class<? extends EdgeException> type, String message) {
        EdgeShard shard = badInputShard;
        long lastGood;
        try (WalReader wal = WalReader.open(shard.directory().resolve(EdgeShard.WAL_DIR))) {
            lastGood = wal.lastIndex();
        }

        assertThatThrownBy(() -> shard.update(bad)).as(what).isInstanceOf(type).hasMessageContaining(message);

        assertThat(snapshot(shard)).as("points after the refused operation").isEqualTo(badInputPoints);
        try (WalReader wal = WalReader.open(shard.directory().resolve(EdgeShard.WAL_DIR))) {
            assertThat(wal.lastIndex()).as("nothing was logged").isEqualTo(lastGood);
        }
        assertThat(shard.update(new DeletePoints(List.of(PointId.of(99))))).as("the shard takes updates")
                .isEqualTo(lastGood + 1);
    }

    /**
     * As in Qdrant: the listed points are changed 32 at a time; the batch naming a missing point is changed
     * (its other points), later batches are not, and the missing point is reported with the operation number.
     */
    @Test
    void anOperationNamingAMissingPointIsAppliedAsQdrantAppliesItAndReportsThePoint() {
        Path dir = temp.resolve("shard");
        List<PointId> listed = new ArrayList<>();
        try (EdgeShard shard = EdgeShard.create(dir, config())) {
            List<PointStruct> points = new ArrayList<>();
            for (int i = 1; i <= 40; i++) {
                points.add(point(i, "dense", dense(i, 0, 0, 0)));
                listed.add(PointId.of(i));
            }
            shard.update(new UpsertPoints(points));
            listed.add(3, PointId.of(999));
            SetPayload set = new SetPayload(object("{\"x\":1}"), Optional.of(listed), Optional.empty(), Optional.empty());
            assertThatThrownBy(() -> shard.update(set)).isInstanceOfSatisfying(PointNotFoundException.class, e -> {
                assertThat(e.pointId()).isEqualTo(PointId.of(999));
                assertThat(e.operationNumber()).isEqualTo(1);
            }).hasMessageContaining("no point with id 999").hasMessageContaining("operation 1 (set_payload)");
            assertThat(shard.update(new DeletePoints(List.of(PointId.of(1))))).as("the shard goes on").isEqualTo(2);
            assertThat(withX(shard)).as("the first batch of 32 listed, the missing one in it").hasSize(30);
        }
        try (EdgeShard shard = EdgeShard.load(dir)) {
            assertThat(withX(shard)).hasSize(30).doesNotContain(PointId.of(1), PointId.of(32), PointId.of(40))
                    .contains(PointId.of(2), PointId.of(31));
        }
    }

    @Test
    void aPayloadOperationGivenIdsAndAFilterUsesTheIds() {
        try (EdgeShard shard = EdgeShard.create(temp.resolve("shard"), config())) {
            shard.update(upsert(point(1, "dense", dense(1, 2, 3, 4)), point(2, "dense", dense(1, 2, 3, 4))));
            shard.update(new SetPayload(object("{\"x\":1}"), Optional.of(List.of(PointId.of(1))),
                    Optional.of(json("{\"must\":[{\"has_id\":[2]}]}")), Optional.empty()));
            assertThat(withX(shard)).containsExactly(PointId.of(1));
        }
    }

    @Test
    void aShardWhoseWalWasEmptiedLoadsAndNumbersNewOperationsAfterTheStoredOnes() throws Exception {
        Path dir = temp.resolve("shard");
        try (EdgeShard shard = EdgeShard.create(dir, config())) {
            shard.update(upsert(point(1, "dense", dense(1, 2, 3, 4))));
            shard.update(upsert(point(2, "dense", dense(1, 2, 3, 4))));
            shard.update(upsert(point(3, "dense", dense(1, 2, 3, 4))));
        }
        Path wal = dir.resolve(EdgeShard.WAL_DIR);
        try (Stream<Path> files = java.nio.file.Files.list(wal)) {
            for (Path file : files.toList()) {
                java.nio.file.Files.delete(file);
            }
        }
        try (EdgeShard shard = EdgeShard.load(dir)) {
            assertThat(shard.count()).isEqualTo(3);
            assertThat(shard.update(upsert(point(4, "dense", dense(1, 2, 3, 4))))).isEqualTo(3);
        }
        try (EdgeShard shard = EdgeShard.load(dir)) {
            assertThat(shard.count()).isEqualTo(4);
            assertThat(shard.retrieve(List.of(PointId.of(4)), false, false).get(0).version()).isEqualTo(3);
        }
    }

    private static List<PointId> withX(EdgeShard shard) {
        return ShardReadCompatTest.scrollAll(shard).stream().filter(r -> r.payload().has("x")).map(Record::id).toList();
    }

    @Test
    void aSecondWriterInTheSameProcessIsRefusedUntilTheFirstCloses() {
        Path dir = temp.resolve("shard");
        try (EdgeShard shard = EdgeShard.create(dir, config())) {
            shard.update(upsert(point(1, "dense", dense(1, 2, 3, 4))));
            assertThatThrownBy(() -> EdgeShard.load(dir)).isInstanceOf(EdgeException.class)
                    .hasMessageContaining(dir.toString()).hasMessageContaining("already open for writing in this process");
            assertThatThrownBy(() -> EdgeShard.load(dir, config())).isInstanceOf(EdgeException.class)
                    .hasMessageContaining("already open for writing");
            assertThatThrownBy(() -> EdgeShard.create(dir, config())).isInstanceOf(EdgeException.class)
                    .hasMessageContaining("already holds segments");
            assertThat(shard.update(upsert(point(2, "dense", dense(1, 2, 3, 4))))).as("the first writer goes on")
                    .isEqualTo(1);
        }
        try (EdgeShard shard = EdgeShard.load(dir)) {
            assertThat(shard.count()).isEqualTo(2);
        }
    }

    @Test
    void aShardOpenForWritingCanBeOpenedReadOnlyAlongside() {
        Path dir = temp.resolve("shard");
        try (EdgeShard writer = EdgeShard.create(dir, config())) {
            writer.update(upsert(point(1, "dense", dense(1, 2, 3, 4))));
            writer.flush();
            writer.update(upsert(point(2, "dense", dense(5, 6, 7, 8))));
            try (EdgeShard reader = EdgeShard.openReadOnly(dir)) {
                assertThat(reader.readOnly()).isTrue();
                assertThat(ids(reader)).as("flushed and WAL-only points").containsExactly(PointId.of(1), PointId.of(2));
                writer.update(upsert(point(3, "dense", dense(1, 1, 1, 1))));
                assertThat(reader.count()).as("a read-only shard is a snapshot").isEqualTo(2);
                assertThatThrownBy(() -> reader.update(upsert(point(4, "dense", dense(1, 2, 3, 4)))))
                        .isInstanceOf(EdgeException.class).hasMessageContaining("read-only");
                assertThatThrownBy(reader::flush).isInstanceOf(EdgeException.class);
            }
            writer.update(new DeletePoints(List.of(PointId.of(1))));
            try (EdgeShard reader = EdgeShard.openReadOnly(dir)) {
                assertThat(ids(reader)).containsExactly(PointId.of(2), PointId.of(3));
            }
        }
    }

    /**
     * Readers on other threads never see half an operation: one writer changes two points together (payloads,
     * whole points, deletes, flushes in between) while readers check that the two always agree.
     */
    @Test
    void concurrentReadersSeeWholeOperations() throws Exception {
        Path dir = temp.resolve("shard");
        PointId a = PointId.of(1);
        PointId b = PointId.of(2);
        int operations = 240;
        try (EdgeShard shard = EdgeShard.create(dir, config(), WriteOptions.defaults().withFsync(FsyncPolicy.grouped(Duration.ofMillis(50))))) {
            shard.update(upsert(generation(a, 0), generation(b, 0)));
            AtomicBoolean done = new AtomicBoolean();
            AtomicLong reads = new AtomicLong();
            List<Throwable> failures = Collections.synchronizedList(new ArrayList<>());
            CountDownLatch started = new CountDownLatch(3);
            List<Thread> readers = new ArrayList<>();
            for (int t = 0; t < 3; t++) {
                boolean scroll = t == 2;
                Thread reader = new Thread(() -> {
                    started.countDown();
                    try {
                        while (!done.get()) {
                            List<Record> records = scroll ? shard.scroll(null, 10, true, true).points()
                                    : shard.retrieve(List.of(a, b), true, true);
                            checkTogether(records);
                            reads.incrementAndGet();
                        }
                    } catch (Throwable e) {
                        failures.add(e);
                    }
                }, "reader-" + t);
                reader.start();
                readers.add(reader);
            }
            started.await();
            for (int g = 1; g <= operations; g++) {
                switch (g % 4) {
                    case 0 -> shard.update(new SetPayload(object("{\"gen\":" + g + "}"), Optional.of(List.of(a, b)),
                            Optional.empty(), Optional.empty()));
                    case 1 -> shard.update(upsert(generation(a, g), generation(b, g)));
                    case 2 -> shard.update(new UpdateVectors(List.of(
                            new PointVectors(a, Map.of("dense", dense(g, g, g, g))),
                            new PointVectors(b, Map.of("dense", dense(g, g, g, g)))), Optional.empty()));
                    default -> {
                        if (g % 16 == 15) {
                            shard.flush();
                        } else {
                            shard.update(new DeletePoints(List.of(a, b)));
                            shard.update(upsert(generation(a, g), generation(b, g)));
                        }
                    }
                }
            }
            done.set(true);
            for (Thread reader : readers) {
                reader.join();
            }
            assertThat(failures).isEmpty();
            assertThat(reads.get()).as("reads done while writing").isGreaterThan(operations);
        }
    }

    /** Both points present or both absent; their payload generations and vectors equal. */
    private static void checkTogether(List<Record> records) {
        if (records.isEmpty()) {
            return;
        }
        assertThat(records).as("both points or none").hasSize(2);
        Record first = records.get(0);
        Record second = records.get(1);
        assertThat(second.payload()).as("payloads of one operation").isEqualTo(first.payload());
        float[] v1 = ((DenseVector) first.vectors().get("dense")).values();
        float[] v2 = ((DenseVector) second.vectors().get("dense")).values();
        assertThat(v2).as("vectors of one operation").containsExactly(v1);
    }

    private static PointStruct generation(PointId id, int g) {
        return new PointStruct(id, Map.of("dense", dense(g, g, g, g)), Optional.of(object("{\"gen\":" + g + "}")));
    }

    @Test
    void groupedSyncsKeepEveryAcknowledgedUpdateInTheWalAndStopWithTheShard() throws InterruptedException {
        assertThatThrownBy(() -> FsyncPolicy.grouped(Duration.ZERO)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> FsyncPolicy.grouped(Duration.ofMillis(-1))).isInstanceOf(IllegalArgumentException.class);
        assertThat(FsyncPolicy.grouped(Duration.ofMillis(5)).isPerOperation()).isFalse();

        Path dir = temp.resolve("grouped-sync");
        long last;
        try (EdgeShard shard = EdgeShard.create(dir, config(), WriteOptions.defaults().withFsync(FsyncPolicy.grouped(Duration.ofMillis(5))))) {
            for (int i = 0; i < 20; i++) {
                shard.update(upsert(point(i, "dense", dense(i, 1, 2, 3))));
            }
            last = shard.update(new DeletePoints(List.of(PointId.of(0))));
            try (WalReader wal = WalReader.open(dir.resolve(EdgeShard.WAL_DIR))) {
                assertThat(wal.lastIndex()).as("the WAL holds the update when update returns").isEqualTo(last);
            }
            assertThat(syncThreads("grouped-sync")).as("a background sync thread").hasSize(1);
        }
        assertThat(syncThreadsAfterStopping("grouped-sync")).as("the sync thread stops with the shard").isEmpty();
        try (EdgeShard shard = EdgeShard.load(dir, null, WriteOptions.defaults().withFsync(FsyncPolicy.grouped(Duration.ofSeconds(1))))) {
            assertThat(shard.count()).isEqualTo(19);
            assertThat(shard.update(new DeletePoints(List.of(PointId.of(1))))).isEqualTo(last + 1);
        }
        try (EdgeShard shard = EdgeShard.load(dir)) {
            assertThat(shard.count()).isEqualTo(18);
        }
    }

    @Test
    void backgroundFlushesAcknowledgeTheWal() throws InterruptedException {
        Path dir = temp.resolve("auto-flush");
        try (EdgeShard shard = EdgeShard.create(dir, config(),
                WriteOptions.defaults().withAutoFlush(Duration.ofMillis(20)))) {
            long last = 0;
            for (int i = 0; i < 5; i++) {
                last = shard.update(upsert(point(i, "dense", dense(i, 1, 2, 3))));
            }
            long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
            java.util.OptionalLong acked = java.util.OptionalLong.empty();
            while (System.nanoTime() < deadline) {
                try (WalReader wal = WalReader.open(dir.resolve(EdgeShard.WAL_DIR))) {
                    acked = wal.ackIndex();
                }
                if (acked.isPresent() && acked.getAsLong() == last) {
                    break;
                }
                Thread.sleep(10);
            }
            assertThat(acked).as("the WAL acknowledged by a background flush").hasValue(last);
        }
    }

    /** The live sync threads of shards in directories named {@code name}. */
    private static List<Thread> syncThreads(String name) {
        return Thread.getAllStackTraces().keySet().stream()
                .filter(t -> t.getName().equals("edge-shard-" + name) && t.isAlive()).toList();
    }

    private static List<Thread> syncThreadsAfterStopping(String name) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(5).toNanos();
        while (!syncThreads(name).isEmpty() && System.nanoTime() < deadline) {
            Thread.sleep(5);
        }
        return syncThreads(name);
    }

    @Test
    void aClosedShardRefusesEverything() {
        Path dir = temp.resolve("shard");
        EdgeShard shard = EdgeShard.create(dir, config());
        shard.close();
        shard.close();
        assertThatThrownBy(() -> shard.update(upsert(point(1, "dense", dense(1, 2, 3, 4)))))
                .isInstanceOf(EdgeException.class).hasMessageContaining("is closed");
        assertThatThrownBy(shard::flush).isInstanceOf(EdgeException.class).hasMessageContaining("is closed");
        assertThatThrownBy(shard::count).isInstanceOf(EdgeException.class).hasMessageContaining("is closed");
    }

    // ---------------------------------------------------------------------------------------------

    private static UpsertPoints upsert(PointStruct... points) {
        return new UpsertPoints(List.of(points));
    }

    private static PointStruct point(long id, String vector, VectorValue value) {
        return new PointStruct(PointId.of(id), Map.of(vector, value), Optional.of(object("{\"id\":" + id + "}")));
    }

    private static DenseVector dense(float... values) {
        return new DenseVector(values);
    }

    private static JsonNode json(String text) {
        return JSON.readTree(text);
    }

    private static ObjectNode object(String text) {
        return (ObjectNode) JSON.readTree(text);
    }

    private static List<PointId> ids(EdgeShard shard) {
        return ShardReadCompatTest.scrollAll(shard).stream().map(Record::id).toList();
    }

    /** Every point as text: id, version, vectors and payload. */
    private static List<String> snapshot(EdgeShard shard) {
        List<String> points = new ArrayList<>();
        for (Record r : ShardReadCompatTest.scrollAll(shard)) {
            points.add(r.id() + "@" + r.version() + " " + CrashOperations.canonical(r));
        }
        return points;
    }
}
