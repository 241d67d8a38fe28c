package dev.qdrantedge.engine.idtracker;

import dev.qdrantedge.engine.EdgeFormatException;
import dev.qdrantedge.engine.io.BinaryFiles;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.BitSet;

/**
 * Reads the id tracker of non-appendable (optimized) segments: {@code id_tracker.mappings} (a count, then
 * one entry per internal id), {@code id_tracker.versions} (u64 per internal id) and
 * {@code id_tracker.deleted} (a bit per internal id, LSB first in little-endian u64 words).
 */
public final class ImmutableIdTrackerReader {

    public static final String MAPPINGS_FILE = "id_tracker.mappings";
    public static final String VERSIONS_FILE = "id_tracker.versions";
    public static final String DELETED_FILE = "id_tracker.deleted";

    private ImmutableIdTrackerReader() {
    }

    public static IdTracker read(Path segmentDir) {
        Path mappingsFile = segmentDir.resolve(MAPPINGS_FILE);
        ByteBuffer mappings = BinaryFiles.readAll(mappingsFile);
        ByteBuffer versionBytes = BinaryFiles.readAll(segmentDir.resolve(VERSIONS_FILE));
        ByteBuffer deletedBytes = BinaryFiles.readAll(segmentDir.resolve(DELETED_FILE));

        if (mappings.remaining() < Long.BYTES) {
            throw new EdgeFormatException(mappingsFile, "truncated: no entry count");
        }
        long count = mappings.getLong();
        if (count < 0 || count > mappings.remaining() / 13) {
            throw new EdgeFormatException(mappingsFile,
                    "entry count " + Long.toUnsignedString(count) + " does not fit the file size");
        }
        PointId[] externalIds = new PointId[(int) count];
        for (int entry = 0; entry < count; entry++) {
            int start = mappings.position();
            if (!mappings.hasRemaining()) {
                throw new EdgeFormatException(mappingsFile, "truncated at entry " + entry);
            }
            byte kind = mappings.get();
            int size = switch (kind) {
                case 0 -> 8 + 4;
                case 1 -> 16 + 4;
                default -> throw new EdgeFormatException(mappingsFile,
                        "unknown id kind " + kind + " at byte " + start);
            };
            if (mappings.remaining() < size) {
                throw new EdgeFormatException(mappingsFile, "truncated at entry " + entry);
            }
            PointId external = kind == 0 ? PointId.of(mappings.getLong())
                    : PointId.of(BinaryFiles.readCanonicalUuid(mappings));
            long internal = Integer.toUnsignedLong(mappings.getInt());
            if (internal >= count) {
                throw new EdgeFormatException(mappingsFile,
                        "internal id " + internal + " beyond the entry count " + count + " at byte " + start);
            }
            externalIds[(int) internal] = external;
        }

        long[] versions = new long[versionBytes.remaining() / Long.BYTES];
        versionBytes.asLongBuffer().get(versions);

        BitSet deleted = BitSet.valueOf(deletedBytes);
        if (deleted.length() > count) {
            deleted.clear((int) count, deleted.length()); // bits past the entries are padding
        }
        return new ArrayIdTracker(externalIds, deleted, versions);
    }
}
