package dev.qdrantedge.engine.shard;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.qdrantedge.engine.EdgeFormatException;
import dev.qdrantedge.engine.compat.ReferenceAnswers;
import dev.qdrantedge.engine.compat.ReferenceEngine;
import dev.qdrantedge.engine.compat.ReferenceShard;
import dev.qdrantedge.engine.idtracker.PointId;
import dev.qdrantedge.engine.operation.SyncPoints;
import dev.qdrantedge.engine.wal.WalWriter;
import dev.qdrantedge.engine.payload.PayloadComparison;
import dev.qdrantedge.engine.vectors.DenseVector;
import dev.qdrantedge.engine.vectors.MultiDenseVector;
import dev.qdrantedge.engine.vectors.SparseVector;
import dev.qdrantedge.engine.vectors.VectorValue;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.TreeMap;
import java.util.stream.Stream;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import tools.jackson.databind.JsonNode;

/**
 * Every point of shards the reference engine wrote, read through {@link EdgeShard}: the same ids, every
 * vector bit-exact, the same payloads, as the reference engine's own {@code scroll}/{@code retrieve}. Covers
 * default and named vectors, every distance and datatype, multivectors, sparse vectors, numeric and UUID ids,
 * deleted and overwritten points, optimized (immutable) segments, on-disk and in-RAM storage, and shards whose
 * last operations exist only in the WAL.
 */
class ShardReadCompatTest {

    @TempDir
    Path temp;

    @ParameterizedTest
    @ValueSource(strings = {"basic", "named-all-kinds", "optimized", "storage-payloads", "storage-sparse",
        "vectors-optimized", "wal-only", "wal-default-vector", "wal-named-vectors", "wal-acknowledged", "wal-filters"})
    void everyPointEqualsTheReferenceEngines(String scenario) {
        ReferenceShard reference = ReferenceEngine.require().build(scenario);
        ReferenceAnswers answers = reference.answers();
        // WAL scenarios are loaded from a copy: the reference engine itself would flush on its next load.
        Path dir = reference.copyTo(temp.resolve(scenario));

        try (EdgeShard shard = EdgeShard.openReadOnly(dir)) {
            assertThat(shard.count()).isEqualTo(answers.count());
            List<Record> records = scrollAll(shard);
            JsonNode expected = answers.points();
            assertThat(records).extracting(Record::id).containsExactlyElementsOf(answers.pointIds());

            PayloadComparison payloads = new PayloadComparison();
            for (int i = 0; i < records.size(); i++) {
                Record actual = records.get(i);
                JsonNode point = expected.get(i);
                String at = scenario + " point " + actual.id();
                assertVectors(actual.vectors(), point.get("vector"), at);
                payloads.assertSame(actual.payload(), point.get("payload"), at + " payload");
            }
            PointId first = records.get(0).id();
            PointId last = records.get(records.size() - 1).id();
            List<Record> some = shard.retrieve(List.of(first, PointId.of(Long.MAX_VALUE - 3), last, first), true, false);
            assertThat(some).extracting(Record::id).containsExactlyElementsOf(
                    first.equals(last) ? List.of(first) : List.of(first, last));
            assertThat(some.get(0).vectors()).isNull();
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"optimized", "wal-default-vector"})
    void loadingWritesNothing(String scenario) throws IOException {
        Path dir = ReferenceEngine.require().build(scenario).copyTo(temp.resolve(scenario));
        Map<String, String> before = fingerprint(dir);
        try (EdgeShard shard = EdgeShard.openReadOnly(dir)) {
            scrollAll(shard);
        }
        assertThat(fingerprint(dir)).isEqualTo(before);
    }

    private static Map<String, String> fingerprint(Path dir) throws IOException {
        Map<String, String> files = new TreeMap<>();
        try (Stream<Path> walk = Files.walk(dir)) {
            for (Path p : (Iterable<Path>) walk::iterator) {
                files.put(dir.relativize(p).toString(), Files.isDirectory(p) ? "dir"
                        : Files.size(p) + "@" + Files.getLastModifiedTime(p).toMillis() + "#"
                                + Arrays.hashCode(Files.readAllBytes(p)));
            }
        }
        return files;
    }

    @Test
    void scrollPagesAreTheReferenceEnginesPages() {
        ReferenceShard reference = ReferenceEngine.require().build("basic");
        JsonNode scroll = reference.answers().scroll();
        int limit = scroll.get("limit").asInt();
        try (EdgeShard shard = EdgeShard.openReadOnly(reference.shardDir())) {
            PointId offset = null;
            for (JsonNode page : scroll.get("pages")) {
                ScrollPage actual = shard.scroll(offset, limit, false, false);
                List<PointId> ids = new ArrayList<>();
                page.get("ids").forEach(id -> ids.add(ReferenceAnswers.toPointId(id)));
                assertThat(actual.points()).extracting(Record::id).containsExactlyElementsOf(ids);
                JsonNode next = page.get("next_offset");
                assertThat(actual.nextOffset()).isEqualTo(next.isNull() ? null : ReferenceAnswers.toPointId(next));
                offset = actual.nextOffset();
            }
            assertThat(offset).isNull();
        }
    }

    @Test
    void infoMatchesTheReferenceEngineAfterReload() {
        for (String scenario : List.of("named-all-kinds", "optimized")) {
            ReferenceEngine engine = ReferenceEngine.require();
            Path dir = engine.build(scenario).copyTo(temp.resolve(scenario));
            try (EdgeShard shard = EdgeShard.openReadOnly(dir)) {
                ShardInfo info = shard.info();
                ReferenceAnswers reloaded = engine.inspect(dir, temp.resolve(scenario + "-answers"));
                assertThat(info.segmentsCount()).as(scenario).isEqualTo(reloaded.info().get("segments_count").asInt());
                assertThat(info.pointsCount()).as(scenario).isEqualTo(reloaded.info().get("points_count").asLong());
                assertThat(info.indexedVectorsCount()).as(scenario)
                        .isEqualTo(reloaded.info().get("indexed_vectors_count").asLong());
            }
        }
    }

    @Test
    void vectorNamesCreatedAndDeletedInTheWalShapeTheConfiguration() {
        Path dir = ReferenceEngine.require().build("wal-filters").copyTo(temp.resolve("wal-filters-config"));
        try (EdgeShard shard = EdgeShard.openReadOnly(dir)) {
            assertThat(shard.config()).hasValueSatisfying(config -> {
                assertThat(config.vectors()).containsKey("").doesNotContainKey("extra");
                assertThat(config.sparseVectors()).containsKey("words");
            });
        }
    }

    @Test
    void aWalEntryReplayCannotApplyIsRefusedNamingTheEntry() {
        Path dir = ReferenceEngine.require().build("wal-only").copyTo(temp.resolve("wal-sync"));
        long index;
        try (WalWriter wal = WalWriter.open(dir.resolve("wal"))) {
            index = wal.append(new SyncPoints(Optional.empty(), Optional.empty(), List.of()));
            wal.flush(true);
        }
        assertThatThrownBy(() -> EdgeShard.openReadOnly(dir))
                .isInstanceOf(EdgeFormatException.class)
                .hasMessageContaining("entry " + index + " (sync_points)")
                .hasMessageContaining("does not support it yet");
    }

    static List<Record> scrollAll(EdgeShard shard) {
        List<Record> records = new ArrayList<>();
        PointId offset = null;
        do {
            ScrollPage page = shard.scroll(offset, 100, true, true);
            records.addAll(page.points());
            offset = page.nextOffset();
        } while (offset != null);
        return records;
    }

    static void assertVectors(Map<String, VectorValue> actual, JsonNode expected, String at) {
        if (expected == null || expected.isNull()) {
            assertThat(actual).as(at + " vectors").isEmpty();
            return;
        }
        assertThat(actual.keySet()).as(at + " vector names").containsExactlyInAnyOrderElementsOf(expected.propertyNames());
        for (Map.Entry<String, JsonNode> e : expected.properties()) {
            VectorValue value = actual.get(e.getKey());
            String where = at + " vector '" + e.getKey() + "'";
            JsonNode json = e.getValue();
            if (json.isObject()) {
                SparseVector sparse = (SparseVector) value;
                assertThat(java.util.Arrays.stream(sparse.indices()).mapToLong(Integer::toUnsignedLong).toArray())
                        .as(where + " indices")
                        .containsExactly(json.get("indices").valueStream().mapToLong(JsonNode::asLong).toArray());
                assertBits(sparse.values(), json.get("values"), where);
            } else if (json.size() > 0 && json.get(0).isArray()) {
                float[][] rows = ((MultiDenseVector) value).vectors();
                assertThat(rows.length).as(where + " rows").isEqualTo(json.size());
                for (int r = 0; r < rows.length; r++) {
                    assertBits(rows[r], json.get(r), where + " row " + r);
                }
            } else {
                assertBits(((DenseVector) value).values(), json, where);
            }
        }
    }

    private static void assertBits(float[] actual, JsonNode expected, String where) {
        assertThat(actual.length).as(where + " length").isEqualTo(expected.size());
        for (int i = 0; i < actual.length; i++) {
            int expectedBits = Float.floatToIntBits((float) expected.get(i).asDouble());
            assertThat(Float.floatToIntBits(actual[i])).as(where + "[" + i + "]: " + actual[i] + " vs "
                    + expected.get(i)).isEqualTo(expectedBits);
        }
    }
}
