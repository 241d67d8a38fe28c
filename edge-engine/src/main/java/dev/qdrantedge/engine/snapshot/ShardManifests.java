package dev.qdrantedge.engine.snapshot;

import dev.qdrantedge.engine.segment.SegmentDirectories;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.TreeMap;

/** Manifests of shard directories. */
public final class ShardManifests {

    static final String SEGMENTS_DIR = "segments";

    private ShardManifests() {
    }

    /**
     * The manifest Qdrant (and Qdrant Edge's {@code snapshot_manifest()}) produces for the shard in
     * {@code shardDir} once loaded: one entry per segment directory Qdrant would load.
     */
    public static SnapshotManifest of(Path shardDir) {
        Path segments = shardDir.resolve(SEGMENTS_DIR);
        Map<String, SegmentManifest> manifests = new TreeMap<>();
        if (Files.isDirectory(segments)) {
            for (Path dir : SegmentDirectories.scan(segments)) {
                SegmentManifest manifest = SegmentFiles.manifest(dir);
                manifests.put(manifest.segmentId(), manifest);
            }
        }
        return new SnapshotManifest(manifests);
    }
}
