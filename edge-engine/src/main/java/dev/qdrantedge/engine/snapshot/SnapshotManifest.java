package dev.qdrantedge.engine.snapshot;

import java.util.Collections;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.TreeMap;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

/**
 * The manifest of a shard: one {@link SegmentManifest} per segment, keyed by segment id. Its JSON form is
 * Qdrant's ({@code GET .../snapshot/partial/manifest}, Qdrant Edge's {@code snapshot_manifest()}); an empty
 * manifest ({@code {}}) asks a server for everything.
 */
public record SnapshotManifest(Map<String, SegmentManifest> segments) {

    private static final JsonMapper JSON = JsonMapper.builder().build();

    public SnapshotManifest {
        segments = Collections.unmodifiableSortedMap(new TreeMap<>(segments));
    }

    public static SnapshotManifest empty() {
        return new SnapshotManifest(Map.of());
    }

    public boolean isEmpty() {
        return segments.isEmpty();
    }

    public Optional<SegmentManifest> segment(String segmentId) {
        return Optional.ofNullable(segments.get(segmentId));
    }

    /** Qdrant's JSON form, keys sorted. */
    public ObjectNode toJson() {
        ObjectNode root = JSON.createObjectNode();
        for (SegmentManifest segment : segments.values()) {
            root.set(segment.segmentId(), segmentJson(segment));
        }
        return root;
    }

    public String toJsonString() {
        return JSON.writeValueAsString(toJson());
    }

    static ObjectNode segmentJson(SegmentManifest segment) {
        ObjectNode node = JSON.createObjectNode();
        node.put("segment_id", segment.segmentId());
        node.put("segment_version", segment.segmentVersion());
        ObjectNode files = node.putObject("file_versions");
        for (Map.Entry<String, OptionalLong> e : segment.fileVersions().entrySet()) {
            if (e.getValue().isPresent()) {
                files.put(e.getKey(), e.getValue().getAsLong());
            } else {
                files.putNull(e.getKey());
            }
        }
        return node;
    }

    /**
     * Parses Qdrant's JSON form.
     *
     * @throws SnapshotException of kind {@link SnapshotException.Kind#MANIFEST_MISMATCH} when it is not one
     */
    public static SnapshotManifest parse(String json) {
        JsonNode root;
        try {
            root = JSON.readTree(json);
        } catch (JacksonException e) {
            throw mismatch("not JSON: " + e.getOriginalMessage(), e);
        }
        if (root == null || !root.isObject()) {
            throw mismatch("a snapshot manifest must be a JSON object", null);
        }
        Map<String, SegmentManifest> segments = new TreeMap<>();
        for (Map.Entry<String, JsonNode> e : root.properties()) {
            SegmentManifest segment = parseSegment(e.getValue(), e.getKey());
            if (!segment.segmentId().equals(e.getKey())) {
                throw mismatch("segment " + e.getKey() + " has a manifest for segment " + segment.segmentId(), null);
            }
            segments.put(e.getKey(), segment);
        }
        return new SnapshotManifest(segments);
    }

    static SegmentManifest parseSegment(String json, String where) {
        try {
            return parseSegment(JSON.readTree(json), where);
        } catch (JacksonException e) {
            throw mismatch(where + ": not JSON: " + e.getOriginalMessage(), e);
        }
    }

    static SegmentManifest parseSegment(JsonNode node, String where) {
        if (node == null || !node.isObject()) {
            throw mismatch(where + ": a segment manifest must be a JSON object", null);
        }
        JsonNode id = node.get("segment_id");
        JsonNode version = node.get("segment_version");
        JsonNode files = node.get("file_versions");
        if (id == null || !id.isString()) {
            throw mismatch(where + ": segment_id must be a string", null);
        }
        if (version == null || !version.isIntegralNumber() || !version.canConvertToLong() || version.asLong() < 0) {
            throw mismatch(where + ": segment_version must be an unsigned integer", null);
        }
        if (files == null || !files.isObject()) {
            throw mismatch(where + ": file_versions must be an object", null);
        }
        Map<String, OptionalLong> versions = new TreeMap<>();
        for (Map.Entry<String, JsonNode> f : files.properties()) {
            JsonNode v = f.getValue();
            if (v.isNull()) {
                versions.put(f.getKey(), OptionalLong.empty());
            } else if (v.isIntegralNumber() && v.canConvertToLong() && v.asLong() >= 0) {
                versions.put(f.getKey(), OptionalLong.of(v.asLong()));
            } else {
                throw mismatch(where + ": version of " + f.getKey() + " must be an unsigned integer or null", null);
            }
        }
        return new SegmentManifest(id.asString(), version.asLong(), versions);
    }

    /**
     * Qdrant's check on both sides of a partial snapshot: no file may be newer than its segment.
     *
     * @throws SnapshotException of kind {@link SnapshotException.Kind#MANIFEST_MISMATCH}
     */
    public void validate() {
        for (SegmentManifest segment : segments.values()) {
            for (String file : segment.fileVersions().keySet()) {
                long version = segment.resolvedVersion(file).getAsLong();
                if (version > segment.segmentVersion()) {
                    throw mismatch("file " + segment.segmentId() + "/" + file + " has version " + version
                            + ", newer than its segment (" + segment.segmentVersion() + ")", null);
                }
            }
        }
    }

    private static SnapshotException mismatch(String message, Throwable cause) {
        return new SnapshotException(SnapshotException.Kind.MANIFEST_MISMATCH, "invalid snapshot manifest: " + message,
                cause);
    }
}
