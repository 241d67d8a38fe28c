package dev.qdrantedge.engine.snapshot;

import java.util.Collections;
import java.util.Map;
import java.util.Objects;
import java.util.OptionalLong;
import java.util.TreeMap;

/**
 * What one segment holds, as Qdrant describes it in partial snapshots: its id, its version, and a version
 * for each of its files, relative to the segment directory with {@code /} separators. An empty
 * {@link OptionalLong} is Qdrant's {@code null} ("unversioned"): the file is as new as the segment.
 *
 * @param segmentId the segment directory's name
 * @param segmentVersion the segment's version ({@code segment.json} {@code version}, 0 when it has none)
 * @param fileVersions files and their versions, sorted by path
 */
public record SegmentManifest(String segmentId, long segmentVersion, Map<String, OptionalLong> fileVersions) {

    /** The file name of a segment manifest inside a segment of a partial snapshot. */
    public static final String FILE = "segment_manifest.json";

    public SegmentManifest {
        Objects.requireNonNull(segmentId, "segmentId");
        fileVersions = Collections.unmodifiableSortedMap(new TreeMap<>(fileVersions));
    }

    /** The manifest of a segment the other side does not have. */
    public static SegmentManifest empty(String segmentId) {
        return new SegmentManifest(segmentId, 0, Map.of());
    }

    /** The version of {@code file} with {@code null} resolved to the segment version; empty if not listed. */
    public OptionalLong resolvedVersion(String file) {
        OptionalLong version = fileVersions.get(file);
        if (version == null) {
            return OptionalLong.empty();
        }
        return OptionalLong.of(version.isPresent() ? version.getAsLong() : segmentVersion);
    }

    /**
     * Whether {@code file} of this (newer) manifest belongs in a partial snapshot for a requester that has
     * {@code old}: Qdrant includes it when the requester lacks it, has an older version, or both versions are
     * 0 (a new, empty segment and a segment that applied operation 0 cannot be told apart).
     */
    public boolean isUpdatedSince(SegmentManifest old, String file) {
        long current = resolvedVersion(file).orElseThrow(() -> new IllegalArgumentException("not listed: " + file));
        OptionalLong previous = old.resolvedVersion(file);
        if (previous.isEmpty()) {
            return true;
        }
        return previous.getAsLong() < current || (previous.getAsLong() == 0 && current == 0);
    }
}
