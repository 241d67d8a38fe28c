package dev.qdrantedge.engine.segment;

import static org.assertj.core.api.Assertions.assertThat;

import dev.qdrantedge.engine.compat.ReferenceAnswers;
import dev.qdrantedge.engine.compat.ReferenceEngine;
import dev.qdrantedge.engine.compat.ReferenceShard;
import dev.qdrantedge.engine.idtracker.IdTracker;
import dev.qdrantedge.engine.idtracker.MutableIdTrackerReader;
import dev.qdrantedge.engine.idtracker.MutableIdTrackerWriter;
import dev.qdrantedge.engine.idtracker.PointId;
import dev.qdrantedge.engine.io.JsonFiles;
import dev.qdrantedge.engine.vectors.AppendableDenseVectorWriter;
import dev.qdrantedge.engine.vectors.DenseVector;
import dev.qdrantedge.engine.vectors.Distance;
import dev.qdrantedge.engine.vectors.MultiDenseVector;
import dev.qdrantedge.engine.vectors.MultiDenseVectorWriter;
import dev.qdrantedge.engine.vectors.VectorDatatype;
import dev.qdrantedge.engine.vectors.VectorPreprocessing;
import dev.qdrantedge.engine.vectors.VectorStorage;
import dev.qdrantedge.engine.vectors.VectorStorages;
import dev.qdrantedge.engine.vectors.VectorValue;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;

/**
 * The segment writers against the reference engine: files byte-identical to the ones it writes for the same
 * operations, and shards rebuilt or extended by the writers that it loads with the expected points.
 */
class SegmentWritersCompatTest {

    @TempDir
    Path temp;

    /** Writers of one segment, applying point operations as Qdrant's segment does. */
    static final class SegmentWriters implements AutoCloseable {
        final MutableIdTrackerWriter tracker;
        final Map<String, VectorDataConfig> configs;
        final Map<String, VectorStorage> storages = new LinkedHashMap<>();

        SegmentWriters(Path segmentDir) {
            SegmentState state = SegmentState.read(segmentDir);
            configs = state.vectorData();
            tracker = MutableIdTrackerWriter.open(segmentDir);
            for (Map.Entry<String, VectorDataConfig> e : configs.entrySet()) {
                Path dir = segmentDir.resolve(VectorStorages.directoryName(e.getKey()));
                VectorDataConfig c = e.getValue();
                storages.put(e.getKey(), c.multivector() ? MultiDenseVectorWriter.open(dir, c.size(), c.datatype())
                        : AppendableDenseVectorWriter.open(dir, c.size(), c.datatype()));
            }
        }

        /** Upsert with raw (unpreprocessed) values; absent names get Qdrant's absent-vector treatment. */
        void upsert(PointId id, Map<String, JsonNode> raw, long op) {
            int internal = tracker.internalId(id);
            boolean fresh = internal < 0;
            if (fresh) {
                internal = tracker.nextInternalId();
            }
            for (Map.Entry<String, VectorStorage> e : storages.entrySet()) {
                VectorDataConfig c = configs.get(e.getKey());
                JsonNode value = raw.get(e.getKey());
                if (e.getValue() instanceof MultiDenseVectorWriter) {
                    MultiDenseVectorWriter w = (MultiDenseVectorWriter) e.getValue();
                    if (value == null) {
                        w.putAbsent(internal);
                    } else {
                        float[][] rows = new float[value.size()][];
                        for (int r = 0; r < rows.length; r++) {
                            rows[r] = VectorPreprocessing.preprocess(c.distance(), c.datatype(), floats(value.get(r)));
                        }
                        w.put(internal, rows);
                    }
                } else {
                    AppendableDenseVectorWriter w = (AppendableDenseVectorWriter) e.getValue();
                    if (value == null) {
                        w.putAbsent(internal);
                    } else {
                        w.put(internal, VectorPreprocessing.preprocess(c.distance(), c.datatype(), floats(value)));
                    }
                }
            }
            if (fresh) {
                tracker.setLink(id, internal);
            }
            tracker.setInternalVersion(internal, op);
        }

        void delete(PointId id, long op) {
            int internal = tracker.internalId(id);
            if (internal >= 0) {
                tracker.dropInternal(internal);
                tracker.setInternalVersion(internal, op);
            }
        }

        void deleteVector(PointId id, String name, long op) {
            int internal = tracker.internalId(id);
            VectorStorage s = storages.get(name);
            if (s instanceof MultiDenseVectorWriter) {
                ((MultiDenseVectorWriter) s).delete(internal);
            } else {
                ((AppendableDenseVectorWriter) s).delete(internal);
            }
            tracker.setInternalVersion(internal, op);
        }

        /** Qdrant's flush order: mappings, vector storages, versions last. */
        void flush() {
            tracker.flushMappings();
            for (VectorStorage s : storages.values()) {
                if (s instanceof MultiDenseVectorWriter) {
                    ((MultiDenseVectorWriter) s).flush();
                } else {
                    ((AppendableDenseVectorWriter) s).flush();
                }
            }
            tracker.flushVersions();
        }

        @Override
        public void close() {
            storages.values().forEach(VectorStorage::close);
        }
    }

    static float[] floats(JsonNode array) {
        float[] out = new float[array.size()];
        for (int i = 0; i < out.length; i++) {
            out[i] = (float) array.get(i).asDouble();
        }
        return out;
    }

    static PointId pointId(JsonNode id) {
        return id.isNumber() ? PointId.of(id.asLong()) : PointId.parse(id.asString());
    }

    static Path onlySegment(Path shardDir) {
        List<Path> segments = SegmentDirectories.scan(shardDir.resolve("segments"));
        assertThat(segments).hasSize(1);
        return segments.get(0);
    }

    static List<AppendableSegmentCreator.DenseVector> denseSpecs(Path referenceSegment) {
        JsonNode vectorData = JsonFiles.readTree(referenceSegment.resolve(SegmentState.FILE)).path("config")
                .path("vector_data");
        List<AppendableSegmentCreator.DenseVector> specs = new ArrayList<>();
        for (Map.Entry<String, JsonNode> e : vectorData.properties()) {
            JsonNode v = e.getValue();
            JsonNode datatype = v.path("datatype");
            specs.add(new AppendableSegmentCreator.DenseVector(e.getKey(), v.path("size").asInt(),
                    Distance.fromJson(v.path("distance").asString()),
                    datatype.isMissingNode() ? null : VectorDatatype.fromJson(datatype.asString()),
                    !v.path("multivector_config").isMissingNode(), "ChunkedMmap".equals(v.path("storage_type").asString())));
        }
        return specs;
    }

    /** Every file under {@code dir}, relative, excluding the storages another component writes. */
    static TreeSet<String> files(Path dir) {
        try (Stream<Path> walk = Files.walk(dir)) {
            TreeSet<String> out = new TreeSet<>();
            walk.filter(Files::isRegularFile).map(p -> dir.relativize(p).toString())
                    .filter(p -> !p.startsWith("payload_storage")).forEach(out::add);
            return out;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Test
    void replayingTheScenarioWritesTheReferenceEnginesBytes() throws IOException {
        ReferenceShard reference = ReferenceEngine.require().build("segwriter-ops");
        Path referenceSegment = onlySegment(reference.shardDir());
        Path mine = temp.resolve("segment");
        new AppendableSegmentCreator(denseSpecs(referenceSegment), List.of(), true).create(mine);

        JsonNode scenario = JsonFiles.readTree(scenarioFile("segwriter-ops"));
        long op = 0;
        try (SegmentWriters writers = new SegmentWriters(mine)) {
            for (JsonNode operation : scenario.path("operations")) {
                String kind = operation.path("op").asString();
                switch (kind) {
                    case "upsert":
                        for (JsonNode p : operation.path("points")) {
                            Map<String, JsonNode> vectors = new LinkedHashMap<>();
                            p.path("vector").properties().forEach(e -> vectors.put(e.getKey(), e.getValue()));
                            writers.upsert(pointId(p.path("id")), vectors, op);
                        }
                        break;
                    case "delete":
                        for (JsonNode id : operation.path("ids")) {
                            writers.delete(pointId(id), op);
                        }
                        break;
                    case "delete_vectors":
                        for (JsonNode id : operation.path("ids")) {
                            for (JsonNode name : operation.path("vectors")) {
                                writers.deleteVector(pointId(id), name.asString(), op);
                            }
                        }
                        break;
                    case "flush":
                        continue;
                    default:
                        throw new IllegalStateException("operation not replayed here: " + kind);
                }
                op++;
            }
            writers.flush();
        }
        SegmentStateFile.updateVersion(mine, op - 1);

        assertThat(files(mine)).isEqualTo(files(referenceSegment));
        for (String file : files(mine)) {
            assertThat(Files.mismatch(mine.resolve(file), referenceSegment.resolve(file)))
                    .as("first differing byte of %s", file).isEqualTo(-1L);
        }
    }

    @Test
    void emptySegmentMatchesTheOneTheReferenceEngineCreates() throws IOException {
        ReferenceShard reference = ReferenceEngine.require().build("segwriter-empty");
        Path referenceSegment = onlySegment(reference.shardDir());
        Path mine = new AppendableSegmentCreator(denseSpecs(referenceSegment), List.of(), true)
                .create(temp.resolve("mine"));

        assertThat(files(mine)).isEqualTo(files(referenceSegment));
        for (String file : files(mine)) {
            assertThat(Files.mismatch(mine.resolve(file), referenceSegment.resolve(file)))
                    .as("first differing byte of %s", file).isEqualTo(-1L);
        }
    }

    @Test
    void rebuiltTrackerAndStoragesLoadWithIdenticalPoints() throws IOException {
        ReferenceShard reference = ReferenceEngine.require().build("named-all-kinds");
        Path shard = reference.copyTo(temp.resolve("shard"));
        Path segmentDir = onlySegment(shard);
        SegmentState state = SegmentState.read(segmentDir);

        // Read everything first through the readers.
        IdTracker old = MutableIdTrackerReader.read(segmentDir);
        int total = old.totalPointCount();
        Map<String, List<VectorValue>> values = new LinkedHashMap<>();
        Map<String, Integer> slots = new LinkedHashMap<>();
        for (Map.Entry<String, VectorDataConfig> e : state.vectorData().entrySet()) {
            try (VectorStorage s = VectorStorages.open(segmentDir, e.getKey(), e.getValue())) {
                List<VectorValue> list = new ArrayList<>();
                for (int i = 0; i < s.slotCount(); i++) {
                    list.add(s.get(i));
                }
                values.put(e.getKey(), list);
                slots.put(e.getKey(), s.slotCount());
            }
        }
        // Remove and rebuild.
        Files.delete(segmentDir.resolve(MutableIdTrackerReader.MAPPINGS_FILE));
        Files.delete(segmentDir.resolve(MutableIdTrackerReader.VERSIONS_FILE));
        for (String name : state.vectorData().keySet()) {
            deleteTree(segmentDir.resolve(VectorStorages.directoryName(name)));
        }
        MutableIdTrackerWriter tracker = MutableIdTrackerWriter.open(segmentDir);
        for (int i = 0; i < total; i++) {
            if (old.isLive(i)) {
                tracker.setLink(old.externalId(i), i);
                tracker.setInternalVersion(i, old.version(i));
            } else {
                tracker.setInternalVersion(i, MutableIdTrackerWriter.DELETED_POINT_VERSION);
            }
        }
        tracker.flushMappings();
        for (Map.Entry<String, VectorDataConfig> e : state.vectorData().entrySet()) {
            VectorDataConfig c = e.getValue();
            Path dir = segmentDir.resolve(VectorStorages.directoryName(e.getKey()));
            List<VectorValue> list = values.get(e.getKey());
            if (c.multivector()) {
                try (MultiDenseVectorWriter w = MultiDenseVectorWriter.open(dir, c.size(), c.datatype())) {
                    for (int i = 0; i < list.size(); i++) {
                        if (list.get(i) == null) {
                            w.putAbsent(i);
                        } else {
                            w.put(i, ((MultiDenseVector) list.get(i)).vectors());
                        }
                    }
                    w.flush();
                }
            } else {
                try (AppendableDenseVectorWriter w = AppendableDenseVectorWriter.open(dir, c.size(), c.datatype())) {
                    for (int i = 0; i < list.size(); i++) {
                        if (list.get(i) == null) {
                            w.putAbsent(i);
                        } else {
                            w.put(i, ((DenseVector) list.get(i)).values());
                        }
                    }
                    w.flush();
                }
            }
        }
        tracker.flushVersions();

        ReferenceAnswers answers = ReferenceEngine.require().inspect(shard, temp.resolve("answers"));
        assertThat(answers.points()).isEqualTo(reference.answers().points());
        assertThat(answers.count()).isEqualTo(reference.answers().count());
    }

    @Test
    void appendedAndDeletedPointsAreSeenByTheReferenceEngine() throws IOException {
        ReferenceShard reference = ReferenceEngine.require().build("segwriter-ops");
        Path shard = reference.copyTo(temp.resolve("shard"));
        Path segmentDir = onlySegment(shard);
        // The WAL's last operation is the highest op number: writing at that version keeps the next
        // operation the engine logs strictly above every stored version.
        long version = SegmentState.read(segmentDir).version().orElseThrow();
        Map<String, JsonNode> vectors = new LinkedHashMap<>();
        JsonNode v = tools.jackson.databind.json.JsonMapper.builder().build()
                .readTree("{\"\":[0,1,0,0],\"h\":[1,2,3],\"b\":[9,8,7,6,5],\"m\":[[1,2],[3,4],[5,6]]}");
        v.properties().forEach(e -> vectors.put(e.getKey(), e.getValue()));
        try (SegmentWriters writers = new SegmentWriters(segmentDir)) {
            writers.upsert(PointId.of(100), vectors, version);
            Map<String, JsonNode> partial = new LinkedHashMap<>();
            partial.put("", vectors.get(""));
            writers.upsert(PointId.of(101), partial, version);
            writers.delete(PointId.of(5), version);
            assertThat(writers.tracker.internalId(PointId.of(100))).isGreaterThanOrEqualTo(0);
            assertThat(writers.tracker.internalId(PointId.of(5))).isEqualTo(-1);
            writers.flush();
        }
        SegmentStateFile.updateVersion(segmentDir, version);

        ReferenceAnswers answers = ReferenceEngine.require().inspect(shard, temp.resolve("answers"));
        List<PointId> expected = new ArrayList<>(reference.answers().pointIds());
        expected.remove(PointId.of(5));
        expected.add(PointId.of(100));
        expected.add(PointId.of(101));
        assertThat(new TreeSet<>(answers.pointIds())).isEqualTo(new TreeSet<>(expected));
        JsonNode p100 = null;
        JsonNode p101 = null;
        for (JsonNode p : answers.points()) {
            PointId id = ReferenceAnswers.toPointId(p.path("id"));
            if (id.equals(PointId.of(100))) {
                p100 = p;
            } else if (id.equals(PointId.of(101))) {
                p101 = p;
            }
        }
        assertThat(p100).isNotNull();
        assertThat(p100.toString()).contains("\"m\":[[1.0,2.0],[3.0,4.0],[5.0,6.0]]");
        assertThat(p101).isNotNull();
        assertThat(p101.path("vector").has("h")).isFalse();
        assertThat(p101.path("vector").has("m")).isFalse();
        assertThat(answers.count()).isEqualTo(reference.answers().count() + 1);
    }

    private static void deleteTree(Path dir) throws IOException {
        try (Stream<Path> walk = Files.walk(dir)) {
            for (Path p : (Iterable<Path>) walk.sorted(java.util.Comparator.reverseOrder())::iterator) {
                Files.delete(p);
            }
        }
    }

    static Path scenarioFile(String name) {
        for (Path dir = Path.of("").toAbsolutePath(); dir != null; dir = dir.getParent()) {
            Path file = dir.resolve("compat/scenarios/" + name + ".json");
            if (Files.isRegularFile(file)) {
                return file;
            }
        }
        throw new IllegalStateException("scenario " + name + " not found");
    }
}
