package dev.qdrantedge.engine.payload;

import static org.assertj.core.api.Assertions.assertThat;

import dev.qdrantedge.engine.compat.LivePoints;
import dev.qdrantedge.engine.compat.ReferenceAnswers;
import dev.qdrantedge.engine.compat.ReferenceEngine;
import dev.qdrantedge.engine.compat.ReferenceShard;
import dev.qdrantedge.engine.gridstore.Gridstore;
import dev.qdrantedge.engine.idtracker.PointId;
import dev.qdrantedge.engine.segment.Segment;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/** The reference engine loads payload storages written here, fresh or modified in place. */
class WritablePayloadStorageReferenceTest {

    @TempDir
    Path temp;

    /** Every segment's payload_storage/ is replaced by one written here from the same values, some changed. */
    @ParameterizedTest
    @ValueSource(strings = {"storage-payloads", "basic"})
    void freshStoresLoadInTheReferenceEngine(String scenario) throws IOException {
        ReferenceEngine engine = ReferenceEngine.require();
        ReferenceShard shard = engine.build(scenario);
        Path copy = shard.copyTo(temp.resolve("shard"));
        Map<PointId, LivePoints.Location> live = LivePoints.of(copy);
        Map<PointId, JsonNode> expected = new LinkedHashMap<>();
        for (JsonNode point : shard.answers().points()) {
            expected.put(ReferenceAnswers.toPointId(point.get("id")), point.get("payload"));
        }
        int n = 0;
        List<Segment> segments = LivePoints.openSegments(copy);
        for (Segment segment : segments) {
            Map<Integer, ObjectNode> values = new LinkedHashMap<>();
            try (PayloadStorage storage = PayloadStorage.open(segment)) {
                Gridstore store = storage.gridstore();
                for (int offset = 0; offset < store.pointerCount(); offset++) {
                    if (store.get(offset) != null) {
                        values.put(offset, storage.get(offset));
                    }
                }
            }
            deleteRecursively(segment.directory().resolve(PayloadStorage.DIRECTORY));
            try (WritablePayloadStorage writer = WritablePayloadStorage.create(segment.directory())) {
                for (Map.Entry<Integer, ObjectNode> v : values.entrySet()) {
                    writer.set(v.getKey(), v.getValue());
                }
                for (Map.Entry<PointId, LivePoints.Location> e : live.entrySet()) {
                    if (!e.getValue().segment().directory().equals(segment.directory()) || n++ % 53 != 0) {
                        continue;
                    }
                    ObjectNode payload = writer.get(e.getValue().internalId());
                    payload.put("written_by", "java").put("tiny", 1e-300).put("huge", 1e300);
                    writer.set(e.getValue().internalId(), payload);
                    expected.put(e.getKey(), payload);
                }
            }
        }
        ReferenceAnswers answers = engine.inspect(copy, temp.resolve("answers"));
        assertPayloads(answers, expected);
    }

    /** The reference's own payload storage, opened here for writing, changed, deleted from and flushed. */
    @Test
    void modifiedReferenceStoresLoadInTheReferenceEngine() {
        ReferenceEngine engine = ReferenceEngine.require();
        ReferenceShard shard = engine.build("storage-payloads");
        Path copy = shard.copyTo(temp.resolve("shard"));
        Map<PointId, JsonNode> expected = new LinkedHashMap<>();
        for (JsonNode point : shard.answers().points()) {
            expected.put(ReferenceAnswers.toPointId(point.get("id")), point.get("payload"));
        }
        Map<Path, WritablePayloadStorage> writers = new HashMap<>();
        int n = 0;
        for (Map.Entry<PointId, LivePoints.Location> e : LivePoints.of(copy).entrySet()) {
            if (n++ % 11 != 0) {
                continue;
            }
            WritablePayloadStorage writer = writers.computeIfAbsent(e.getValue().segment().directory(),
                    WritablePayloadStorage::open);
            int id = e.getValue().internalId();
            if (n % 3 == 0) {
                writer.delete(id);
                expected.put(e.getKey(), PayloadJson.empty());
            } else {
                ObjectNode payload = writer.get(id);
                payload.put("modified", n).putArray("list").add(0.1).add(-0.0).add(123456789012345678L);
                writer.set(id, payload);
                expected.put(e.getKey(), payload);
            }
        }
        writers.values().forEach(WritablePayloadStorage::close);
        for (Path segment : writers.keySet()) {
            assertThat(segment.resolve("payload_storage/tracker_journal.dat")).doesNotExist();
        }
        ReferenceAnswers answers = engine.inspect(copy, temp.resolve("answers"));
        assertPayloads(answers, expected);
    }

    private static void assertPayloads(ReferenceAnswers answers, Map<PointId, JsonNode> expected) {
        JsonNode points = answers.points();
        assertThat(points.size()).isEqualTo(expected.size());
        PayloadComparison comparison = new PayloadComparison();
        for (JsonNode point : points) {
            PointId id = ReferenceAnswers.toPointId(point.get("id"));
            comparison.assertSame(point.get("payload"), expected.get(id), "point " + id);
        }
    }

    static void deleteRecursively(Path dir) throws IOException {
        try (Stream<Path> files = Files.walk(dir)) {
            for (Path p : (Iterable<Path>) files.sorted(Comparator.reverseOrder())::iterator) {
                Files.delete(p);
            }
        }
    }
}
