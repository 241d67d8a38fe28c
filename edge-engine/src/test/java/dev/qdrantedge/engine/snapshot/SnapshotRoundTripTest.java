package dev.qdrantedge.engine.snapshot;

import static dev.qdrantedge.engine.snapshot.SnapshotTestSupport.records;
import static org.assertj.core.api.Assertions.assertThat;

import dev.qdrantedge.engine.shard.EdgeShard;
import dev.qdrantedge.engine.shard.Record;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Snapshots written here unpack to the same points, in every layout a server produces. */
class SnapshotRoundTripTest {

    @TempDir
    Path temp;

    private Path shard;
    private List<Record> expected;

    @BeforeEach
    void shard() {
        shard = SnapshotTestSupport.javaShard(temp.resolve("shard"), 1, 120, 3);
        try (EdgeShard s = EdgeShard.load(shard)) {
            SnapshotTestSupport.delete(s, 7, 8);
        }
        expected = records(shard);
        assertThat(expected).hasSize(118);
    }

    @Test
    void createdSnapshotHasTheServerLayoutAndUnpacksToTheSamePoints() throws IOException {
        Path archive = temp.resolve("shard.snapshot");
        try (EdgeShard s = EdgeShard.load(shard)) {
            s.createSnapshot(archive);
        }

        List<String> names = SnapshotTestSupport.entryNames(archive);
        String segment = SnapshotTestSupport.list(shard.resolve("segments")).get(0).getFileName().toString();
        assertThat(names).contains("segments/" + segment + "/files/segment.json",
                "segments/" + segment + "/files/version.info", "segments/" + segment
                        + "/files/vector_storage-" + SnapshotTestSupport.LONG_VECTOR + "/vectors/chunk_0.mmap",
                "wal/", "replica_state.json", "shard_config.json");
        assertThat(names).noneMatch(n -> n.contains("segment_manifest.json") || n.contains(".edge-jvm.lock")
                || n.contains("edge_config.json"));
        assertThat(names.stream().filter(n -> n.startsWith("wal/closed-"))).hasSize(1);
        assertThat(names.get(names.size() - 1)).isEqualTo("shard_config.json");
        assertThat(Files.size(archive)).as("holes are not stored").isLessThan(4L << 20);

        Path target = temp.resolve("unpacked");
        EdgeShard.unpackSnapshot(archive, target);
        assertThat(records(target)).isEqualTo(expected);
        // the unpacked shard opens for writing and numbers new operations after the stored ones
        try (EdgeShard s = EdgeShard.load(target)) {
            long op = s.update(new dev.qdrantedge.engine.operation.DeletePoints(
                    List.of(dev.qdrantedge.engine.idtracker.PointId.of(1))));
            assertThat(op).isGreaterThan(expected.stream().mapToLong(Record::version).max().orElseThrow());
        }
    }

    @Test
    void aPartialSnapshotBringsAnOlderCopyToThisShardAndNothingIsWrittenForAnEqualOne() throws IOException {
        Path copy = temp.resolve("copy");
        FixtureCopies.copy(shard, copy);
        Path archive = temp.resolve("partial.snapshot");
        try (EdgeShard s = EdgeShard.load(shard); EdgeShard older = EdgeShard.load(copy)) {
            SnapshotTestSupport.upsert(s, 100, 40, 9);   // 100-119 change, 120-139 are new
            SnapshotTestSupport.delete(s, 1, 2);         // not flushed: writing the archive flushes first
            List<Record> current = records(s);

            assertThat(s.createPartialSnapshot(older.snapshotManifest(), archive)).isTrue();
            assertThat(SnapshotTestSupport.entryNames(archive)).anyMatch(n -> n.endsWith("/segment_manifest.json"));
            older.updateFromSnapshot(archive);
            assertThat(records(older)).isEqualTo(current);
            Files.delete(archive);

            assertThat(s.createPartialSnapshot(older.snapshotManifest(), archive)).isFalse();
            assertThat(archive).doesNotExist();
            assertThat(s.createPartialSnapshot(SnapshotManifest.empty(), archive)).isTrue();
            Path target = temp.resolve("from-empty");
            EdgeShard.unpackSnapshot(archive, target);
            assertThat(records(target)).isEqualTo(current);
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"streamed", "streamed-without-files-dir", "streamed-with-rocksdb-backup", "stored"})
    void everyServerLayoutUnpacksToTheSamePoints(String layout) throws IOException {
        Path archive = temp.resolve(layout + ".tar");
        switch (layout) {
            case "streamed" -> SnapshotTestSupport.streamedLayout(shard, archive, true, false);
            case "streamed-without-files-dir" -> SnapshotTestSupport.streamedLayout(shard, archive, false, false);
            case "streamed-with-rocksdb-backup" -> SnapshotTestSupport.streamedLayout(shard, archive, true, true);
            default -> SnapshotTestSupport.storedLayout(shard, archive, temp.resolve("inner"));
        }
        Path target = temp.resolve("unpacked");
        EdgeShard.unpackSnapshot(archive, target);

        assertThat(records(target)).isEqualTo(expected);
        for (Path segment : SnapshotTestSupport.list(target.resolve("segments"))) {
            assertThat(segment.resolve("files")).doesNotExist();
            assertThat(segment.resolve("snapshot")).doesNotExist();
            assertThat(segment.resolve("db_backup")).doesNotExist();
            assertThat(segment.getFileName().toString()).doesNotEndWith(".tar");
        }
        assertThat(SnapshotTestSupport.list(temp)).noneMatch(p -> p.getFileName().toString().startsWith("."));
    }

    @Test
    void gnuTarSparseAndLongNameEntriesAreRead() throws Exception {
        Path layout = temp.resolve("layout");
        Path segments = layout.resolve("segments");
        for (Path segment : SnapshotTestSupport.list(shard.resolve("segments"))) {
            FixtureCopies.copySparse(segment, segments.resolve(segment.getFileName().toString()).resolve("files"));
        }
        FixtureCopies.copySparse(shard.resolve("wal"), layout.resolve("wal"));
        Path archive = temp.resolve("gnu.tar");
        Process tar;
        try {
            tar = new ProcessBuilder("tar", "--format=gnu", "--sparse", "-cf", archive.toString(), "-C",
                    layout.toString(), "segments", "wal").redirectErrorStream(true).start();
        } catch (IOException e) {
            String reason = "GNU tar is not installed; test skipped";
            System.err.println("[snapshot] " + reason);
            org.junit.jupiter.api.Assumptions.assumeTrue(false, reason);
            return;
        }
        String output = new String(tar.getInputStream().readAllBytes());
        assertThat(tar.waitFor()).as("tar failed: %s", output).isZero();
        boolean sparse = false;
        boolean longName = false;
        try (var in = new org.apache.commons.compress.archivers.tar.TarArchiveInputStream(
                Files.newInputStream(archive))) {
            org.apache.commons.compress.archivers.tar.TarArchiveEntry e;
            while ((e = in.getNextEntry()) != null) {
                sparse |= e.isOldGNUSparse();
                longName |= e.getName().length() > 100;
            }
        }
        assertThat(sparse).as("GNU tar wrote old-GNU sparse entries").isTrue();
        assertThat(longName).as("GNU tar wrote long-name entries").isTrue();
        Path target = temp.resolve("unpacked");
        EdgeShard.unpackSnapshot(archive, target);
        assertThat(records(target)).isEqualTo(expected);
    }
}
