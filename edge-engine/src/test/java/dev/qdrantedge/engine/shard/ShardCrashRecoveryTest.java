package dev.qdrantedge.engine.shard;

import static org.assertj.core.api.Assertions.assertThat;

import dev.qdrantedge.engine.compat.LivePoints;
import dev.qdrantedge.engine.compat.ReferenceEngine;
import dev.qdrantedge.engine.config.EdgeConfig;
import dev.qdrantedge.engine.config.VectorParams;
import dev.qdrantedge.engine.idtracker.PointId;
import dev.qdrantedge.engine.operation.PointStruct;
import dev.qdrantedge.engine.operation.SetPayload;
import dev.qdrantedge.engine.operation.UpsertPoints;
import dev.qdrantedge.engine.segment.Segment;
import dev.qdrantedge.engine.segment.SegmentDirectories;
import dev.qdrantedge.engine.vectors.DenseVector;
import dev.qdrantedge.engine.vectors.Distance;
import dev.qdrantedge.engine.vectors.MultiDenseVector;
import dev.qdrantedge.engine.vectors.VectorDatatype;
import dev.qdrantedge.engine.vectors.VectorValue;
import dev.qdrantedge.engine.wal.WalReader;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.opentest4j.TestAbortedException;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

/**
 * What a crash leaves, made deterministic: the shard directory is copied while the shard is open
 * ({@link CrashImage}), then the copy is damaged the way a crash can damage it and loaded.
 */
class ShardCrashRecoveryTest {

    private static final JsonMapper JSON = JsonMapper.builder().build();

    @TempDir
    Path temp;

    /** How the last WAL entry was torn: the ways a write cut short by a crash can end. */
    enum Tear {
        /** The end of the entry (its CRC and the last data bytes) never reached the file. */
        TAIL_MISSING,
        /** The data is there but wrong (a block of the write landed, a neighbouring one did not). */
        DATA_GARBLED,
        /** Only the length field was written. */
        LENGTH_ONLY
    }

    @ParameterizedTest
    @EnumSource(Tear.class)
    void aTornLastWalEntryIsDroppedAndOverwrittenOnLoad(Tear tear) throws IOException {
        Path dir = temp.resolve("shard");
        Path crashed;
        long lastOp;
        try (EdgeShard shard = EdgeShard.create(dir, EdgeConfig.of(new VectorParams(4, Distance.DOT)))) {
            shard.update(upsert(1, 2));
            shard.flush();
            shard.update(upsert(3));
            lastOp = shard.update(new UpsertPoints(List.of(point(4, "{\"last\":true}"), point(1, "{\"last\":true}"))));
            crashed = CrashImage.of(dir, temp.resolve("crashed"));
        }
        tearLastEntry(crashed.resolve(EdgeShard.WAL_DIR), tear);

        try (EdgeShard readOnly = EdgeShard.openReadOnly(crashed)) {
            assertThat(ids(readOnly)).containsExactly(PointId.of(1), PointId.of(2), PointId.of(3));
        }
        try (EdgeShard shard = EdgeShard.load(crashed)) {
            assertThat(ids(shard)).as("the torn operation is gone, whole")
                    .containsExactly(PointId.of(1), PointId.of(2), PointId.of(3));
            assertThat(payloadOf(shard, 1)).isEqualTo(JSON.readTree("{\"n\":1}"));
            assertThat(shard.update(upsert(5))).as("the next operation takes the torn entry's place").isEqualTo(lastOp);
        }
        try (EdgeShard shard = EdgeShard.load(crashed)) {
            assertThat(ids(shard)).containsExactly(PointId.of(1), PointId.of(2), PointId.of(3), PointId.of(5));
        }
        try (WalReader wal = WalReader.open(crashed.resolve(EdgeShard.WAL_DIR))) {
            assertThat(wal.lastIndex()).isEqualTo(lastOp);
        }
    }

    @Test
    void walEntriesTheSegmentsLackAreReplayedIntoThemOnLoad() {
        Path dir = temp.resolve("shard");
        Path crashed;
        long lastOp;
        try (EdgeShard shard = EdgeShard.create(dir, EdgeConfig.of(new VectorParams(4, Distance.DOT)))) {
            shard.update(upsert(1, 2));
            shard.flush();
            shard.update(upsert(3));
            shard.update(new SetPayload((ObjectNode) JSON.readTree("{\"set\":1}"),
                    Optional.of(List.of(PointId.of(1))), Optional.empty(), Optional.empty()));
            lastOp = shard.update(upsert(4));
            crashed = CrashImage.of(dir, temp.resolve("crashed"));
        }
        assertThat(segmentIds(crashed)).as("the crash left only the flushed points in the segment files")
                .containsExactly(PointId.of(1), PointId.of(2));

        try (EdgeShard shard = EdgeShard.load(crashed)) {
            assertThat(ids(shard)).containsExactly(PointId.of(1), PointId.of(2), PointId.of(3), PointId.of(4));
            shard.flush();
        }
        List<Segment> segments = LivePoints.openSegments(crashed);
        try {
            Map<PointId, LivePoints.Location> stored = LivePoints.of(segments);
            assertThat(stored.keySet()).as("the replayed points are in the segment files now")
                    .containsExactly(PointId.of(1), PointId.of(2), PointId.of(3), PointId.of(4));
            LivePoints.Location one = stored.get(PointId.of(1));
            assertThat(one.segment().payload(one.internalId())).isEqualTo(JSON.readTree("{\"n\":1,\"set\":1}"));
        } finally {
            segments.forEach(Segment::close);
        }
        try (WalReader wal = WalReader.open(crashed.resolve(EdgeShard.WAL_DIR))) {
            assertThat(wal.firstIndex()).as("the replayed entries are acknowledged").isEqualTo(lastOp);
        }
    }

    /**
     * A WAL entry replayed after a crash reads a point whose multivector a later, unflushed operation moved
     * to new inner-vector slots: the slots it points at must be readable, not beyond the stored count.
     */
    @Test
    void aMultivectorMovedByAnUnflushedUpdateReadsBackAfterACrash() {
        Path dir = temp.resolve("shard");
        EdgeConfig config = new EdgeConfig(Map.of("m",
                new VectorParams(2, Distance.DOT, VectorDatatype.FLOAT32, true, null)));
        Path crashed;
        try (EdgeShard shard = EdgeShard.create(dir, config)) {
            shard.update(new UpsertPoints(List.of(multi(1, 1), multi(2, 1))));
            shard.update(new UpsertPoints(List.of(multi(2, 1)))); // replay starts here, leaving point 1 on disk
            shard.flush();
            shard.update(new SetPayload((ObjectNode) JSON.readTree("{\"set\":1}"),
                    Optional.of(List.of(PointId.of(1))), Optional.empty(), Optional.empty()));
            shard.update(new UpsertPoints(List.of(multi(1, 3))));
            crashed = CrashImage.of(dir, temp.resolve("crashed"));
        }
        try (EdgeShard readOnly = EdgeShard.openReadOnly(crashed)) {
            Record one = readOnly.retrieve(List.of(PointId.of(1)), true, true).get(0);
            assertThat(((MultiDenseVector) one.vectors().get("m")).vectors()).hasNumberOfRows(3);
        }
        try (EdgeShard shard = EdgeShard.load(crashed)) {
            Record one = shard.retrieve(List.of(PointId.of(1)), true, true).get(0);
            assertThat(((MultiDenseVector) one.vectors().get("m")).vectors()).hasNumberOfRows(3);
            assertThat(one.payload()).isEmpty();
        }
    }

    /**
     * A flush cut short after the id tracker's mappings but before its versions (the last half of a version
     * torn off) and before the vector count: the point has a mapping without a version and the vector storage
     * is shorter than the tracker. It is not live in the segment; the WAL brings it back, and the repaired
     * shard loads the same in the reference engine.
     */
    @Test
    void aPointWhoseFlushWasCutShortIsRestoredFromTheWal() throws IOException {
        Path dir = temp.resolve("shard");
        try (EdgeShard shard = EdgeShard.create(dir, EdgeConfig.of(new VectorParams(4, Distance.DOT)))) {
            shard.update(upsert(1));
            shard.update(upsert(2));
            shard.flush();
        }
        Path segment = onlySegment(dir);
        truncate(segment.resolve("mutable_id_tracker.versions"), Long.BYTES + 4);
        ByteBuffer count = ByteBuffer.allocate(Long.BYTES).order(ByteOrder.LITTLE_ENDIAN).putLong(0, 1);
        Files.write(segment.resolve("vector_storage/vectors/status.dat"), count.array());
        assertThat(segmentIds(dir)).as("point 2 has a mapping but no version").containsExactly(PointId.of(1));

        try (EdgeShard readOnly = EdgeShard.openReadOnly(dir)) {
            assertThat(ids(readOnly)).containsExactly(PointId.of(1), PointId.of(2));
        }
        try (EdgeShard shard = EdgeShard.load(dir)) {
            assertThat(ids(shard)).containsExactly(PointId.of(1), PointId.of(2));
            shard.update(upsert(3));
        }
        List<Record> records;
        try (EdgeShard shard = EdgeShard.load(dir)) {
            records = ShardReadCompatTest.scrollAll(shard);
            assertThat(records).extracting(Record::id).containsExactly(PointId.of(1), PointId.of(2), PointId.of(3));
            assertThat(((DenseVector) records.get(1).vectors().get("")).values()).containsExactly(2, 1, 2, 3);
            assertThat(records.get(1).payload()).isEqualTo(JSON.readTree("{\"n\":2}"));
        }
        assertThat(segmentIds(dir)).containsExactly(PointId.of(1), PointId.of(2), PointId.of(3));
        ReferenceEngine engine;
        try {
            engine = ReferenceEngine.require();
        } catch (TestAbortedException e) {
            return; // the Java checks above stand on their own
        }
        try (EdgeShard shard = EdgeShard.openReadOnly(dir)) {
            ShardWriteCompatTest.assertSamePoints(shard, engine.inspect(dir, temp.resolve("answers")),
                    "the repaired shard in the reference engine");
        }
    }

    private static void truncate(Path file, long size) throws IOException {
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.WRITE)) {
            channel.truncate(size);
        }
    }

    private static Path onlySegment(Path shardDir) {
        List<Path> dirs = SegmentDirectories.scan(shardDir.resolve(EdgeShard.SEGMENTS_DIR));
        assertThat(dirs).hasSize(1);
        return dirs.get(0);
    }

    // ---------------------------------------------------------------------------------------------

    /** Damages the last entry of the WAL's open segment as {@code tear} says. */
    static void tearLastEntry(Path walDir, Tear tear) throws IOException {
        Path segment;
        try (Stream<Path> files = Files.list(walDir)) {
            segment = files.filter(f -> f.getFileName().toString().startsWith("open-"))
                    .sorted().findFirst().orElseThrow();
        }
        try (FileChannel channel = FileChannel.open(segment, StandardOpenOption.READ, StandardOpenOption.WRITE)) {
            long last = -1;
            long lastLength = 0;
            long offset = 8;
            while (true) {
                ByteBuffer header = ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN);
                channel.read(header, offset);
                long length = header.getLong(0);
                if (length == 0) {
                    break;
                }
                last = offset;
                lastLength = length;
                offset += 8 + length + ((4 - length) & 7) + 4;
            }
            assertThat(last).as("the segment holds an entry").isPositive();
            long end = last + 8 + lastLength + ((4 - lastLength) & 7) + 4;
            switch (tear) {
                case TAIL_MISSING -> channel.write(ByteBuffer.allocate(12), end - 12);
                case DATA_GARBLED -> {
                    ByteBuffer one = ByteBuffer.allocate(1);
                    channel.read(one, last + 8 + lastLength / 2);
                    one.put(0, (byte) ~one.get(0));
                    one.rewind();
                    channel.write(one, last + 8 + lastLength / 2);
                }
                case LENGTH_ONLY -> channel.write(ByteBuffer.allocate((int) (end - last - 8)), last + 8);
                default -> throw new IllegalArgumentException(tear.toString());
            }
        }
    }

    private static UpsertPoints upsert(int... ids) {
        return new UpsertPoints(java.util.Arrays.stream(ids).mapToObj(id -> point(id, "{\"n\":" + id + "}")).toList());
    }

    private static PointStruct point(int id, String payload) {
        Map<String, VectorValue> vectors = Map.of("", new DenseVector(new float[] {id, 1, 2, 3}));
        return new PointStruct(PointId.of(id), vectors, Optional.of((ObjectNode) JSON.readTree(payload)));
    }

    private static PointStruct multi(int id, int rows) {
        float[][] vectors = new float[rows][];
        for (int r = 0; r < rows; r++) {
            vectors[r] = new float[] {id, r};
        }
        return new PointStruct(PointId.of(id), Map.of("m", new MultiDenseVector(vectors)), Optional.empty());
    }

    private static List<PointId> ids(EdgeShard shard) {
        return ShardReadCompatTest.scrollAll(shard).stream().map(Record::id).toList();
    }

    private static ObjectNode payloadOf(EdgeShard shard, int id) {
        return shard.retrieve(List.of(PointId.of(id)), true, false).get(0).payload();
    }

    private static List<PointId> segmentIds(Path shardDir) {
        List<Segment> segments = LivePoints.openSegments(shardDir);
        try {
            return List.copyOf(LivePoints.of(segments).keySet());
        } finally {
            segments.forEach(Segment::close);
        }
    }
}
