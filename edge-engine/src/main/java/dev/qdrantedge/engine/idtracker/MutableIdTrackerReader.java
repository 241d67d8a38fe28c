package dev.qdrantedge.engine.idtracker;

import dev.qdrantedge.engine.EdgeFormatException;
import dev.qdrantedge.engine.io.BinaryFiles;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Reads the id tracker of appendable segments: {@code mutable_id_tracker.mappings}, an append-only log of
 * insert/delete records, and {@code mutable_id_tracker.versions}, a dense array of u64 versions.
 * A truncated trailing record or version (a crash in the middle of a flush) is ignored, as Qdrant
 * ignores it; nothing is written back. Both files are created on the segment's first flush, so a missing
 * file reads as empty, as in Qdrant.
 */
public final class MutableIdTrackerReader {

    public static final String MAPPINGS_FILE = "mutable_id_tracker.mappings";
    public static final String VERSIONS_FILE = "mutable_id_tracker.versions";

    private static final byte INSERT_NUM = 1;
    private static final byte INSERT_UUID = 2;
    private static final byte DELETE_NUM = 3;
    private static final byte DELETE_UUID = 4;

    private MutableIdTrackerReader() {
    }

    public static IdTracker read(Path segmentDir) {
        Path mappingsFile = segmentDir.resolve(MAPPINGS_FILE);
        Path versionsFile = segmentDir.resolve(VERSIONS_FILE);
        ByteBuffer mappings = readIfPresent(mappingsFile);
        ByteBuffer versionBytes = readIfPresent(versionsFile);

        List<PointId> externalIds = new ArrayList<>();
        BitSet deleted = new BitSet();
        Map<PointId, Integer> links = new HashMap<>();
        while (mappings.hasRemaining()) {
            int start = mappings.position();
            byte type = mappings.get();
            int size = switch (type) {
                case INSERT_NUM -> 8 + 4;
                case INSERT_UUID -> 16 + 4;
                case DELETE_NUM -> 8;
                case DELETE_UUID -> 16;
                default -> throw new EdgeFormatException(mappingsFile,
                        "unknown record type " + type + " at byte " + start);
            };
            if (mappings.remaining() < size) {
                break; // torn trailing record: Qdrant drops it
            }
            PointId external = (type == INSERT_NUM || type == DELETE_NUM)
                    ? PointId.of(mappings.getLong())
                    : PointId.of(BinaryFiles.readCanonicalUuid(mappings));
            if (type == INSERT_NUM || type == INSERT_UUID) {
                long internalUnsigned = Integer.toUnsignedLong(mappings.getInt());
                if (internalUnsigned >= Integer.MAX_VALUE) {
                    throw new EdgeFormatException(mappingsFile,
                            "internal id " + internalUnsigned + " out of range at byte " + start);
                }
                int internal = (int) internalUnsigned;
                Integer previous = links.put(external, internal);
                if (previous != null && previous != internal) {
                    deleted.set(previous);
                    externalIds.set(previous, null);
                }
                while (externalIds.size() <= internal) {
                    deleted.set(externalIds.size());
                    externalIds.add(null);
                }
                PointId displaced = externalIds.get(internal);
                if (displaced != null && !displaced.equals(external)) {
                    links.remove(displaced);
                }
                externalIds.set(internal, external);
                deleted.clear(internal);
            } else {
                Integer internal = links.remove(external);
                if (internal != null) {
                    deleted.set(internal);
                    externalIds.set(internal, null);
                }
            }
        }

        long[] versions = new long[versionBytes.remaining() / Long.BYTES];
        versionBytes.asLongBuffer().get(versions);
        return new ArrayIdTracker(externalIds.toArray(new PointId[0]), deleted, versions);
    }

    private static ByteBuffer readIfPresent(Path file) {
        return BinaryFiles.readAllIfPresent(file).orElseGet(() -> ByteBuffer.allocate(0));
    }
}
