package dev.qdrantedge.engine.snapshot;

import dev.qdrantedge.engine.segment.SegmentDirectories;
import dev.qdrantedge.engine.snapshot.SnapshotException.Kind;
import java.io.IOException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;

/**
 * A snapshot applied to a shard in a staging area, not yet switched in: the complete new {@code segments/}
 * (kept local files hard-linked, so staging costs no copy; copied where links are not possible), WAL, clocks
 * and {@code applied_seq.json}, built by {@link SnapshotMergePlan} and checked to load. {@link #commit()}
 * switches it in ({@link ShardSwap}); {@link #abort()} throws it away. Nothing of the shard's own files is
 * written before {@link #commit()}; the caller must keep the shard from changing in between.
 */
public final class StagedShardUpdate {

    private final Path shardDir;
    private final Map<String, Boolean> items;
    private final SnapshotMergePlan plan;

    private StagedShardUpdate(Path shardDir, Map<String, Boolean> items, SnapshotMergePlan plan) {
        this.shardDir = shardDir;
        this.items = items;
        this.plan = plan;
    }

    /**
     * Unpacks and checks the archive, and stages the shard's next state.
     *
     * @param current the shard's manifest now (its segments flushed)
     * @throws SnapshotException when the archive is refused or the resulting segments do not load; the work
     *     area is then removed again and the shard is untouched
     */
    public static StagedShardUpdate prepare(Path shardDir, Path archive, SnapshotLimits limits,
            SnapshotManifest current) {
        Path work = ShardSwap.workDir(shardDir);
        try {
            ShardSwap.recover(shardDir); // a leftover uncommitted work area is discarded
            Files.createDirectories(work);
            Path unpackedDir = work.resolve("unpacked");
            Path next = work.resolve(ShardSwap.NEXT_DIR);
            Files.createDirectory(unpackedDir);
            Files.createDirectory(next);
            UnpackedSnapshot unpacked = UnpackedSnapshot.unpack(archive, unpackedDir, limits);
            ShardSwap.step("unpacked");
            SnapshotMergePlan plan = SnapshotMergePlan.compute(current, unpacked);
            Map<String, Boolean> items = stage(shardDir, unpacked, plan, next);
            ShardSwap.step("staged");
            verify(next, plan);
            ShardSwap.step("verified");
            FileSync.deleteTree(unpackedDir);
            return new StagedShardUpdate(shardDir, items, plan);
        } catch (IOException e) {
            discard(work);
            throw new SnapshotException(Kind.IO, "cannot stage the snapshot " + archive + ": " + e.getMessage(), e);
        } catch (RuntimeException e) {
            discard(work);
            throw e;
        }
    }

    private static Map<String, Boolean> stage(Path shardDir, UnpackedSnapshot unpacked, SnapshotMergePlan plan,
            Path next) throws IOException {
        Map<String, Boolean> items = new LinkedHashMap<>();
        Path from = unpacked.dir();
        Path nextSegments = next.resolve(ShardManifests.SEGMENTS_DIR);
        Files.createDirectory(nextSegments);
        if (plan.partial()) {
            Path localSegments = shardDir.resolve(ShardManifests.SEGMENTS_DIR);
            if (Files.isDirectory(localSegments)) {
                for (Path dir : SegmentDirectories.scan(localSegments)) {
                    String id = dir.getFileName().toString();
                    if (plan.deleteSegments().contains(id)) {
                        continue;
                    }
                    linkTree(dir, nextSegments.resolve(id), plan.deleteFiles().getOrDefault(id, Set.of()));
                }
            }
        }
        for (String id : plan.mergeSegments()) {
            Path incoming = from.resolve(ShardManifests.SEGMENTS_DIR).resolve(id);
            Path target = nextSegments.resolve(id);
            dropStaleJournals(incoming, target);
            FileSync.moveAll(incoming, target);
            Files.deleteIfExists(target.resolve(SegmentManifest.FILE));
        }
        items.put(ShardManifests.SEGMENTS_DIR, true);
        for (String name : plan.shardFiles()) {
            Files.move(from.resolve(name), next.resolve(name));
            items.put(name, true);
        }
        for (String name : plan.removedShardFiles()) {
            items.put(name, false);
        }
        return items;
    }

    /**
     * Every segment the snapshot brought or changed must load; local segments it left alone were loaded by the
     * shard already. Top-level entries of {@code segments/} that are not segments are refused too.
     */
    private static void verify(Path next, SnapshotMergePlan plan) throws IOException {
        Path segments = next.resolve(ShardManifests.SEGMENTS_DIR);
        try (Stream<Path> list = Files.list(segments)) {
            for (Path dir : (Iterable<Path>) list.sorted()::iterator) {
                String id = dir.getFileName().toString();
                if (!plan.partial() || plan.mergeSegments().contains(id) || plan.deleteFiles().containsKey(id)) {
                    SegmentVerifier.verifySegment(dir);
                }
            }
        }
    }

    /**
     * Where the snapshot brings a gridstore's {@code tracker.dat}, a local {@code tracker_journal.dat} beside
     * it belongs to the tracker being replaced; replayed over the new one it would point values at stale
     * blocks, so it is not kept.
     */
    private static void dropStaleJournals(Path incoming, Path target) throws IOException {
        if (!Files.isDirectory(target)) {
            return;
        }
        try (Stream<Path> walk = Files.walk(incoming)) {
            for (Path tracker : (Iterable<Path>) walk.filter(p -> p.getFileName().toString().equals("tracker.dat"))::iterator) {
                Path journal = target.resolve(incoming.relativize(tracker).toString())
                        .resolveSibling(SegmentFiles.TRACKER_JOURNAL);
                Files.deleteIfExists(journal);
            }
        }
    }

    /** Recreates {@code source}'s tree at {@code target} with hard links to its files (copies if need be). */
    private static void linkTree(Path source, Path target, Set<String> skip) throws IOException {
        try (Stream<Path> walk = Files.walk(source)) {
            for (Path path : (Iterable<Path>) walk::iterator) {
                String relative = SegmentFiles.relative(source, path);
                Path dest = relative.isEmpty() ? target : target.resolve(relative);
                if (Files.isDirectory(path, LinkOption.NOFOLLOW_LINKS)) {
                    Files.createDirectories(dest);
                } else if (Files.isRegularFile(path, LinkOption.NOFOLLOW_LINKS) && !skip.contains(relative)
                        && !relative.equals(SegmentManifest.FILE)) {
                    try {
                        Files.createLink(dest, path);
                    } catch (UnsupportedOperationException | FileSystemException e) {
                        Files.copy(path, dest, StandardCopyOption.COPY_ATTRIBUTES);
                    }
                }
            }
        }
    }

    /** The staged shard directory (segments, WAL ...), for checks before {@link #commit()}. */
    public Path stagedDirectory() {
        return ShardSwap.workDir(shardDir).resolve(ShardSwap.NEXT_DIR);
    }

    /** Whether the snapshot was partial (merged) rather than full (replacing). */
    public boolean partial() {
        return plan.partial();
    }

    /**
     * Commits and switches the staged state in. The shard's files must be closed. Once this method has
     * written the commit marker, the update completes even if the process dies: {@link ShardSwap#recover}
     * finishes it when the shard is next opened.
     */
    public void commit() {
        try {
            ShardSwap.commit(shardDir, items);
        } catch (IOException e) {
            throw new SnapshotException(Kind.IO, "cannot switch the snapshot into " + shardDir + ": " + e.getMessage()
                    + "; opening the shard completes or discards the update", e);
        }
        discard(ShardSwap.workDir(shardDir));
    }

    /** Throws the staged state away; the shard is as it was. */
    public void abort() {
        discard(ShardSwap.workDir(shardDir));
    }

    private static void discard(Path work) {
        try {
            if (!Files.exists(work.resolve(ShardSwap.COMMIT_FILE))) {
                FileSync.deleteTree(work);
            }
        } catch (IOException ignored) {
            // an uncommitted leftover; the next open or update removes it
        }
    }
}
