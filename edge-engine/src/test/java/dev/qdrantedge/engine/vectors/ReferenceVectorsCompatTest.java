package dev.qdrantedge.engine.vectors;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.qdrantedge.engine.EdgeFormatException;
import dev.qdrantedge.engine.compat.LivePoints;
import dev.qdrantedge.engine.compat.ReferenceAnswers;
import dev.qdrantedge.engine.compat.ReferenceEngine;
import dev.qdrantedge.engine.compat.ReferenceShard;
import dev.qdrantedge.engine.idtracker.PointId;
import dev.qdrantedge.engine.segment.Segment;
import dev.qdrantedge.engine.segment.VectorDataConfig;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import tools.jackson.databind.JsonNode;

/** Vectors read from shards written by the reference engine equal, bit for bit, what it returns. */
class ReferenceVectorsCompatTest {

    @TempDir
    Path temp;

    @ParameterizedTest
    @ValueSource(strings = {"basic", "named-all-kinds", "optimized", "vectors-optimized"})
    void everyLivePointsDenseVectorsAreBitExact(String scenario) {
        ReferenceShard reference = ReferenceEngine.require().build(scenario);
        ReferenceAnswers answers = reference.answers();

        try (ShardVectors shard = ShardVectors.open(reference.shardDir())) {
            assertThat(shard.locations().keySet()).containsExactlyInAnyOrderElementsOf(answers.pointIds());
            Set<String> denseNames = shard.segments().get(0).state().vectorData().keySet();
            int compared = 0;
            for (JsonNode point : answers.points()) {
                PointId id = ReferenceAnswers.toPointId(point.get("id"));
                JsonNode vectors = point.get("vector");
                for (String name : denseNames) {
                    JsonNode expected = vectors == null || vectors.isNull() ? null : vectors.get(name);
                    VectorValue actual = shard.vector(id, name);
                    String what = "point " + id + " vector '" + name + "' in segment "
                            + shard.locations().get(id).segment().id();
                    if (expected == null || expected.isNull()) {
                        assertThat(actual).as(what).isNull();
                    } else {
                        assertBitExact(what, expected, actual);
                        compared++;
                    }
                }
            }
            assertThat(compared).isPositive();
        }
    }

    @Test
    void optimizedScenarioCoversEveryLayoutDatatypeAndDeletedFlags() {
        ReferenceShard reference = ReferenceEngine.require().build("vectors-optimized");

        Set<String> kinds = new HashSet<>();
        int deletedSingleFile = 0;
        int deletedMulti = 0;
        try (ShardVectors shard = ShardVectors.open(reference.shardDir())) {
            for (Segment segment : shard.segments()) {
                for (Map.Entry<String, VectorDataConfig> e : segment.state().vectorData().entrySet()) {
                    VectorDataConfig c = e.getValue();
                    kinds.add(c.storageType().jsonName() + (c.multivector() ? "/multi/" : "/") + c.datatype().jsonName());
                }
            }
            for (LivePoints.Location at : shard.locations().values()) {
                if (!at.segment().appendable() && shard.storage(at.segment(), "ram").get(at.internalId()) == null) {
                    deletedSingleFile++;
                }
                if (!at.segment().appendable()
                        && shard.storage(at.segment(), "multidisk").get(at.internalId()) == null) {
                    deletedMulti++;
                }
            }
            assertThat(shard.storage(immutable(shard), "ram")).isInstanceOf(SingleFileDenseVectorStorage.class);
            assertThat(shard.storage(immutable(shard), "multidisk")).isInstanceOf(MultiDenseVectorStorage.class);
        }
        assertThat(kinds).contains(
                "Mmap/float32", "Mmap/float16", "Mmap/uint8",
                "InRamMmap/float32", "InRamMmap/float16", "InRamMmap/uint8",
                "Mmap/multi/float32", "InRamMmap/multi/float32", "InRamMmap/multi/float16",
                "ChunkedMmap/float32", "ChunkedMmap/float16", "ChunkedMmap/uint8",
                "InRamChunkedMmap/float32", "InRamChunkedMmap/float16", "InRamChunkedMmap/uint8",
                "ChunkedMmap/multi/float32", "InRamChunkedMmap/multi/float32");
        assertThat(deletedSingleFile).as("live points whose vector is flagged in deleted.dat").isPositive();
        assertThat(deletedMulti).as("live points whose multivector is flagged in an immutable segment").isPositive();
    }

    @Test
    void aSegmentWhoseVectorChunkFileIsAbsentFailsWithAClearErrorNamingTheFile() throws IOException {
        Path shardDir = ReferenceEngine.require().build("basic").copyTo(temp.resolve("shard"));
        Segment segment = onlySegment(shardDir);
        Path chunk = segment.directory().resolve("vector_storage/vectors/chunk_0.mmap");
        Files.delete(chunk);

        VectorDataConfig config = segment.state().vectorData().get("");
        assertThatThrownBy(() -> VectorStorages.open(segment.directory(), "", config))
                .isInstanceOf(EdgeFormatException.class)
                .hasMessageContaining(chunk.toString())
                .hasMessageContaining("chunk file is missing")
                .extracting(e -> ((EdgeFormatException) e).file()).isEqualTo(chunk);
    }

    @Test
    void aTruncatedMatrixFileOfAnOptimizedSegmentIsAnErrorNamingIt() {
        Path shardDir = ReferenceEngine.require().build("vectors-optimized").copyTo(temp.resolve("shard"));
        Segment segment = LivePoints.openSegments(shardDir).stream().filter(s -> !s.appendable()).findFirst().orElseThrow();
        Path matrix = segment.directory().resolve("vector_storage-half/matrix.dat");
        StorageFixtures.truncate(matrix, sizeOf(matrix) - 1);

        VectorDataConfig config = segment.state().vectorData().get("half");
        assertThatThrownBy(() -> VectorStorages.open(segment.directory(), "half", config))
                .isInstanceOf(EdgeFormatException.class)
                .hasMessageContaining(matrix.toString())
                .hasMessageContaining("truncated")
                .extracting(e -> ((EdgeFormatException) e).file()).isEqualTo(matrix);
    }

    @Test
    void aMultivectorOffsetPointingBeyondTheInnerVectorsIsAnErrorNamingTheOffsetsFile() {
        Path shardDir = ReferenceEngine.require().build("named-all-kinds").copyTo(temp.resolve("shard"));
        Segment segment = onlySegment(shardDir);
        Path storageDir = segment.directory().resolve("vector_storage-colbert");
        // pretend the inner-vector store holds a single vector: every later point's entry points beyond it
        StorageFixtures.write(storageDir.resolve("vectors/status.dat"), StorageFixtures.longs(1));

        VectorDataConfig config = segment.state().vectorData().get("colbert");
        try (VectorStorage storage = VectorStorages.open(segment.directory(), "colbert", config)) {
            int last = storage.slotCount() - 1;
            Path offsetsChunk = storageDir.resolve("offsets/chunk_0.mmap");
            assertThatThrownBy(() -> storage.get(last))
                    .isInstanceOf(EdgeFormatException.class)
                    .hasMessageContaining(offsetsChunk.toString())
                    .hasMessageContaining("beyond the 1 stored inner vectors")
                    .extracting(e -> ((EdgeFormatException) e).file()).isEqualTo(offsetsChunk);
        }
    }

    private static void assertBitExact(String what, JsonNode expected, VectorValue actual) {
        assertThat(actual).as(what).isNotNull();
        if (expected.size() > 0 && expected.get(0).isArray()) {
            assertThat(actual).as(what).isInstanceOf(MultiDenseVector.class);
            float[][] rows = ((MultiDenseVector) actual).vectors();
            assertThat(rows.length).as(what + " rows").isEqualTo(expected.size());
            for (int r = 0; r < rows.length; r++) {
                assertSameBits(what + " row " + r, bits(rows[r]), bits(expected.get(r)));
            }
        } else {
            assertThat(actual).as(what).isInstanceOf(DenseVector.class);
            assertSameBits(what, bits(((DenseVector) actual).values()), bits(expected));
        }
    }

    /** A cheap comparison first: large vectors make AssertJ's element-wise diff slow. */
    private static void assertSameBits(String what, int[] actual, int[] expected) {
        if (!Arrays.equals(actual, expected)) {
            assertThat(actual).as(what).containsExactly(expected);
        }
    }

    private static int[] bits(float[] values) {
        int[] out = new int[values.length];
        for (int i = 0; i < values.length; i++) {
            out[i] = Float.floatToIntBits(values[i]);
        }
        return out;
    }

    private static int[] bits(JsonNode values) {
        int[] out = new int[values.size()];
        for (int i = 0; i < out.length; i++) {
            out[i] = Float.floatToIntBits((float) values.get(i).asDouble());
        }
        return out;
    }

    private static Segment immutable(ShardVectors shard) {
        return shard.segments().stream().filter(s -> !s.appendable()).findFirst().orElseThrow();
    }

    private static Segment onlySegment(Path shardDir) {
        List<Segment> all = LivePoints.openSegments(shardDir);
        assertThat(all).hasSize(1);
        return all.get(0);
    }

    private static long sizeOf(Path file) {
        try {
            return Files.size(file);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
