package dev.qdrantedge.engine.snapshot;

import static org.assertj.core.api.Assertions.assertThat;

import dev.qdrantedge.engine.shard.EdgeShard;
import dev.qdrantedge.engine.shard.Record;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Kills (SIGKILL) a process in the middle of {@link EdgeShard#updateFromSnapshot} at many moments: half at
 * random times within the update, half at a step of it reported by the process (archive unpacked, next state
 * staged, checked and forced to disk, commit marker written, each rename of the switch, marker removed).
 * Every time, the shard opened again afterwards is either entirely the old one or entirely the new one, and
 * loads; the work area is gone.
 *
 * <p>The partial snapshot changes the shard's first segment, drops its second and brings a new one.
 */
class UpdateCrashTest {

    private static final int KILLS = 32;
    private static final List<String> STEPS = List.of("unpacked", "staged", "verified", "staged-synced", "committed",
            "moved-out:segments", "moved-in:segments", "moved-out:wal", "moved-in:wal", "marker-removed");

    @TempDir
    Path temp;

    private Path old;
    private Path archive;
    private List<Record> before;
    private List<Record> after;

    @Test
    void aKilledUpdateLeavesTheOldOrTheNewShardNeverAMix() throws Exception {
        old = temp.resolve("old");
        Path server = temp.resolve("server");
        SnapshotTestSupport.javaShard(old, 1, 150, 1);
        addSegmentOf(SnapshotTestSupport.javaShard(temp.resolve("d"), 5000, 40, 2), old);
        FixtureCopies.copySparse(old, server);
        deleteSegmentsOf(temp.resolve("d"), server);
        addSegmentOf(SnapshotTestSupport.javaShard(temp.resolve("c"), 9000, 30, 3), server);
        try (EdgeShard s = EdgeShard.load(server)) {
            SnapshotTestSupport.upsert(s, 100, 60, 4);
            SnapshotTestSupport.delete(s, 1, 2, 3, 4, 5);
        }
        before = SnapshotTestSupport.records(old);
        after = SnapshotTestSupport.records(server);
        assertThat(before).isNotEqualTo(after);
        archive = temp.resolve("partial.snapshot");
        ShardSnapshotWriter.writePartial(server, ShardManifests.of(old), archive);

        // a run without a kill measures how long an update takes
        long duration = run(0, null, 0).durationNanos;

        Random random = new Random(20240611);
        ExecutorService pool = Executors.newFixedThreadPool(2);
        List<Future<Result>> runs = new ArrayList<>();
        for (int i = 1; i <= KILLS; i++) {
            String killAt = i % 2 == 0 ? "time" : STEPS.get(random.nextInt(STEPS.size()));
            long delay = killAt.equals("time") ? (long) (random.nextDouble() * duration * 1.2)
                    : random.nextBoolean() ? random.nextInt(1_000_000) : 0;
            int number = i;
            runs.add(pool.submit(() -> run(number, killAt, delay)));
        }
        Map<String, Integer> outcomes = new TreeMap<>();
        try {
            for (Future<Result> f : runs) {
                outcomes.merge(f.get(5, TimeUnit.MINUTES).outcome, 1, Integer::sum);
            }
        } finally {
            pool.shutdownNow();
        }
        System.err.println("[crash] " + KILLS + " processes killed during an update; shard found " + outcomes);
        assertThat(outcomes.values().stream().mapToInt(Integer::intValue).sum()).isEqualTo(KILLS);
        assertThat(outcomes).containsKeys("old", "new").doesNotContainKey("MIXED");
    }

    private record Result(String outcome, long durationNanos) {
    }

    /** One process updating a fresh copy of the old shard, killed as asked (not at all for {@code null}). */
    private Result run(int number, String killAt, long delayNanos) throws Exception {
        Path shard = temp.resolve("run-" + number);
        FixtureCopies.copySparse(old, shard);
        Files.deleteIfExists(shard.resolve(".edge-jvm.lock"));
        Process child = start(shard);
        BufferedReader lines = new BufferedReader(new InputStreamReader(child.getInputStream(), StandardCharsets.UTF_8));
        try {
            expectLine(lines, "READY", child);
            OutputStream control = child.getOutputStream();
            long started = System.nanoTime();
            control.write("GO\n".getBytes(StandardCharsets.UTF_8));
            control.flush();
            String reached = "start";
            long duration = 0;
            if (killAt == null) {
                String line;
                while ((line = lines.readLine()) != null && !line.equals("DONE")) {
                    reached = line;
                }
                duration = System.nanoTime() - started;
            } else if (killAt.equals("time")) {
                Thread.sleep(delayNanos / 1_000_000, (int) (delayNanos % 1_000_000));
                child.destroyForcibly();
                reached = "after " + delayNanos / 1_000_000 + " ms";
            } else {
                String line;
                while ((line = lines.readLine()) != null && !line.equals("STEP " + killAt) && !line.equals("DONE")) {
                    reached = line;
                }
                Thread.sleep(0, (int) delayNanos); // the child pauses a few ms at each step
                child.destroyForcibly();
                reached = killAt;
            }
            assertThat(child.waitFor(60, TimeUnit.SECONDS)).isTrue();

            List<Record> found;
            try (EdgeShard reopened = EdgeShard.load(shard)) {
                found = SnapshotTestSupport.records(reopened);
            }
            String outcome = found.equals(before) ? "old" : found.equals(after) ? "new" : "MIXED";
            assertThat(outcome).as("run %d, killed at %s", number, reached).isNotEqualTo("MIXED");
            assertThat(shard.resolve(ShardSwap.WORK_DIR)).as("run %d: work area removed", number).doesNotExist();
            assertThat(SnapshotTestSupport.records(shard)).as("run %d reads the same again", number).isEqualTo(found);
            if (killAt == null) {
                assertThat(outcome).isEqualTo("new");
            }
            return new Result(outcome, duration);
        } finally {
            child.destroyForcibly();
            FixtureCopies.deleteTree(shard);
        }
    }

    private Process start(Path shard) throws IOException {
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.add("-XX:TieredStopAtLevel=1");
        command.add("-XX:+UseSerialGC");
        command.add("-Xshare:auto");
        command.add("-cp");
        command.add(System.getProperty("java.class.path"));
        command.add(UpdateCrashChild.class.getName());
        command.add(shard.toString());
        command.add(archive.toString());
        return new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.INHERIT).start();
    }

    private static void expectLine(BufferedReader lines, String expected, Process child) throws IOException {
        String line = lines.readLine();
        if (!expected.equals(line)) {
            child.destroyForcibly();
            throw new AssertionError("child said " + line + " instead of " + expected);
        }
    }

    private static void addSegmentOf(Path donor, Path shard) throws IOException {
        for (Path segment : SnapshotTestSupport.list(donor.resolve("segments"))) {
            FixtureCopies.copySparse(segment, shard.resolve("segments").resolve(segment.getFileName().toString()));
        }
    }

    private static void deleteSegmentsOf(Path donor, Path shard) throws IOException {
        for (Path segment : SnapshotTestSupport.list(donor.resolve("segments"))) {
            FixtureCopies.deleteTree(shard.resolve("segments").resolve(segment.getFileName().toString()));
        }
    }
}
