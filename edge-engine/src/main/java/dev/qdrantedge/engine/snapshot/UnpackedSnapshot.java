package dev.qdrantedge.engine.snapshot;

import dev.qdrantedge.engine.EdgeException;
import dev.qdrantedge.engine.segment.SegmentState;
import dev.qdrantedge.engine.snapshot.SnapshotException.Kind;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;

/**
 * A shard snapshot unpacked into a private directory and checked: archive safety ({@link TarExtractor}),
 * segment layouts restored ({@link SegmentLayouts}), and the segment manifests a partial snapshot carries
 * loaded and checked against the files beside them.
 *
 * @param dir the unpacked snapshot (a shard directory, segments possibly partial)
 * @param manifest the segments' manifests; empty for a full snapshot
 */
record UnpackedSnapshot(Path dir, SnapshotManifest manifest) {

    static UnpackedSnapshot unpack(Path archive, Path dir, SnapshotLimits limits) {
        if (!Files.isRegularFile(archive)) {
            throw new SnapshotException(Kind.IO, "no snapshot archive at " + archive);
        }
        UnpackBudget budget = new UnpackBudget(limits);
        TarExtractor.extract(archive, dir, budget, "archive " + archive.getFileName());
        SegmentLayouts.restoreInPlace(dir, budget);
        return new UnpackedSnapshot(dir, loadManifest(dir));
    }

    boolean partial() {
        return !manifest.isEmpty();
    }

    /**
     * The manifests in {@code segments/<id>/segment_manifest.json}, as Qdrant Edge loads them (segments
     * without one are taken whole), checked: the manifest names its own segment, no file is newer than the
     * segment, the segment's {@code segment.json} is not newer than the manifest, and every file the segment
     * directory holds is listed.
     */
    static SnapshotManifest loadManifest(Path dir) {
        Path segments = dir.resolve(ShardManifests.SEGMENTS_DIR);
        Map<String, SegmentManifest> manifests = new TreeMap<>();
        List<Path> entries;
        try (Stream<Path> list = Files.list(segments)) {
            entries = list.sorted().toList();
        } catch (IOException e) {
            throw new SnapshotException(Kind.IO, "cannot list " + segments + ": " + e.getMessage(), e);
        }
        for (Path segment : entries) {
            String id = segment.getFileName().toString();
            Path file = segment.resolve(SegmentManifest.FILE);
            if (id.startsWith(".") || !Files.isDirectory(segment, LinkOption.NOFOLLOW_LINKS)
                    || !Files.isRegularFile(file, LinkOption.NOFOLLOW_LINKS)) {
                continue;
            }
            String where = "segments/" + id + "/" + SegmentManifest.FILE;
            String json;
            try {
                json = Files.readString(file, StandardCharsets.UTF_8);
            } catch (IOException e) {
                throw new SnapshotException(Kind.IO, "cannot read " + where + ": " + e.getMessage(), e);
            }
            SegmentManifest manifest = SnapshotManifest.parseSegment(json, where);
            if (!manifest.segmentId().equals(id)) {
                throw mismatch(where + " describes segment " + manifest.segmentId());
            }
            if (Files.isRegularFile(segment.resolve(SegmentState.FILE))) {
                long stateVersion;
                try {
                    stateVersion = SegmentState.read(segment).version().orElse(0);
                } catch (EdgeException e) {
                    throw new SnapshotException(Kind.CORRUPT_SEGMENT, "segments/" + id + "/" + SegmentState.FILE
                            + " cannot be read: " + e.getMessage(), e);
                }
                if (stateVersion > manifest.segmentVersion()) {
                    throw mismatch("segments/" + id + " is at version " + stateVersion + " but its manifest says "
                            + manifest.segmentVersion());
                }
            }
            for (String listed : SegmentFiles.list(segment)) {
                if (!manifest.fileVersions().containsKey(listed)) {
                    throw mismatch("segments/" + id + "/" + listed + " is in the snapshot but not in its manifest");
                }
            }
            manifests.put(id, manifest);
        }
        SnapshotManifest manifest = new SnapshotManifest(manifests);
        manifest.validate();
        return manifest;
    }

    private static SnapshotException mismatch(String message) {
        return new SnapshotException(Kind.MANIFEST_MISMATCH, "invalid partial snapshot: " + message);
    }
}
