package dev.qdrantedge.engine.segment;

import dev.qdrantedge.engine.EdgeFormatException;
import dev.qdrantedge.engine.io.JsonFiles;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.List;
import java.util.OptionalLong;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

/**
 * Writes a segment's {@code segment.json} (compact JSON, fields in Qdrant's order) and {@code version.info}.
 * Files are replaced atomically: written to a temporary sibling, forced, then renamed over the target.
 */
public final class SegmentStateFile {

    /** The segment format version every supported Qdrant release writes. */
    public static final String SEGMENT_VERSION = "0.6.0";

    private static final JsonMapper JSON = JsonMapper.builder().build();

    private SegmentStateFile() {
    }

    /**
     * The {@code segment.json} of a plain-index appendable segment, byte for byte as Qdrant serializes it.
     * {@code sparse_vector_data} is omitted when there are no sparse vectors, as Qdrant omits it.
     */
    public static String appendableStateJson(OptionalLong initialVersion, OptionalLong version,
            List<AppendableSegmentCreator.DenseVector> dense, List<AppendableSegmentCreator.SparseVector> sparse,
            boolean onDiskPayload) {
        StringBuilder out = new StringBuilder(256);
        out.append("{\"initial_version\":").append(optional(initialVersion));
        out.append(",\"version\":").append(optional(version));
        out.append(",\"config\":{\"vector_data\":{");
        for (int i = 0; i < dense.size(); i++) {
            AppendableSegmentCreator.DenseVector v = dense.get(i);
            if (i > 0) {
                out.append(',');
            }
            out.append(quote(v.name())).append(":{\"size\":").append(v.size())
                    .append(",\"distance\":").append(quote(v.distance().jsonName()))
                    .append(",\"storage_type\":").append(quote(v.storageType().jsonName()))
                    .append(",\"index\":{\"type\":\"plain\",\"options\":{}},\"quantization_config\":null");
            if (v.multivector()) {
                out.append(",\"multivector_config\":{\"comparator\":\"max_sim\"}");
            }
            if (v.datatype() != null) {
                out.append(",\"datatype\":").append(quote(v.datatype().jsonName()));
            }
            out.append('}');
        }
        out.append('}');
        if (!sparse.isEmpty()) {
            out.append(",\"sparse_vector_data\":{");
            for (int i = 0; i < sparse.size(); i++) {
                AppendableSegmentCreator.SparseVector s = sparse.get(i);
                if (i > 0) {
                    out.append(',');
                }
                out.append(quote(s.name())).append(":{\"index\":{\"full_scan_threshold\":null,"
                        + "\"index_type\":\"MutableRam\"");
                if (s.indexDatatype() != null) {
                    out.append(",\"datatype\":").append(quote(s.indexDatatype().jsonName()));
                }
                out.append("},\"storage_type\":\"mmap\"");
                if (s.idf()) {
                    out.append(",\"modifier\":\"idf\"");
                }
                out.append('}');
            }
            out.append('}');
        }
        out.append(",\"payload_storage_type\":{\"type\":").append(onDiskPayload ? "\"mmap\"" : "\"in_ram_mmap\"");
        out.append("}}}");
        return out.toString();
    }

    /** Writes {@code json} as the segment's {@code segment.json}. */
    public static void write(Path segmentDir, String json) {
        atomicWrite(segmentDir.resolve(SegmentState.FILE), json.getBytes(StandardCharsets.UTF_8));
    }

    /**
     * Sets {@code version} in the segment's existing {@code segment.json}, keeping every other field and the
     * field order; a version below the stored one is refused (Qdrant only raises it).
     */
    public static void updateVersion(Path segmentDir, long version) {
        Path file = segmentDir.resolve(SegmentState.FILE);
        JsonNode root = JsonFiles.readTree(file);
        if (!(root instanceof ObjectNode)) {
            throw new EdgeFormatException(file, "not a JSON object");
        }
        JsonNode current = root.get("version");
        if (current != null && !current.isNull() && Long.compareUnsigned(current.asLong(), version) > 0) {
            throw new IllegalArgumentException("segment version " + current.asLong() + " is above " + version);
        }
        ((ObjectNode) root).put("version", version);
        write(segmentDir, JSON.writeValueAsString(root));
    }

    /** Writes {@code version.info} ({@value #SEGMENT_VERSION}, no newline): the segment-is-complete marker. */
    public static void writeVersionInfo(Path segmentDir) {
        atomicWrite(segmentDir.resolve(SegmentDirectories.VERSION_FILE),
                SEGMENT_VERSION.getBytes(StandardCharsets.US_ASCII));
    }

    static void atomicWrite(Path target, byte[] bytes) {
        Path temp = target.resolveSibling(target.getFileName() + ".tmp");
        try {
            try (FileChannel channel = FileChannel.open(temp, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                    StandardOpenOption.TRUNCATE_EXISTING)) {
                ByteBuffer buffer = ByteBuffer.wrap(bytes);
                while (buffer.hasRemaining()) {
                    channel.write(buffer);
                }
                channel.force(true);
            }
            Files.move(temp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + target, e);
        }
    }

    private static String optional(OptionalLong value) {
        return value.isPresent() ? Long.toUnsignedString(value.getAsLong()) : "null";
    }

    private static String quote(String text) {
        return JSON.writeValueAsString(text);
    }
}
