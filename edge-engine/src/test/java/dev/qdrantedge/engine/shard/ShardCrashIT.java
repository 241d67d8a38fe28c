package dev.qdrantedge.engine.shard;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import dev.qdrantedge.engine.compat.ReferenceAnswers;
import dev.qdrantedge.engine.compat.ReferenceEngine;
import dev.qdrantedge.engine.idtracker.PointId;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
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
    /** Exit status of a process killed by signal 9, as {@link Process#exitValue()} reports it. */
    private static final int KILLED_BY_SIGKILL = 128 + 9;

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
            Child child = Child.start(temp, List.of("write", dir.toString(), Long.toString(1000L + kill)));
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
            Child probe = Child.start(temp, List.of("probe", dir.toString()));
            String answer = probe.awaitLine(l -> l.startsWith("OPENED") || l.startsWith("REFUSED"), "an answer");
            assertThat(answer).startsWith("REFUSED").contains("already open for writing in another process");
            probe.awaitExit();
            assertThat(shard.count()).isZero();
        }
        Child probe = Child.start(temp, List.of("probe", dir.toString()));
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

    /** A child JVM running {@link CrashingWriter} on the test class path, its stdout collected line by line. */
    private static final class Child {
        private final Process process;
        private final Path stderr;
        private final List<String> lines = Collections.synchronizedList(new ArrayList<>());
        private final Semaphore arrived = new Semaphore(0);
        private final CompletableFuture<Void> drained = new CompletableFuture<>();
        private volatile IOException failure;
        private int seen;

        private Child(Process process, Path stderr) {
            this.process = process;
            this.stderr = stderr;
            Thread reader = new Thread(this::drain, "crash-child-stdout");
            reader.setDaemon(true);
            reader.start();
        }

        static Child start(Path temp, List<String> args) throws IOException {
            List<String> command = new ArrayList<>();
            command.add(javaExecutable());
            // A quick start matters more than peak speed: the child lives for a fraction of a second, most of
            // it loading classes, so the JIT stays at C1 and bytecode verification is skipped.
            command.addAll(List.of("-XX:TieredStopAtLevel=1", "-Xshare:auto", "-XX:+UseSerialGC", "-Xmx256m",
                    "-XX:-UsePerfData", "-XX:+UnlockDiagnosticVMOptions", "-XX:-BytecodeVerificationRemote",
                    "-cp", System.getProperty("java.class.path"), CrashingWriter.class.getName()));
            command.addAll(args);
            Path stderr = Files.createTempFile(temp, "child", ".err");
            Process process = new ProcessBuilder(command).redirectError(stderr.toFile()).start();
            return new Child(process, stderr);
        }

        private static String javaExecutable() {
            return ProcessHandle.current().info().command()
                    .orElseGet(() -> Path.of(System.getProperty("java.home"), "bin", "java").toString());
        }

        private void drain() {
            try (BufferedReader reader = new BufferedReader(
                    new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
                for (String line = reader.readLine(); line != null; line = reader.readLine()) {
                    lines.add(line);
                    arrived.release();
                }
            } catch (IOException e) {
                failure = e;
            } finally {
                drained.complete(null);
                arrived.release(1_000_000);
            }
        }

        /** Waits for the next line (after those already awaited) matching {@code test}, and returns it. */
        String awaitLine(java.util.function.Predicate<String> test, String what) throws Exception {
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
            while (true) {
                synchronized (lines) {
                    while (seen < lines.size()) {
                        String line = lines.get(seen++);
                        if (test.test(line)) {
                            return line;
                        }
                    }
                }
                if (!process.isAlive() && drained.isDone()) {
                    synchronized (lines) {
                        if (seen >= lines.size()) {
                            throw new AssertionError("the child exited (" + process.exitValue() + ") before "
                                    + what + "; output " + lines + ", stderr:\n" + Files.readString(stderr));
                        }
                    }
                    continue;
                }
                if (!arrived.tryAcquire(Math.max(1, deadline - System.nanoTime()), TimeUnit.NANOSECONDS)) {
                    throw new AssertionError("no " + what + " from the child within 60 s; output " + lines);
                }
            }
        }

        /** SIGKILLs the child (checked by its exit status) and returns everything it printed. */
        List<String> kill() throws Exception {
            if (!process.isAlive()) {
                throw new AssertionError("the child died before it was killed (" + process.exitValue()
                        + "); stderr:\n" + Files.readString(stderr));
            }
            // Through the ProcessHandle: Process.destroyForcibly() also closes the pipes, losing what the child
            // wrote but this side has not read yet. Both send SIGKILL on Linux, which the exit status confirms.
            assertThat(process.toHandle().destroyForcibly()).as("the kill was requested").isTrue();
            assertThat(process.waitFor(30, TimeUnit.SECONDS)).as("the child dies").isTrue();
            assertThat(process.exitValue()).as("the child died of SIGKILL; stderr:\n" + Files.readString(stderr))
                    .isEqualTo(KILLED_BY_SIGKILL);
            drained.get(30, TimeUnit.SECONDS);
            if (failure != null) {
                throw new AssertionError("lost the child's output", failure);
            }
            synchronized (lines) {
                return new ArrayList<>(lines);
            }
        }

        void awaitExit() throws Exception {
            assertThat(process.waitFor(30, TimeUnit.SECONDS)).isTrue();
            assertThat(process.exitValue()).as(Files.readString(stderr)).isZero();
            drained.get(30, TimeUnit.SECONDS);
        }
    }
}
