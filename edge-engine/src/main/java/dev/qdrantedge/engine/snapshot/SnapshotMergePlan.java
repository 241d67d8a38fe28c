package dev.qdrantedge.engine.snapshot;

import dev.qdrantedge.engine.snapshot.SnapshotException.Kind;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.stream.Stream;

/**
 * Qdrant's plan for merging a partial snapshot into a shard ({@code SnapshotUtils::partial_snapshot_merge_plan}):
 * <ul>
 *   <li>a local segment the snapshot's manifest does not name is deleted;
 *   <li>a file a local segment's manifest lists but the snapshot's manifest for that segment does not is
 *       deleted;
 *   <li>every segment directory of the snapshot is merged into the shard's, its files replacing the local
 *       ones (a segment new to the shard arrives whole);
 *   <li>the WAL is replaced by the snapshot's;
 *   <li>{@code newest_clocks.json}, {@code oldest_clocks.json} and {@code applied_seq.json} are replaced when
 *       the snapshot has them.
 * </ul>
 * A full snapshot (no segment carries a manifest) replaces segments, WAL, clocks and {@code applied_seq.json}
 * whole, as Qdrant Edge's full recovery does; {@code edge_config.json} stays.
 *
 * <p>Before anything is done, the plan is checked against the files: a file the snapshot's manifest lists
 * must either be in the archive or already be in the local segment in a version at least as new; otherwise
 * the merged segment would silently mix versions.
 *
 * @param partial whether the snapshot carried manifests
 * @param deleteSegments local segments to drop
 * @param deleteFiles per kept local segment, files to drop
 * @param mergeSegments segments of the snapshot to merge in (or, for a full snapshot, to take)
 * @param shardFiles top-level items taken from the snapshot ({@code wal}, clock files ...) when it has them
 * @param removedShardFiles top-level items removed because the snapshot replaces them by nothing
 */
record SnapshotMergePlan(boolean partial, Set<String> deleteSegments, Map<String, Set<String>> deleteFiles,
        Set<String> mergeSegments, List<String> shardFiles, List<String> removedShardFiles) {

    static final String WAL = "wal";
    static final List<String> MOVED_FILES = List.of("newest_clocks.json", "oldest_clocks.json", "applied_seq.json");

    static SnapshotMergePlan compute(SnapshotManifest local, UnpackedSnapshot snapshot) {
        Path unpacked = snapshot.dir();
        Set<String> merge = new TreeSet<>(snapshotSegments(unpacked));
        List<String> shardFiles = new ArrayList<>();
        List<String> removed = new ArrayList<>();
        boolean hasWal = Files.isDirectory(unpacked.resolve(WAL), LinkOption.NOFOLLOW_LINKS);
        (hasWal ? shardFiles : removed).add(WAL);
        for (String name : MOVED_FILES) {
            if (Files.isRegularFile(unpacked.resolve(name), LinkOption.NOFOLLOW_LINKS)) {
                shardFiles.add(name);
            } else if (!snapshot.partial()) {
                removed.add(name);
            }
        }
        if (!snapshot.partial()) {
            return new SnapshotMergePlan(false, new TreeSet<>(local.segments().keySet()), Map.of(), merge, shardFiles,
                    removed);
        }
        SnapshotManifest remote = snapshot.manifest();
        Set<String> deleteSegments = new TreeSet<>();
        Map<String, Set<String>> deleteFiles = new TreeMap<>();
        for (SegmentManifest segment : local.segments().values()) {
            SegmentManifest incoming = remote.segments().get(segment.segmentId());
            if (incoming == null) {
                if (!merge.contains(segment.segmentId())) {
                    deleteSegments.add(segment.segmentId());
                }
                continue;
            }
            Set<String> gone = new TreeSet<>();
            for (String file : segment.fileVersions().keySet()) {
                if (!incoming.fileVersions().containsKey(file)) {
                    gone.add(file);
                }
            }
            if (!gone.isEmpty()) {
                deleteFiles.put(segment.segmentId(), gone);
            }
        }
        checkAgainstFiles(local, remote, unpacked);
        return new SnapshotMergePlan(true, deleteSegments, deleteFiles, merge, shardFiles, removed);
    }

    private static void checkAgainstFiles(SnapshotManifest local, SnapshotManifest remote, Path unpacked) {
        for (SegmentManifest incoming : remote.segments().values()) {
            String id = incoming.segmentId();
            Path dir = unpacked.resolve(ShardManifests.SEGMENTS_DIR).resolve(id);
            SegmentManifest mine = local.segments().get(id);
            for (String file : incoming.fileVersions().keySet()) {
                if (Files.isRegularFile(dir.resolve(file), LinkOption.NOFOLLOW_LINKS)) {
                    continue;
                }
                OptionalLong localVersion = mine == null ? OptionalLong.empty() : mine.resolvedVersion(file);
                if (localVersion.isEmpty()) {
                    throw new SnapshotException(Kind.MANIFEST_MISMATCH, "invalid partial snapshot: segments/" + id
                            + "/" + file + " is in its manifest but neither in the snapshot nor in the shard");
                }
                long wanted = incoming.resolvedVersion(file).getAsLong();
                if (localVersion.getAsLong() < wanted) {
                    throw new SnapshotException(Kind.MANIFEST_MISMATCH, "invalid partial snapshot: segments/" + id
                            + "/" + file + " is at version " + wanted + " in its manifest, the shard has version "
                            + localVersion.getAsLong() + ", and the snapshot does not carry it");
                }
            }
        }
    }

    private static List<String> snapshotSegments(Path unpacked) {
        Path segments = unpacked.resolve(ShardManifests.SEGMENTS_DIR);
        try (Stream<Path> list = Files.list(segments)) {
            return list.filter(p -> Files.isDirectory(p, LinkOption.NOFOLLOW_LINKS))
                    .map(p -> p.getFileName().toString())
                    .filter(name -> !name.startsWith("."))
                    .sorted()
                    .toList();
        } catch (IOException e) {
            throw new SnapshotException(Kind.IO, "cannot list " + segments + ": " + e.getMessage(), e);
        }
    }
}
