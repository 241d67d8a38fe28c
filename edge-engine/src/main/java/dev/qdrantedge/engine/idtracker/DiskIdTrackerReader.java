package dev.qdrantedge.engine.idtracker;

import dev.qdrantedge.engine.EdgeFormatException;
import dev.qdrantedge.engine.io.BinaryFiles;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.BitSet;
import java.util.UUID;

/**
 * Reads the disk-resident id tracker that Qdrant 1.19 writes for non-appendable segments in its serverless
 * mode. Five files, all little-endian:
 *
 * <ul>
 *   <li>{@code id_tracker.i2e}: a 32-byte header {@code u64 magic 0x51445F4932450001, u32 version 2,
 *       u32 reserved, u64 total, u64 reserved}, then {@code total} u128 values, one per internal id. A number
 *       is stored as itself; a UUID as the u128 whose big-endian bytes are the UUID's canonical bytes, so the
 *       16 bytes on disk are the canonical ones reversed.</li>
 *   <li>{@code id_tracker.is_uuid}: a stored bitmask of {@code total} bits telling which i2e values are
 *       UUIDs (see {@link StoredBitmaskReader}).</li>
 *   <li>{@code id_tracker.e2i}: the reverse map of the points live when the file was built. A 48-byte
 *       header {@code u64 magic 0x51445F4532490001, u32 version 2, u32 reserved, u64 num_count,
 *       u64 uuid_count, u32 num_block_entries, u32 uuid_block_entries, u64 reserved}; then a sparse index
 *       holding the first key of every block of each run (u64 keys for numbers, then u128 keys for UUIDs,
 *       each section starting at a multiple of 16 bytes); then the numeric run of {@code (u64 key,
 *       u32 internal id)} entries and, starting at the next multiple of 16, the UUID run of
 *       {@code (u128 key, u32 internal id)} entries. Both runs are sorted by key, encoded as in i2e.</li>
 *   <li>{@code id_tracker.versions} and {@code id_tracker.deleted}: as for the immutable tracker, a u64
 *       version and a deletion bit per internal id.</li>
 * </ul>
 *
 * <p>Lookups are served from a reverse map rebuilt from i2e; e2i is read only to check that it agrees with
 * i2e, so that a segment Qdrant would answer differently from is rejected rather than misread.
 */
public final class DiskIdTrackerReader {

    public static final String I2E_FILE = "id_tracker.i2e";
    public static final String E2I_FILE = "id_tracker.e2i";
    public static final String IS_UUID_FILE = "id_tracker.is_uuid";

    static final long I2E_MAGIC = 0x5144_5F49_3245_0001L;
    static final long E2I_MAGIC = 0x5144_5F45_3249_0001L;
    static final int FORMAT_VERSION = 2;
    static final int I2E_HEADER_SIZE = 32;
    static final int E2I_HEADER_SIZE = 48;
    static final int SECTION_ALIGN = 16;
    static final int NUM_ENTRY_SIZE = 12;
    static final int UUID_ENTRY_SIZE = 20;

    private DiskIdTrackerReader() {
    }

    public static IdTracker read(Path segmentDir) {
        Path i2eFile = segmentDir.resolve(I2E_FILE);
        Path isUuidFile = segmentDir.resolve(IS_UUID_FILE);
        Path e2iFile = segmentDir.resolve(E2I_FILE);
        Path versionsFile = segmentDir.resolve(ImmutableIdTrackerReader.VERSIONS_FILE);
        Path deletedFile = segmentDir.resolve(ImmutableIdTrackerReader.DELETED_FILE);

        ByteBuffer i2e = BinaryFiles.readAll(i2eFile);
        int total = readI2eHeader(i2eFile, i2e);

        StoredBitmaskReader.Bitmask isUuid = StoredBitmaskReader.decode(isUuidFile, BinaryFiles.readAll(isUuidFile));
        if (isUuid.length() != total) {
            throw new EdgeFormatException(isUuidFile,
                    "mask covers " + isUuid.length() + " ids, " + I2E_FILE + " holds " + total);
        }
        PointId[] externalIds = decodeI2e(i2eFile, i2e, total, isUuid.bits());

        BitSet deleted = readDeleted(deletedFile, total);
        long[] versions = readVersions(versionsFile);

        checkE2i(e2iFile, BinaryFiles.readAll(e2iFile), externalIds, deleted);

        return new ArrayIdTracker(externalIds, deleted, versions);
    }

    /**
     * The external id of every internal id, deleted ones included, from {@code id_tracker.i2e} and
     * {@code id_tracker.is_uuid}.
     */
    static PointId[] externalIds(Path segmentDir) {
        Path i2eFile = segmentDir.resolve(I2E_FILE);
        Path isUuidFile = segmentDir.resolve(IS_UUID_FILE);
        ByteBuffer i2e = BinaryFiles.readAll(i2eFile);
        int total = readI2eHeader(i2eFile, i2e);
        StoredBitmaskReader.Bitmask isUuid = StoredBitmaskReader.decode(isUuidFile, BinaryFiles.readAll(isUuidFile));
        if (isUuid.length() != total) {
            throw new EdgeFormatException(isUuidFile,
                    "mask covers " + isUuid.length() + " ids, " + I2E_FILE + " holds " + total);
        }
        return decodeI2e(i2eFile, i2e, total, isUuid.bits());
    }

    /** Checks the header and that the file holds exactly {@code total} slots; returns {@code total}. */
    private static int readI2eHeader(Path file, ByteBuffer in) {
        if (in.remaining() < I2E_HEADER_SIZE) {
            throw new EdgeFormatException(file,
                    "truncated: " + in.remaining() + " bytes, shorter than the " + I2E_HEADER_SIZE + "-byte header");
        }
        checkMagicAndVersion(file, in, I2E_MAGIC);
        in.getInt(); // reserved
        long total = in.getLong();
        in.getLong(); // reserved
        long dataBytes = in.remaining();
        if (dataBytes % 16 != 0 || Long.compareUnsigned(total, dataBytes / 16) != 0) {
            throw new EdgeFormatException(file, "header gives " + Long.toUnsignedString(total)
                    + " ids (at byte 16), the file holds " + dataBytes + " data bytes");
        }
        return (int) total; // fits: bounded by a file read into one buffer
    }

    private static PointId[] decodeI2e(Path file, ByteBuffer in, int total, BitSet isUuid) {
        PointId[] externalIds = new PointId[total];
        for (int i = 0; i < total; i++) {
            long low = in.getLong();
            long high = in.getLong();
            if (isUuid.get(i)) {
                externalIds[i] = PointId.of(new UUID(high, low));
            } else if (high != 0) {
                throw new EdgeFormatException(file, "numeric id of internal id " + i + " at byte "
                        + (I2E_HEADER_SIZE + 16L * i) + " does not fit in 64 bits");
            } else {
                externalIds[i] = PointId.of(low);
            }
        }
        return externalIds;
    }

    /** One bit per internal id, in u64 words; Qdrant sizes the file to cover every internal id. */
    private static BitSet readDeleted(Path file, int total) {
        ByteBuffer bytes = BinaryFiles.readAll(file);
        long needed = (total + 7L) / 8;
        if (bytes.remaining() < needed || bytes.remaining() % Long.BYTES != 0) {
            throw new EdgeFormatException(file, bytes.remaining() + " bytes, expected whole u64 words covering "
                    + total + " ids (at least " + needed + " bytes)");
        }
        BitSet deleted = BitSet.valueOf(bytes);
        if (deleted.length() > total) {
            deleted.clear(total, deleted.length()); // bits past the last id are padding
        }
        return deleted;
    }

    /** A u64 per internal id; ids at or beyond its length have no version, as Qdrant reads it. */
    private static long[] readVersions(Path file) {
        ByteBuffer bytes = BinaryFiles.readAll(file);
        if (bytes.remaining() % Long.BYTES != 0) {
            throw new EdgeFormatException(file,
                    bytes.remaining() + " bytes, not a whole number of u64 versions");
        }
        long[] versions = new long[bytes.remaining() / Long.BYTES];
        bytes.asLongBuffer().get(versions);
        return versions;
    }

    /**
     * Checks e2i against the decoded i2e: its layout matches its header and the file size, the sparse index
     * names the first key of every block, both runs are strictly ascending, every entry points to an
     * internal id whose i2e value is that key, no internal id appears twice, and every id not deleted has an
     * entry.
     */
    private static void checkE2i(Path file, ByteBuffer in, PointId[] externalIds, BitSet deleted) {
        int total = externalIds.length;
        long size = in.remaining();
        if (size < E2I_HEADER_SIZE) {
            throw new EdgeFormatException(file,
                    "truncated: " + size + " bytes, shorter than the " + E2I_HEADER_SIZE + "-byte header");
        }
        checkMagicAndVersion(file, in, E2I_MAGIC);
        in.getInt(); // reserved
        long numCount = in.getLong();
        long uuidCount = in.getLong();
        long numBlockEntries = Integer.toUnsignedLong(in.getInt());
        long uuidBlockEntries = Integer.toUnsignedLong(in.getInt());
        in.getLong(); // reserved
        if (numBlockEntries == 0 || uuidBlockEntries == 0) {
            throw new EdgeFormatException(file, "zero block size at byte 32");
        }
        if (Long.compareUnsigned(numCount, total) > 0 || Long.compareUnsigned(uuidCount, total) > 0
                || numCount + uuidCount > total) {
            throw new EdgeFormatException(file, "header gives " + Long.toUnsignedString(numCount) + " numeric and "
                    + Long.toUnsignedString(uuidCount) + " UUID entries (at byte 16), more than the " + total
                    + " ids of " + I2E_FILE);
        }
        long numBlocks = ceilDiv(numCount, numBlockEntries);
        long uuidBlocks = ceilDiv(uuidCount, uuidBlockEntries);
        long numSparseAt = E2I_HEADER_SIZE;
        long uuidSparseAt = align(numSparseAt + numBlocks * Long.BYTES);
        long numRunAt = uuidSparseAt + uuidBlocks * 16;
        long uuidRunAt = align(numRunAt + numCount * NUM_ENTRY_SIZE);
        long end = uuidRunAt + uuidCount * UUID_ENTRY_SIZE;
        if (end != size) {
            throw new EdgeFormatException(file, "header counts imply " + end + " bytes, the file holds " + size);
        }

        BitSet seen = new BitSet(total);
        boolean hasPrevious = false;
        long previous = 0;
        for (long k = 0; k < numCount; k++) {
            int at = (int) (numRunAt + k * NUM_ENTRY_SIZE);
            long key = in.getLong(at);
            if (k % numBlockEntries == 0) {
                int sparseAt = (int) (numSparseAt + k / numBlockEntries * Long.BYTES);
                if (in.getLong(sparseAt) != key) {
                    throw new EdgeFormatException(file, "sparse index at byte " + sparseAt + " does not name the first"
                            + " key of numeric block " + k / numBlockEntries);
                }
            }
            if (hasPrevious && Long.compareUnsigned(key, previous) <= 0) {
                throw new EdgeFormatException(file, "numeric run not strictly ascending at byte " + at);
            }
            hasPrevious = true;
            previous = key;
            int internal = checkedInternalId(file, in.getInt(at + 8), at, total, seen);
            if (!PointId.of(key).equals(externalIds[internal])) {
                throw mismatch(file, at, PointId.of(key), internal, externalIds[internal]);
            }
        }
        hasPrevious = false;
        long previousHigh = 0;
        long previousLow = 0;
        for (long k = 0; k < uuidCount; k++) {
            int at = (int) (uuidRunAt + k * UUID_ENTRY_SIZE);
            long low = in.getLong(at);
            long high = in.getLong(at + 8);
            if (k % uuidBlockEntries == 0) {
                int sparseAt = (int) (uuidSparseAt + k / uuidBlockEntries * 16);
                if (in.getLong(sparseAt) != low || in.getLong(sparseAt + 8) != high) {
                    throw new EdgeFormatException(file, "sparse index at byte " + sparseAt + " does not name the first"
                            + " key of UUID block " + k / uuidBlockEntries);
                }
            }
            int order = Long.compareUnsigned(high, previousHigh);
            if (hasPrevious && (order < 0 || order == 0 && Long.compareUnsigned(low, previousLow) <= 0)) {
                throw new EdgeFormatException(file, "UUID run not strictly ascending at byte " + at);
            }
            hasPrevious = true;
            previousHigh = high;
            previousLow = low;
            int internal = checkedInternalId(file, in.getInt(at + 16), at, total, seen);
            PointId key = PointId.of(new UUID(high, low));
            if (!key.equals(externalIds[internal])) {
                throw mismatch(file, at, key, internal, externalIds[internal]);
            }
        }
        for (int i = 0; i < total; i++) {
            if (!deleted.get(i) && !seen.get(i)) {
                throw new EdgeFormatException(file,
                        "no entry for internal id " + i + " (external id " + externalIds[i] + "), which is not deleted");
            }
        }
    }

    private static int checkedInternalId(Path file, int raw, int entryAt, int total, BitSet seen) {
        long internal = Integer.toUnsignedLong(raw);
        if (internal >= total) {
            throw new EdgeFormatException(file, "entry at byte " + entryAt + " names internal id " + internal
                    + ", beyond the " + total + " ids of " + I2E_FILE);
        }
        if (seen.get((int) internal)) {
            throw new EdgeFormatException(file,
                    "entry at byte " + entryAt + " names internal id " + internal + " a second time");
        }
        seen.set((int) internal);
        return (int) internal;
    }

    private static EdgeFormatException mismatch(Path file, int entryAt, PointId key, int internal, PointId actual) {
        return new EdgeFormatException(file, "entry at byte " + entryAt + " maps " + key + " to internal id "
                + internal + ", which " + I2E_FILE + " gives as " + actual);
    }

    private static void checkMagicAndVersion(Path file, ByteBuffer in, long magic) {
        long actualMagic = in.getLong();
        if (actualMagic != magic) {
            throw new EdgeFormatException(file, "bad magic 0x" + Long.toHexString(actualMagic) + " at byte 0");
        }
        int version = in.getInt();
        if (version != FORMAT_VERSION) {
            throw new EdgeFormatException(file, "unsupported format version " + Integer.toUnsignedString(version)
                    + " at byte 8 (supported: " + FORMAT_VERSION + ")");
        }
    }

    private static long ceilDiv(long count, long per) {
        return (count + per - 1) / per;
    }

    private static long align(long offset) {
        return (offset + SECTION_ALIGN - 1) / SECTION_ALIGN * SECTION_ALIGN;
    }
}
