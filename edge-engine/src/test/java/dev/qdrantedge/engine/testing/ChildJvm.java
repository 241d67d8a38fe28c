package dev.qdrantedge.engine.testing;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

/**
 * A child JVM running a test class's {@code main} on the test class path, its stdout collected line by line,
 * for crash tests that kill it with SIGKILL.
 */
public final class ChildJvm {

    /** Exit status of a process killed by signal 9, as {@link Process#exitValue()} reports it. */
    public static final int KILLED_BY_SIGKILL = 128 + 9;

    private final Process process;
    private final Path stderr;
    private final List<String> lines = Collections.synchronizedList(new ArrayList<>());
    private final Semaphore arrived = new Semaphore(0);
    private final CompletableFuture<Void> drained = new CompletableFuture<>();
    private volatile IOException failure;
    private int seen;

    private ChildJvm(Process process, Path stderr) {
        this.process = process;
        this.stderr = stderr;
        Thread reader = new Thread(this::drain, "crash-child-stdout");
        reader.setDaemon(true);
        reader.start();
    }

    /** Starts {@code main}'s {@code main(String[])} with {@code args}; its stderr goes to a file in {@code temp}. */
    public static ChildJvm start(Path temp, Class<?> main, List<String> args) throws IOException {
        List<String> command = new ArrayList<>();
        command.add(javaExecutable());
        // A quick start matters more than peak speed: the child lives for a fraction of a second, most of
        // it loading classes, so the JIT stays at C1 and bytecode verification is skipped.
        command.addAll(List.of("-XX:TieredStopAtLevel=1", "-Xshare:auto", "-XX:+UseSerialGC", "-Xmx256m",
                "-XX:-UsePerfData", "-XX:+UnlockDiagnosticVMOptions", "-XX:-BytecodeVerificationRemote",
                "-cp", System.getProperty("java.class.path"), main.getName()));
        command.addAll(args);
        Path stderr = Files.createTempFile(temp, "child", ".err");
        Process process = new ProcessBuilder(command).redirectError(stderr.toFile()).start();
        return new ChildJvm(process, stderr);
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
    public String awaitLine(Predicate<String> test, String what) throws Exception {
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
    public List<String> kill() throws Exception {
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

    /** Waits for the child to exit by itself with status 0. */
    public void awaitExit() throws Exception {
        assertThat(process.waitFor(30, TimeUnit.SECONDS)).isTrue();
        assertThat(process.exitValue()).as(Files.readString(stderr)).isZero();
        drained.get(30, TimeUnit.SECONDS);
    }

    /** What the child wrote to stderr so far. */
    public String stderr() throws IOException {
        return Files.readString(stderr);
    }
}
