package dev.qdrantedge.engine.wal;

import static org.assertj.core.api.Assertions.assertThat;

import dev.qdrantedge.engine.compat.ReferenceAnswers;
import dev.qdrantedge.engine.compat.ReferenceEngine;
import dev.qdrantedge.engine.compat.ReferenceShard;
import dev.qdrantedge.engine.idtracker.PointId;
import dev.qdrantedge.engine.operation.DeletePoints;
import dev.qdrantedge.engine.operation.OverwritePayload;
import dev.qdrantedge.engine.operation.PointStruct;
import dev.qdrantedge.engine.operation.PointVectors;
import dev.qdrantedge.engine.operation.SetPayload;
import dev.qdrantedge.engine.operation.UpdateOperation;
import dev.qdrantedge.engine.operation.UpdateVectors;
import dev.qdrantedge.engine.operation.UpsertPoints;
import dev.qdrantedge.engine.vectors.DenseVector;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.Arrays;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

/** WALs written by {@link WalWriter} are replayed by the reference engine, and match what it writes itself. */
class WalWriterCompatTest {

    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final UUID UUID_ID = UUID.fromString("550e8400-e29b-41d4-a716-446655440000");

    @TempDir
    Path tmp;

    private static PointStruct point(PointId id, float[] vector, String payload) {
        return new PointStruct(id, Map.of("", new DenseVector(vector)),
                payload == null ? Optional.empty() : Optional.of((ObjectNode) JSON.readTree(payload)));
    }

    private static ObjectNode object(String json) {
        return (ObjectNode) JSON.readTree(json);
    }

    /** Operations on a shard with a 2-dimensional default vector. */
    private static List<UpdateOperation> moreOperations() {
        return List.of(
                new UpsertPoints(List.of(
                        point(PointId.of(4), new float[] {0.5f, 0.25f}, "{\"a\":1,\"s\":\"x\"}"),
                        point(PointId.of(UUID_ID), new float[] {1f, 2f}, null))),
                new SetPayload(object("{\"b\":2.5}"), Optional.of(List.of(PointId.of(2))), Optional.empty(),
                        Optional.empty()),
                new OverwritePayload(object("{\"only\":true}"), Optional.of(List.of(PointId.of(4))), Optional.empty(),
                        Optional.empty()),
                new DeletePoints(List.of(PointId.of(3))),
                new UpdateVectors(List.of(new PointVectors(PointId.of(2), Map.of("", new DenseVector(new float[] {3f, 4f})))),
                        Optional.empty()));
    }

    @Test
    void referenceEngineReplaysEntriesAppendedToItsWal() {
        ReferenceEngine engine = ReferenceEngine.require();
        // points 1 and 2 flushed, then point 3 upserted and point 1 deleted only in the WAL
        Path shard = engine.build("wal-acknowledged").copyTo(tmp.resolve("shard"));
        long first;
        try (WalWriter writer = WalWriter.open(shard.resolve("wal"))) {
            first = writer.nextIndex();
            for (UpdateOperation op : moreOperations()) {
                writer.append(op);
            }
            writer.flush(true);
        }
        assertThat(first).isEqualTo(4);

        ReferenceAnswers answers = engine.inspect(shard, tmp.resolve("answers"));

        assertThat(answers.points()).isEqualTo(JSON.readTree("["
                + "{\"id\":2,\"vector\":{\"\":[3.0,4.0]},\"payload\":{\"b\":2.5}},"
                + "{\"id\":4,\"vector\":{\"\":[0.5,0.25]},\"payload\":{\"only\":true}},"
                + "{\"id\":\"550e8400-e29b-41d4-a716-446655440000\",\"vector\":{\"\":[1.0,2.0]},\"payload\":{}}]"));
    }

    @Test
    void referenceEngineReplaysAWalWrittenEntirelyByJava() throws IOException {
        ReferenceEngine engine = ReferenceEngine.require();
        Path shard = engine.build("walwriter-empty").copyTo(tmp.resolve("shard"));
        deleteTree(shard.resolve("wal"));
        try (WalWriter writer = WalWriter.open(shard.resolve("wal"))) {
            writer.append(new UpsertPoints(List.of(
                    point(PointId.of(2), new float[] {1f, 0f}, "{\"k\":\"v\"}"),
                    point(PointId.of(3), new float[] {0f, 1f}, null))));
            for (UpdateOperation op : moreOperations()) {
                writer.append(op);
            }
        }

        ReferenceAnswers answers = engine.inspect(shard, tmp.resolve("answers"));

        assertThat(answers.points()).isEqualTo(JSON.readTree("["
                + "{\"id\":2,\"vector\":{\"\":[3.0,4.0]},\"payload\":{\"k\":\"v\",\"b\":2.5}},"
                + "{\"id\":4,\"vector\":{\"\":[0.5,0.25]},\"payload\":{\"only\":true}},"
                + "{\"id\":\"550e8400-e29b-41d4-a716-446655440000\",\"vector\":{\"\":[1.0,2.0]},\"payload\":{}}]"));
    }

    @Test
    void referenceEngineReplaysAWalStartedAtAnIndexAcrossSmallSegments() throws IOException {
        ReferenceEngine engine = ReferenceEngine.require();
        Path shard = engine.build("walwriter-empty").copyTo(tmp.resolve("shard"));
        deleteTree(shard.resolve("wal"));
        WalOptions options = WalOptions.defaults().withSegmentCapacity(4096);
        WalWriter.createEmpty(shard.resolve("wal"), options, 999);
        try (WalWriter writer = WalWriter.open(shard.resolve("wal"), options)) {
            for (int i = 0; i < 100; i++) {
                long index = writer.append(new UpsertPoints(List.of(point(PointId.of(i), new float[] {i, -i},
                        "{\"i\":" + i + ",\"text\":\"" + "x".repeat(i) + "\"}"))));
                assertThat(index).isEqualTo(1000 + i);
            }
            writer.append(new DeletePoints(List.of(PointId.of(0), PointId.of(1))));
        }
        try (Stream<Path> files = Files.list(shard.resolve("wal"))) {
            assertThat(files.filter(f -> f.getFileName().toString().startsWith("closed-"))).hasSizeGreaterThan(2);
        }

        ReferenceAnswers answers = engine.inspect(shard, tmp.resolve("answers"));

        assertThat(answers.count()).isEqualTo(98);
        JsonNode last = answers.points().get(97);
        assertThat(last).isEqualTo(JSON.readTree("{\"id\":99,\"vector\":{\"\":[99.0,-99.0]},\"payload\":{\"i\":99,"
                + "\"text\":\"" + "x".repeat(99) + "\"}}"));
    }

    /**
     * The same operations written by the reference engine and by Java give identical segment files when
     * the random CRC seeds are the same: header, every entry, padding, chained CRCs and the spare segment.
     */
    @Test
    void segmentFilesAreIdenticalToTheReferenceEnginesGivenTheSameSeeds() throws IOException {
        ReferenceShard reference = ReferenceEngine.require().build("wal-default-vector");
        Path referenceWal = reference.shardDir().resolve("wal");
        JsonNode scenario = JSON.readTree(Files.readAllBytes(
                ReferenceEngineScenarios.dir().resolve("wal-default-vector.json")));
        Deque<Integer> seeds = new ArrayDeque<>(List.of(seed(referenceWal.resolve("open-1")),
                seed(referenceWal.resolve("open-2"))));

        Path wal = tmp.resolve("wal");
        try (WalWriter writer = WalWriter.open(wal, WalOptions.defaults(), seeds::removeFirst)) {
            for (UpdateOperation op : ScenarioOperations.expected(scenario)) {
                writer.append(op);
            }
        }

        assertThat(list(wal)).isEqualTo(list(referenceWal)).containsExactly("open-1", "open-2");
        for (String name : List.of("open-1", "open-2")) {
            byte[] expected = Files.readAllBytes(referenceWal.resolve(name));
            byte[] actual = Files.readAllBytes(wal.resolve(name));
            assertThat(actual.length).as(name).isEqualTo(expected.length);
            assertThat(Arrays.equals(actual, expected)).as("%s identical", name).isTrue();
        }
    }

    private static int seed(Path segment) throws IOException {
        byte[] header = Arrays.copyOf(Files.readAllBytes(segment), 8);
        return java.nio.ByteBuffer.wrap(header, 4, 4).order(java.nio.ByteOrder.LITTLE_ENDIAN).getInt();
    }

    private static List<String> list(Path dir) throws IOException {
        try (Stream<Path> files = Files.list(dir)) {
            return files.map(f -> f.getFileName().toString()).sorted().toList();
        }
    }

    private static void deleteTree(Path dir) throws IOException {
        try (Stream<Path> files = Files.walk(dir)) {
            for (Path p : files.sorted(java.util.Comparator.reverseOrder()).toList()) {
                Files.delete(p);
            }
        }
    }
}
