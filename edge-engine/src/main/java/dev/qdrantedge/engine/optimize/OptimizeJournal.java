package dev.qdrantedge.engine.optimize;

import dev.qdrantedge.engine.EdgeException;
import dev.qdrantedge.engine.snapshot.FileSync;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.function.Consumer;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

/**
 * The crash-safe switch from the segments an optimization replaces to the segment it built.
 *
 * <p>The work area {@value #WORK_DIR} in the shard directory holds {@code next/<uuid>/}, the new segment, built
 * and forced to the device there (a hidden directory neither this engine nor Qdrant loads). Writing the marker
 * {@value #COMMIT_FILE} (atomically) is the commit point: it names the new segment and the ones it replaces.
 * The switch then renames the new segment into {@code segments/} first and moves the replaced ones out into
 * the work area second, so that after any crash every point is in {@code segments/} at least once, and twice
 * only with equal versions (which readers, and Qdrant at load, resolve to one copy). {@link #recover} runs the
 * switch again when the marker exists and discards the work area otherwise; each step can be repeated.
 */
public final class OptimizeJournal {

    static final String WORK_DIR = ".edge-optimize";
    static final String COMMIT_FILE = "COMMIT";
    static final String NEXT_DIR = "next";
    static final String OLD_DIR = "old";
    private static final String SEGMENTS_DIR = "segments";
    private static final JsonMapper JSON = JsonMapper.builder().build();

    /** Told each step's name as it is reached; crash tests stop the switch there. Does nothing otherwise. */
    static volatile Consumer<String> stepListener = step -> { };

    private final Path shardDir;

    public OptimizeJournal(Path shardDir) {
        this.shardDir = shardDir;
    }

    static void step(String name) {
        stepListener.accept(name);
    }

    private Path work() {
        return shardDir.resolve(WORK_DIR);
    }

    /** A fresh directory (not yet created) in which to build a new segment. */
    public Path newStagingDir() {
        try {
            Files.createDirectories(work().resolve(NEXT_DIR));
        } catch (IOException e) {
            throw new EdgeException("cannot create " + work().resolve(NEXT_DIR) + ": " + e.getMessage(), e);
        }
        Path dir = work().resolve(NEXT_DIR).resolve(UUID.randomUUID().toString());
        step("staging");
        return dir;
    }

    /**
     * Commits the segment built in {@code staged} (from {@link #newStagingDir}) as the replacement of
     * {@code replaced}, and switches.
     */
    public void commit(Path staged, List<String> replaced) {
        try {
            step("staged");
            ObjectNode root = JSON.createObjectNode();
            root.put("add", staged.getFileName().toString());
            replaced.forEach(root.putArray("remove")::add);
            FileSync.syncDirectory(staged.getParent());
            FileSync.writeAtomically(work().resolve(COMMIT_FILE), JSON.writeValueAsBytes(root));
            step("committed");
            switchSegments(staged.getFileName().toString(), replaced);
            finish();
            step("done");
        } catch (IOException e) {
            throw new EdgeException("cannot switch the optimized segment of " + shardDir + " in: " + e.getMessage(), e);
        }
    }

    /** Discards the work area of an optimization that did not commit. */
    public void abort() {
        try {
            if (Files.exists(work(), LinkOption.NOFOLLOW_LINKS) && !Files.exists(work().resolve(COMMIT_FILE))) {
                FileSync.deleteTree(work());
            }
        } catch (IOException e) {
            throw new EdgeException("cannot discard " + work() + ": " + e.getMessage(), e);
        }
    }

    /**
     * Brings the shard directory to a consistent state before it is opened: completes a committed switch,
     * discards an uncommitted optimization. Call it holding the shard's lock.
     */
    public static void recover(Path shardDir) {
        OptimizeJournal journal = new OptimizeJournal(shardDir);
        Path work = journal.work();
        if (!Files.exists(work, LinkOption.NOFOLLOW_LINKS)) {
            return;
        }
        try {
            Path marker = work.resolve(COMMIT_FILE);
            if (Files.exists(marker, LinkOption.NOFOLLOW_LINKS)) {
                JsonNode root = JSON.readTree(Files.readString(marker, StandardCharsets.UTF_8));
                List<String> removed = new ArrayList<>();
                root.path("remove").forEach(n -> removed.add(n.asString()));
                journal.switchSegments(root.path("add").asString(), removed);
            }
            journal.finish();
        } catch (IOException | RuntimeException e) {
            throw new EdgeException("cannot complete or discard the interrupted optimization of " + shardDir + ": "
                    + e.getMessage(), e);
        }
    }

    private void switchSegments(String added, List<String> replaced) throws IOException {
        checkName(added);
        Path segments = shardDir.resolve(SEGMENTS_DIR);
        Path staged = work().resolve(NEXT_DIR).resolve(added);
        if (Files.exists(staged, LinkOption.NOFOLLOW_LINKS)) {
            FileSync.rename(staged, segments.resolve(added));
            FileSync.syncDirectory(segments);
            step("moved-in");
        }
        Path old = work().resolve(OLD_DIR);
        Files.createDirectories(old);
        for (String name : replaced) {
            checkName(name);
            Path current = segments.resolve(name);
            if (Files.exists(current, LinkOption.NOFOLLOW_LINKS)) {
                FileSync.rename(current, old.resolve(name));
                FileSync.syncDirectory(segments);
                step("moved-out:" + name);
            }
        }
        FileSync.syncDirectory(old);
    }

    private void finish() throws IOException {
        Path marker = work().resolve(COMMIT_FILE);
        Files.deleteIfExists(marker);
        FileSync.syncDirectory(work());
        step("marker-removed");
        FileSync.deleteTree(work());
        FileSync.syncDirectory(shardDir);
    }

    private static void checkName(String name) throws IOException {
        if (name == null || name.isEmpty() || name.contains("/") || name.contains("\\") || name.startsWith(".")) {
            throw new IOException("unexpected segment name '" + name + "' in the optimization marker");
        }
    }
}
