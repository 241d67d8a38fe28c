package dev.qdrantedge.engine.shard;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import dev.qdrantedge.engine.compat.ReferenceAnswers;
import dev.qdrantedge.engine.compat.ReferenceEngine;
import dev.qdrantedge.engine.idtracker.PointId;
import dev.qdrantedge.engine.testing.ChildJvm;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.locks.LockSupport;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.opentest4j.TestAbortedException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Crash safety with real process deaths: a child JVM ({@link CrashingWriter}) writes to a shard and is
 * killed with SIGKILL at random moments, many times over the same directory. After every kill the shard
 * must load with every acknowledged write in it, each point as the last acknowledged write left it; the
 * one operation in flight at the kill may be there or not, but whole. Half of the kills are aimed at
 * segment flushes.
 *
 * <p>System properties: {@code crash.kills}, the number of kills (default 50); {@code crash.seed}, the seed of
 * the kill timing; {@code crash.dir}, a directory to keep the shard in (with the children's output in a
 * {@code .log} file beside it) for a look after a failure.
 */
class ShardCrashIT {

    private static final JsonMapper JSON = JsonMapper.builder().build();

    @TempDir
    Path temp;

    @Test
    void acknowledgedWritesSurviveSigkillAtRandomMoments() throws Exception {
        int kills = Integer.getInteger("crash.kills", 50);
        Path dir = debugDir().orElse(temp.resolve("shard"));
        Path log = dir.resolveSibling(dir.getFileName() + ".log");
        Random random = new Random(Long.getLong("crash.seed", 4242L));
        Map<PointId, String> expected = new TreeMap<>();
        int acknowledged = 0;
        int inFlight = 0;
        int duringFlush = 0;
        long started = System.nanoTime();
        for (int kill = 0; kill < kills; kill++) {
            boolean aimAtFlush = kill % 2 == 1;
            ChildJvm child = Child.start(temp, List.of("write", dir.toString(), Long.toString(1000L + kill)));
            child.awaitLine(l -> l.startsWith("READY"), "READY");
            if (aimAtFlush) {
                int flushes = 1 + random.nextInt(2);
                for (int f = 0; f < flushes; f++) {
                    child.awaitLine("FLUSH"::equals, "FLUSH");
                }
                LockSupport.parkNanos(random.nextInt(3_000_000));
            } else {
                Thread.sleep(5 + random.nextInt(120));
            }
            List<String> lines = child.kill();
            if (debugDir().isPresent()) {
                Files.write(log, lines, StandardOpenOption.CREATE, StandardOpenOption.APPEND);
                Files.writeString(log, "KILLED " + (kill + 1) + "\n", StandardOpenOption.APPEND);
            }

            // Replay the child's report: acknowledged operations certainly happened, the last one begun
            // without an acknowledgement may have.
            JsonNode pending = null;
            for (String line : lines) {
                if (line.startsWith("BEGIN ")) {
                    pending = JSON.readTree(line.substring(6));
                } else if (line.startsWith("ACK ")) {
                    CrashOperations.apply(pending, expected);
                    pending = null;
                    acknowledged++;
                }
            }
            if (!lines.isEmpty() && lines.get(lines.size() - 1).equals("FLUSH")) {
                duringFlush++;
            }
            if (pending != null) {
                inFlight++;
            }
            Map<PointId, String> actual = readAll(dir, "after kill " + (kill + 1));
            resolve(expected, pending, actual, "after kill " + (kill + 1));
        }

        // A last writable load repairs and flushes; the result reads the same, here and in the reference engine.
        try (EdgeShard shard = EdgeShard.load(dir)) {
            assertThat(canonical(shard)).as("loaded for writing after the last kill").isEqualTo(expected);
        }
        assertThat(readAll(dir, "after the final close")).isEqualTo(expected);
        checkWithReferenceEngine(dir, expected.size());
        System.out.printf("[crash] %d kills (%d in a flush, %d with an operation in flight), %d acknowledged "
                + "operations, %d points, %.1f s%n", kills, duringFlush, inFlight, acknowledged, expected.size(),
                (System.nanoTime() - started) / 1e9);
        assertThat(acknowledged).as("the children got work done between kills").isGreaterThan(kills);
    }

    /** With {@code -Dcrash.dir=...} the shard is kept there, and the children's output beside it. */
    private static Optional<Path> debugDir() {
        return Optional.ofNullable(System.getProperty("crash.dir")).filter(d -> !d.isBlank()).map(Path::of);
    }

    @Test
    void anotherProcessCannotOpenAShardOpenForWriting() throws Exception {
        Path dir = temp.resolve("locked");
        try (EdgeShard shard = EdgeShard.create(dir, CrashOperations.config())) {
            ChildJvm probe = Child.start(temp, List.of("probe", dir.toString()));
            String answer = probe.awaitLine(l -> l.startsWith("OPENED") || l.startsWith("REFUSED"), "an answer");
            assertThat(answer).startsWith("REFUSED").contains("already open for writing in another process");
            probe.awaitExit();
            assertThat(shard.count()).isZero();
        }
        ChildJvm probe = Child.start(temp, List.of("probe", dir.toString()));
        assertThat(probe.awaitLine(l -> l.startsWith("OPENED") || l.startsWith("REFUSED"), "an answer"))
                .isEqualTo("OPENED 0");
        probe.awaitExit();
    }

    /**
     * Checks {@code actual} against {@code expected}, allowing the in-flight operation to be either wholly
     * applied or wholly absent, and makes {@code expected} what was found.
     */
    private static void resolve(Map<PointId, String> expected, JsonNode pending, Map<PointId, String> actual,
            String at) {
        Set<PointId> touched = pending == null ? Set.of() : CrashOperations.touched(pending);
        Set<PointId> all = new HashSet<>(expected.keySet());
        all.addAll(actual.keySet());
        for (PointId id : all) {
            if (!touched.contains(id) && !java.util.Objects.equals(expected.get(id), actual.get(id))) {
                fail(at + ": point " + id + " is " + actual.get(id) + ", the acknowledged writes left it "
                        + expected.get(id));
            }
        }
        if (pending == null) {
            return;
        }
        Map<PointId, String> after = new TreeMap<>(expected);
        CrashOperations.apply(pending, after);
        boolean none = touched.stream().allMatch(id -> java.util.Objects.equals(expected.get(id), actual.get(id)));
        boolean whole = touched.stream().allMatch(id -> java.util.Objects.equals(after.get(id), actual.get(id)));
        if (!none && !whole) {
            fail(at + ": the operation in flight " + pending + " is half applied: found "
                    + CrashOperations.describe(actual, touched) + ", expected all or none of "
                    + CrashOperations.describe(after, touched));
        }
        if (whole) {
            expected.clear();
            expected.putAll(after);
        }
    }

    private static Map<PointId, String> readAll(Path dir, String at) {
        try (EdgeShard shard = EdgeShard.openReadOnly(dir)) {
            return canonical(shard);
        } catch (RuntimeException e) {
            throw new AssertionError(at + ": the shard does not load: " + e, e);
        }
    }

    private static Map<PointId, String> canonical(EdgeShard shard) {
        Map<PointId, String> points = new TreeMap<>();
        for (Record record : ShardReadCompatTest.scrollAll(shard)) {
            points.put(record.id(), CrashOperations.canonical(record));
        }
        return points;
    }

    private void checkWithReferenceEngine(Path dir, int points) {
        ReferenceEngine engine;
        try {
            engine = ReferenceEngine.require();
        } catch (TestAbortedException e) {
            return; // the reference engine is optional here; the Java checks above stand on their own
        }
        ReferenceAnswers answers = engine.inspect(dir, temp.resolve("reference-answers"));
        assertThat(answers.count()).as("points as the reference engine loads the crashed shard").isEqualTo(points);
        try (EdgeShard shard = EdgeShard.openReadOnly(dir)) {
            ShardWriteCompatTest.assertSamePoints(shard, answers, "the crashed shard in the reference engine");
        }
    }

    private static final class Child {
        private Child() {
        }

        /** A child JVM running {@link CrashingWriter} with {@code args}. */
        static ChildJvm start(Path temp, List<String> args) throws IOException {
            return ChildJvm.start(temp, CrashingWriter.class, args);
        }
    }
}
