package dev.qdrantedge.engine.snapshot;

import dev.qdrantedge.engine.snapshot.SnapshotException.Kind;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

/**
 * The switch from a shard's current state to a staged one, and its recovery rule. See the package
 * documentation for the whole design.
 *
 * <p>The work area {@value #WORK_DIR} inside the shard directory holds {@code next/} (the complete new
 * top-level items) and, once committed, the marker {@value #COMMIT_FILE} listing the items to switch and
 * whether each exists in the new state. Writing the marker (atomically: temporary file, force, rename, force
 * the directory) is the commit point. Switching then renames, per item, the current one into {@code old/}
 * and the staged one into place; each step can be repeated after a crash, so {@link #recover} simply runs
 * the switch again when the marker exists, and discards the work area when it does not (the shard was never
 * touched).
 */
public final class ShardSwap {

    static final String WORK_DIR = ".edge-snapshot-update";
    static final String COMMIT_FILE = "COMMIT";
    static final String NEXT_DIR = "next";
    static final String OLD_DIR = "old";

    private static final JsonMapper JSON = JsonMapper.builder().build();

    /**
     * Told the name of every step of an update as it is reached; the crash tests use it to kill the process
     * at each of them. Does nothing otherwise.
     */
    static volatile Consumer<String> stepListener = step -> { };

    private ShardSwap() {
    }

    static void step(String name) {
        stepListener.accept(name);
    }

    static Path workDir(Path shardDir) {
        return shardDir.resolve(WORK_DIR);
    }

    /** Whether an update was committed but not yet switched completely (a crash interrupted it). */
    public static boolean hasPendingSwitch(Path shardDir) {
        return Files.exists(workDir(shardDir).resolve(COMMIT_FILE), LinkOption.NOFOLLOW_LINKS);
    }

    /**
     * Brings a shard directory to a consistent state before it is opened: completes a committed update,
     * discards an uncommitted one. Call it holding the shard's lock.
     */
    public static void recover(Path shardDir) {
        Path work = workDir(shardDir);
        if (!Files.exists(work, LinkOption.NOFOLLOW_LINKS)) {
            return;
        }
        try {
            Path marker = work.resolve(COMMIT_FILE);
            if (Files.exists(marker, LinkOption.NOFOLLOW_LINKS)) {
                switchItems(shardDir, readMarker(marker));
                Files.delete(marker);
                FileSync.syncDirectory(work);
            }
            FileSync.deleteTree(work);
            FileSync.syncDirectory(shardDir);
        } catch (IOException e) {
            throw new SnapshotException(Kind.IO, "cannot complete or discard the interrupted snapshot update of "
                    + shardDir + ": " + e.getMessage(), e);
        }
    }

    /** Commits the staged items (name to whether it exists in the new state) and switches them. */
    static void commit(Path shardDir, Map<String, Boolean> items) throws IOException {
        Path work = workDir(shardDir);
        Path next = work.resolve(NEXT_DIR);
        FileSync.syncTree(next);
        step("staged-synced");
        ObjectNode root = JSON.createObjectNode();
        ObjectNode list = root.putObject("items");
        items.forEach(list::put);
        FileSync.writeAtomically(work.resolve(COMMIT_FILE), JSON.writeValueAsBytes(root));
        step("committed");
        switchItems(shardDir, items);
        Files.delete(work.resolve(COMMIT_FILE));
        FileSync.syncDirectory(work);
        step("marker-removed");
    }

    private static Map<String, Boolean> readMarker(Path marker) throws IOException {
        JsonNode root = JSON.readTree(Files.readString(marker, StandardCharsets.UTF_8));
        Map<String, Boolean> items = new LinkedHashMap<>();
        for (Map.Entry<String, JsonNode> e : root.path("items").properties()) {
            String name = e.getKey();
            if (name.isEmpty() || name.contains("/") || name.startsWith(".")) {
                throw new IOException("unexpected item '" + name + "' in " + marker);
            }
            items.put(name, e.getValue().asBoolean());
        }
        return items;
    }

    private static void switchItems(Path shardDir, Map<String, Boolean> items) throws IOException {
        Path work = workDir(shardDir);
        Path next = work.resolve(NEXT_DIR);
        Path old = work.resolve(OLD_DIR);
        Files.createDirectories(old);
        List<String> names = new ArrayList<>(items.keySet());
        for (String name : names) {
            Path current = shardDir.resolve(name);
            Path staged = next.resolve(name);
            boolean stagedExists = Files.exists(staged, LinkOption.NOFOLLOW_LINKS);
            if (stagedExists || !items.get(name)) {
                if (Files.exists(current, LinkOption.NOFOLLOW_LINKS)) {
                    FileSync.rename(current, old.resolve(name));
                    step("moved-out:" + name);
                }
                if (stagedExists) {
                    FileSync.rename(staged, current);
                    step("moved-in:" + name);
                }
            }
        }
        FileSync.syncDirectory(shardDir);
        FileSync.syncDirectory(old);
        FileSync.syncDirectory(next);
    }
}
