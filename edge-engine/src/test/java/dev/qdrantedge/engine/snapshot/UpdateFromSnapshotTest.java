package dev.qdrantedge.engine.snapshot;

import static dev.qdrantedge.engine.snapshot.SnapshotTestSupport.records;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.qdrantedge.engine.shard.EdgeShard;
import dev.qdrantedge.engine.shard.Record;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@link EdgeShard#updateFromSnapshot}: full replacement and partial merge, on an open shard. */
class UpdateFromSnapshotTest {

    @TempDir
    Path temp;

    @Test
    void aFullSnapshotReplacesTheShardAndTheShardStaysUsable() {
        Path shard = SnapshotTestSupport.javaShard(temp.resolve("a"), 1, 100, 1);
        Path other = SnapshotTestSupport.javaShard(temp.resolve("b"), 500, 60, 2);
        Path archive = temp.resolve("b.snapshot");
        try (EdgeShard b = EdgeShard.load(other)) {
            b.createSnapshot(archive);
        }
        List<Record> expected = records(other);

        try (EdgeShard a = EdgeShard.load(shard)) {
            a.updateFromSnapshot(archive);
            assertThat(records(a)).isEqualTo(expected);
            SnapshotTestSupport.upsert(a, 1000, 5, 9);
            assertThat(a.count()).isEqualTo(65);
        }
        assertThat(records(shard)).hasSize(65);
        assertThat(shard.resolve(ShardSwap.WORK_DIR)).doesNotExist();
    }

    @Test
    void aPartialSnapshotBringsTheShardToTheServersState() throws IOException {
        Path shard = SnapshotTestSupport.javaShard(temp.resolve("a"), 1, 100, 1);
        Path server = temp.resolve("server");
        FixtureCopies.copy(shard, server);
        Files.deleteIfExists(server.resolve(".edge-jvm.lock"));
        try (EdgeShard s = EdgeShard.load(server)) {
            SnapshotTestSupport.upsert(s, 90, 30, 5); // changes 90..100, adds 101..119
            SnapshotTestSupport.delete(s, 3, 4, 5);
        }
        SnapshotManifest mine;
        try (EdgeShard a = EdgeShard.load(shard)) {
            mine = a.snapshotManifest();
        }
        Path archive = temp.resolve("partial.snapshot");
        ShardSnapshotWriter.writePartial(server, mine, archive);
        assertThat(SnapshotTestSupport.entryNames(archive)).anyMatch(n -> n.endsWith("/segment_manifest.json"));

        try (EdgeShard a = EdgeShard.load(shard)) {
            a.updateFromSnapshot(archive);
            assertThat(records(a)).isEqualTo(records(server));
            assertThat(a.snapshotManifest()).isEqualTo(ShardManifests.of(server));
        }
        assertThat(records(shard)).isEqualTo(records(server));
    }

    @Test
    void anUpdateInterruptedAfterItsCommitIsCompletedByTheNextOpenForWriting() {
        Path shard = SnapshotTestSupport.javaShard(temp.resolve("a"), 1, 50, 1);
        Path other = SnapshotTestSupport.javaShard(temp.resolve("b"), 700, 20, 2);
        Path archive = temp.resolve("b.snapshot");
        try (EdgeShard b = EdgeShard.load(other)) {
            b.createSnapshot(archive);
        }
        List<Record> expected = records(other);
        ShardSwap.stepListener = step -> {
            if (step.equals("moved-out:segments")) {
                throw new IllegalStateException("simulated crash");
            }
        };
        try (EdgeShard a = EdgeShard.load(shard)) {
            assertThatThrownBy(() -> a.updateFromSnapshot(archive)).hasRootCauseMessage("simulated crash");
            assertThatThrownBy(a::count).hasMessageContaining("closed");
        } finally {
            ShardSwap.stepListener = step -> { };
        }
        assertThat(shard.resolve("segments")).doesNotExist();
        assertThatThrownBy(() -> EdgeShard.openReadOnly(shard)).hasMessageContaining("snapshot update");
        try (EdgeShard a = EdgeShard.load(shard)) {
            assertThat(records(a)).isEqualTo(expected);
        }
        assertThat(shard.resolve(ShardSwap.WORK_DIR)).doesNotExist();
    }

    @Test
    void anUpdateRefusedBeforeItsCommitLeavesTheShardAsItWas() {
        Path shard = SnapshotTestSupport.javaShard(temp.resolve("a"), 1, 50, 1);
        Path other = SnapshotTestSupport.javaShard(temp.resolve("b"), 700, 20, 2);
        Path archive = temp.resolve("b.snapshot");
        try (EdgeShard b = EdgeShard.load(other)) {
            b.createSnapshot(archive);
        }
        List<Record> before = records(shard);
        ShardSwap.stepListener = step -> {
            if (step.equals("verified")) {
                throw new IllegalStateException("simulated failure");
            }
        };
        try (EdgeShard a = EdgeShard.load(shard)) {
            assertThatThrownBy(() -> a.updateFromSnapshot(archive)).hasMessage("simulated failure");
            assertThat(records(a)).isEqualTo(before);
            assertThat(shard.resolve(ShardSwap.WORK_DIR)).doesNotExist();
        } finally {
            ShardSwap.stepListener = step -> { };
        }
    }

    @Test
    void unpackingIntoAnExistingEmptyDirectoryWorksAndIntoAFullOneIsRefused() throws IOException {
        Path other = SnapshotTestSupport.javaShard(temp.resolve("b"), 700, 20, 2);
        Path archive = temp.resolve("b.snapshot");
        try (EdgeShard b = EdgeShard.load(other)) {
            b.createSnapshot(archive);
        }
        Path empty = Files.createDirectory(temp.resolve("empty"));
        EdgeShard.unpackSnapshot(archive, empty);
        assertThat(records(empty)).isEqualTo(records(other));
        assertThatThrownBy(() -> EdgeShard.unpackSnapshot(archive, empty)).isInstanceOf(SnapshotException.class)
                .hasMessageContaining("not an empty directory");
    }

    @Test
    void readersSeeTheOldOrTheNewStateNeverAMix() throws Exception {
        Path shard = SnapshotTestSupport.javaShard(temp.resolve("a"), 1, 300, 1);
        Path other = SnapshotTestSupport.javaShard(temp.resolve("b"), 1000, 200, 2);
        Path archive = temp.resolve("b.snapshot");
        try (EdgeShard b = EdgeShard.load(other)) {
            b.createSnapshot(archive);
        }
        List<Record> before = records(shard);
        List<Record> after = records(other);
        try (EdgeShard a = EdgeShard.load(shard)) {
            AtomicBoolean stop = new AtomicBoolean();
            List<Throwable> failures = new CopyOnWriteArrayList<>();
            AtomicInteger reads = new AtomicInteger();
            Thread reader = new Thread(() -> {
                while (!stop.get()) {
                    try {
                        List<Record> page = a.scroll(null, 1000, true, true).points();
                        if (!page.equals(before) && !page.equals(after)) {
                            failures.add(new AssertionError("a read saw neither state: " + page.size() + " points"));
                        }
                        reads.incrementAndGet();
                    } catch (Throwable t) {
                        failures.add(t);
                    }
                }
            });
            reader.start();
            while (reads.get() < 3) {
                Thread.onSpinWait();
            }
            a.updateFromSnapshot(archive);
            int seen = reads.get();
            while (reads.get() < seen + 3) {
                Thread.onSpinWait();
            }
            stop.set(true);
            reader.join();
            assertThat(failures).isEmpty();
            assertThat(records(a)).isEqualTo(after);
        }
    }
}
