package dev.qdrantedge.engine.vectors;

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
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;

/** The reference engine loads sparse vector storages written here, fresh or modified in place. */
class SparseVectorStorageWriterReferenceTest {

    private static final String[] NAMES = {"text", "weighted"};

    @TempDir
    Path temp;

    @Test
    void freshStoresLoadInTheReferenceEngine() throws IOException {
        ReferenceEngine engine = ReferenceEngine.require();
        ReferenceShard shard = engine.build("storage-sparse");
        Path copy = shard.copyTo(temp.resolve("shard"));
        Map<String, Map<PointId, SparseVector>> expected = expected(shard);
        Map<PointId, LivePoints.Location> live = LivePoints.of(copy);
        for (Segment segment : LivePoints.openSegments(copy)) {
            for (String name : NAMES) {
                Path dir = segment.directory().resolve(SparseVectorStorage.directoryName(name));
                Map<Integer, byte[]> stored = new LinkedHashMap<>();
                Map<Integer, Boolean> deleted = new LinkedHashMap<>();
                try (Gridstore store = Gridstore.open(dir.resolve(SparseVectorStorage.STORE_DIRECTORY))) {
                    FlagBits flags = DynamicStoredFlags.open(dir.resolve(DynamicStoredFlags.DIRECTORY));
                    long count = Math.max(store.pointerCount(), flags.length());
                    for (int i = 0; i < count; i++) {
                        if (store.get(i) != null) {
                            stored.put(i, store.get(i));
                        }
                        deleted.put(i, flags.isSet(i));
                    }
                }
                deleteRecursively(dir);
                int changed = 0;
                try (SparseVectorStorageWriter writer = SparseVectorStorageWriter.openOrCreate(dir)) {
                    for (Map.Entry<Integer, Boolean> e : deleted.entrySet()) {
                        int offset = e.getKey();
                        if (e.getValue()) {
                            writer.delete(offset);
                        } else if (stored.containsKey(offset)) {
                            writer.put(offset, SparseVectorCodec.decode(stored.get(offset)));
                        }
                    }
                    for (Map.Entry<PointId, LivePoints.Location> e : live.entrySet()) {
                        if (!e.getValue().segment().directory().equals(segment.directory()) || changed++ % 37 != 0) {
                            continue;
                        }
                        SparseVector vector = new SparseVector(new int[] {changed, -1}, new float[] {0.5f, -changed});
                        writer.put(e.getValue().internalId(), vector);
                        expected.get(name).put(e.getKey(), vector);
                    }
                }
            }
        }
        assertVectors(engine.inspect(copy, temp.resolve("answers")), expected);
    }

    @Test
    void modifiedReferenceStoresLoadInTheReferenceEngine() {
        ReferenceEngine engine = ReferenceEngine.require();
        ReferenceShard shard = engine.build("storage-sparse");
        Path copy = shard.copyTo(temp.resolve("shard"));
        Map<String, Map<PointId, SparseVector>> expected = expected(shard);
        Map<Path, SparseVectorStorageWriter> writers = new HashMap<>();
        int n = 0;
        for (Map.Entry<PointId, LivePoints.Location> e : LivePoints.of(copy).entrySet()) {
            if (n++ % 13 != 0) {
                continue;
            }
            String name = NAMES[n % 2];
            Path dir = e.getValue().segment().directory().resolve(SparseVectorStorage.directoryName(name));
            SparseVectorStorageWriter writer = writers.computeIfAbsent(dir, SparseVectorStorageWriter::openOrCreate);
            if (n % 3 == 0) {
                writer.delete(e.getValue().internalId());
                expected.get(name).remove(e.getKey());
            } else {
                SparseVector vector = new SparseVector(new int[] {7, 3, n}, new float[] {1, 2, 3});
                writer.put(e.getValue().internalId(), vector);
                expected.get(name).put(e.getKey(), SparseVectorCodec.decode(SparseVectorEncoder.encode(vector)));
            }
        }
        writers.values().forEach(SparseVectorStorageWriter::close);
        assertVectors(engine.inspect(copy, temp.resolve("answers")), expected);
    }

    private static Map<String, Map<PointId, SparseVector>> expected(ReferenceShard shard) {
        Map<String, Map<PointId, SparseVector>> expected = new HashMap<>();
        for (String name : NAMES) {
            expected.put(name, vectors(shard.answers().points(), name));
        }
        return expected;
    }

    private static Map<PointId, SparseVector> vectors(JsonNode points, String name) {
        Map<PointId, SparseVector> vectors = new HashMap<>();
        for (JsonNode point : points) {
            JsonNode v = point.path("vector").path(name);
            if (v.isMissingNode() || v.isNull()) {
                continue;
            }
            int[] i = new int[v.get("indices").size()];
            float[] f = new float[i.length];
            for (int k = 0; k < i.length; k++) {
                i[k] = (int) v.get("indices").get(k).asLong();
                f[k] = (float) v.get("values").get(k).doubleValue();
            }
            vectors.put(ReferenceAnswers.toPointId(point.get("id")), new SparseVector(i, f));
        }
        return vectors;
    }

    private static void assertVectors(ReferenceAnswers answers, Map<String, Map<PointId, SparseVector>> expected) {
        for (String name : NAMES) {
            Map<PointId, SparseVector> actual = vectors(answers.points(), name);
            assertThat(actual).as(name).isEqualTo(expected.get(name));
        }
    }

    private static void deleteRecursively(Path dir) throws IOException {
        try (Stream<Path> files = Files.walk(dir)) {
            for (Path p : (Iterable<Path>) files.sorted(Comparator.reverseOrder())::iterator) {
                Files.delete(p);
            }
        }
    }
}
