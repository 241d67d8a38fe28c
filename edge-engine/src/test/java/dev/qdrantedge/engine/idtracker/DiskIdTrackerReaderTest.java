package dev.qdrantedge.engine.idtracker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.qdrantedge.engine.EdgeFormatException;
import dev.qdrantedge.engine.segment.Segment;
import dev.qdrantedge.engine.segment.SegmentState;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.BitSet;
import java.util.Collections;
import java.util.HexFormat;
import java.util.List;
import java.util.Random;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.roaringbitmap.RoaringBitmap;

/**
 * The disk id tracker read from files made by {@link Writer}, a test-only writer that lays the files out as
 * Qdrant 1.19 does. No sample written by Qdrant exists, so the writer is the reference; the byte-level
 * assertions on its output pin the layout independently of the reader.
 */
class DiskIdTrackerReaderTest {

    private static final UUID KNOWN = UUID.fromString("550e8400-e29b-41d4-a716-446655440000");
    private static final UUID OTHER = UUID.fromString("00000000-0000-0000-0000-000000000001");

    @TempDir
    Path dir;

    // ---------------------------------------------------------------------------------------------------
    // Reading

    @Test
    void readsNumericAndUuidIds() throws IOException {
        Writer w = new Writer(ids(PointId.of(10), PointId.of(KNOWN), PointId.of(0), PointId.of(-1L),
                PointId.of(OTHER)));
        w.versions = new long[] {5, 6, 0, 8, 9};
        w.write(dir);

        IdTracker tracker = DiskIdTrackerReader.read(dir);

        assertThat(tracker.totalPointCount()).isEqualTo(5);
        assertThat(tracker.liveCount()).isEqualTo(5);
        assertThat(tracker.externalId(0)).isEqualTo(PointId.of(10));
        assertThat(tracker.externalId(1)).isEqualTo(PointId.of(KNOWN));
        assertThat(tracker.externalId(2)).isEqualTo(PointId.of(0));
        assertThat(tracker.externalId(3)).isEqualTo(PointId.parse("18446744073709551615"));
        assertThat(tracker.externalId(4)).isEqualTo(PointId.of(OTHER));
        assertThat(tracker.version(2)).as("version 0 is still a version").isZero();
        assertThat(tracker.version(4)).isEqualTo(9);
        for (int i = 0; i < 5; i++) {
            assertThat(tracker.internalId(tracker.externalId(i))).isEqualTo(i);
        }
        assertThat(tracker.internalId(PointId.of(11))).isEqualTo(-1);
        assertThat(tracker.internalId(PointId.of(UUID.randomUUID()))).isEqualTo(-1);
    }

    @Test
    void uuidSlotsHoldTheCanonicalBytesReversedAndNumbersAreU128() throws IOException {
        new Writer(ids(PointId.of(0x0102030405060708L), PointId.of(KNOWN))).write(dir);
        byte[] i2e = Files.readAllBytes(dir.resolve(DiskIdTrackerReader.I2E_FILE));

        assertThat(HexFormat.of().formatHex(i2e, 0, 32)).isEqualTo(
                "01004532495f4451" + "02000000" + "00000000" + "0200000000000000" + "0000000000000000");
        assertThat(HexFormat.of().formatHex(i2e, 32, 48)).isEqualTo("08070605040302010000000000000000");
        // 550e8400-e29b-41d4-a716-446655440000, byte for byte from the end
        assertThat(HexFormat.of().formatHex(i2e, 48, 64)).isEqualTo("00004455664416a7d4419be200840e55");
        // and the same key in the UUID run of e2i, followed by its internal id
        byte[] e2i = Files.readAllBytes(dir.resolve(DiskIdTrackerReader.E2I_FILE));
        assertThat(HexFormat.of().formatHex(e2i, e2i.length - 20, e2i.length))
                .isEqualTo("00004455664416a7d4419be200840e55" + "01000000");

        IdTracker tracker = DiskIdTrackerReader.read(dir);
        assertThat(tracker.externalId(1)).isEqualTo(PointId.of(KNOWN));
        assertThat(tracker.internalId(PointId.of(KNOWN))).isEqualTo(1);
    }

    @Test
    void e2iLayoutOfASmallMapping() throws IOException {
        // two numeric ids, one UUID: one block per run, so one sparse key each
        new Writer(ids(PointId.of(7), PointId.of(OTHER), PointId.of(3))).write(dir);
        byte[] e2i = Files.readAllBytes(dir.resolve(DiskIdTrackerReader.E2I_FILE));

        HexFormat hex = HexFormat.of();
        assertThat(hex.formatHex(e2i, 0, 48)).isEqualTo("01004932455f4451" + "02000000" + "00000000"
                + "0200000000000000" + "0100000000000000" + "55050000" + "33030000" + "0000000000000000");
        assertThat(hex.formatHex(e2i, 48, 64)).as("numeric sparse key, padded to 16")
                .isEqualTo("0300000000000000" + "0000000000000000");
        assertThat(hex.formatHex(e2i, 64, 80)).as("UUID sparse key").isEqualTo("01000000000000000000000000000000");
        assertThat(hex.formatHex(e2i, 80, 104)).as("numeric run, sorted")
                .isEqualTo("0300000000000000" + "02000000" + "0700000000000000" + "00000000");
        assertThat(hex.formatHex(e2i, 104, 112)).as("pad to 16").isEqualTo("0000000000000000");
        assertThat(hex.formatHex(e2i, 112, e2i.length)).as("UUID run")
                .isEqualTo("01000000000000000000000000000000" + "01000000");
        assertThat(DiskIdTrackerReader.read(dir).internalId(PointId.of(3))).isEqualTo(2);
    }

    @Test
    void deletedPointsAreNotLive() throws IOException {
        Writer w = new Writer(ids(PointId.of(1), PointId.of(2), PointId.of(KNOWN), PointId.of(1), PointId.of(4)));
        w.deletedAtBuild.set(0); // id 1 moved from slot 0 to slot 3 before the segment was built
        w.deletedAfterBuild.set(2); // the UUID was deleted later: still in e2i, flagged in the deleted file
        w.write(dir);

        IdTracker tracker = DiskIdTrackerReader.read(dir);

        assertThat(tracker.liveCount()).isEqualTo(3);
        assertThat(tracker.isLive(0)).isFalse();
        assertThat(tracker.isLive(2)).isFalse();
        assertThat(tracker.internalId(PointId.of(1))).isEqualTo(3);
        assertThat(tracker.internalId(PointId.of(KNOWN))).isEqualTo(-1);
        assertThatThrownBy(() -> tracker.externalId(2)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void pointsBeyondTheVersionsFileHaveNoVersionAndAreNotLive() throws IOException {
        Writer w = new Writer(ids(PointId.of(1), PointId.of(2), PointId.of(3)));
        w.versions = new long[] {4, 5};
        w.write(dir);

        IdTracker tracker = DiskIdTrackerReader.read(dir);

        assertThat(tracker.liveCount()).isEqualTo(2);
        assertThat(tracker.isLive(2)).isFalse();
        assertThat(tracker.internalId(PointId.of(3))).isEqualTo(-1);
        assertThat(tracker.version(1)).isEqualTo(5);
    }

    @Test
    void emptyTracker() throws IOException {
        new Writer(ids()).write(dir);

        IdTracker tracker = DiskIdTrackerReader.read(dir);

        assertThat(tracker.totalPointCount()).isZero();
        assertThat(tracker.liveCount()).isZero();
    }

    @ParameterizedTest(name = "{0} numbers, {1} UUIDs, blocks of {2}/{3}")
    @CsvSource({
        "3000, 2000, 1365, 819",  // Qdrant's block sizes, several blocks per run
        "1365, 819, 1365, 819",   // runs exactly one full block each
        "0, 50, 1365, 819",       // no numeric run
        "50, 0, 1365, 819",       // no UUID run
        "101, 37, 3, 2",          // small blocks: many sparse keys and odd paddings
        "5, 7, 1, 1",
    })
    void manyIdsAcrossBlocks(int numbers, int uuids, int numBlock, int uuidBlock) throws IOException {
        Random random = new Random(numbers * 31L + uuids);
        List<PointId> ids = new ArrayList<>();
        for (int i = 0; i < numbers; i++) {
            ids.add(PointId.of(random.nextLong()));
        }
        for (int i = 0; i < uuids; i++) {
            ids.add(PointId.of(new UUID(random.nextLong(), random.nextLong())));
        }
        Collections.shuffle(ids, random);
        Writer w = new Writer(ids.toArray(PointId[]::new));
        w.numBlockEntries = numBlock;
        w.uuidBlockEntries = uuidBlock;
        for (int i = 0; i < ids.size(); i++) {
            if (random.nextInt(10) == 0) {
                (random.nextBoolean() ? w.deletedAtBuild : w.deletedAfterBuild).set(i);
            }
        }
        w.write(dir);

        IdTracker tracker = DiskIdTrackerReader.read(dir);

        int live = 0;
        for (int i = 0; i < ids.size(); i++) {
            boolean deleted = w.deletedAtBuild.get(i) || w.deletedAfterBuild.get(i);
            assertThat(tracker.isLive(i)).isEqualTo(!deleted);
            if (!deleted) {
                live++;
                assertThat(tracker.externalId(i)).isEqualTo(ids.get(i));
                assertThat(tracker.version(i)).isEqualTo(w.versions[i]);
                assertThat(tracker.internalId(ids.get(i))).isEqualTo(i);
            }
        }
        assertThat(tracker.liveCount()).isEqualTo(live);
    }

    @ParameterizedTest(name = "{0} ids, UUIDs at {1}..{2} -> encoding {3}")
    @CsvSource({
        "10, 2, 5, 0",        // too small for roaring to pay off: dense
        "5000, 100, 300, 1",  // few UUIDs: roaring of the ones (a run container)
        "5000, 10, 4990, 2",  // mostly UUIDs: roaring of the zeros
        "5000, 0, 0, 1",      // no UUIDs: an empty roaring bitmap
        "5000, 0, 5000, 2",   // all UUIDs: an empty roaring bitmap of zeros
    })
    void isUuidInEveryEncoding(int total, int uuidFrom, int uuidTo, int expectedEncoding) throws IOException {
        PointId[] ids = new PointId[total];
        for (int i = 0; i < total; i++) {
            ids[i] = i >= uuidFrom && i < uuidTo ? PointId.of(new UUID(7, i)) : PointId.of(i * 3L);
        }
        new Writer(ids).write(dir);
        ByteBuffer header = ByteBuffer.wrap(Files.readAllBytes(dir.resolve(DiskIdTrackerReader.IS_UUID_FILE)))
                .order(ByteOrder.LITTLE_ENDIAN);
        assertThat(header.getInt(16)).as("encoding the writer chose").isEqualTo(expectedEncoding);

        IdTracker tracker = DiskIdTrackerReader.read(dir);

        for (int i = 0; i < total; i++) {
            assertThat(tracker.externalId(i)).isEqualTo(ids[i]);
        }
    }

    // ---------------------------------------------------------------------------------------------------
    // The roaring payload, against an independent implementation

    @Test
    void roaringArrayContainersWithoutRuns() {
        RoaringBitmap ones = RoaringBitmap.bitmapOf(0, 5, 65535, 65536, 70000, 200000, 300001, 400000);
        assertDecodes(ones, 400001);
    }

    @Test
    void roaringRunContainersFewAndMany() {
        RoaringBitmap few = new RoaringBitmap();
        few.add(10L, 2000L);
        few.add(70000L, 70003L);
        few.runOptimize();
        assertThat(few.hasRunCompression()).isTrue();
        assertDecodes(few, 80000); // run cookie, fewer than 4 containers: no offset header

        RoaringBitmap many = new RoaringBitmap();
        for (long c = 0; c < 6; c++) {
            many.add(c * 65536 + 100, c * 65536 + 900);
            many.add((int) (c * 65536 + 1000));
        }
        many.runOptimize();
        assertThat(many.hasRunCompression()).isTrue();
        assertDecodes(many, 6 * 65536); // run cookie with offset header
    }

    @Test
    void roaringBitmapContainer() {
        RoaringBitmap ones = new RoaringBitmap();
        for (int i = 0; i < 65536; i += 2) {
            ones.add(i);
        }
        ones.add(100000);
        assertDecodes(ones, 100001);
    }

    @Test
    void roaringPositionBeyondTheMaskIsRejected() {
        Path file = dir.resolve("mask");
        ByteBuffer bytes = bitmaskFile(100, 1, RoaringBitmap.bitmapOf(3, 100));
        assertThatThrownBy(() -> StoredBitmaskReader.decode(file, bytes))
                .isInstanceOf(EdgeFormatException.class).hasMessageContaining("out of 100 bits");
    }

    @Test
    void roaringCardinalityBeyondThePayloadIsRejected() {
        Path file = dir.resolve("mask");
        ByteBuffer bytes = bitmaskFile(100, 1, RoaringBitmap.bitmapOf(3, 4));
        bytes.putShort(32 + 8 + 2, (short) 2); // cardinality - 1 of the only container: 3 instead of 2
        assertThatThrownBy(() -> StoredBitmaskReader.decode(file, bytes))
                .isInstanceOf(EdgeFormatException.class).hasMessageContaining("truncated");
    }

    private void assertDecodes(RoaringBitmap ones, int length) {
        StoredBitmaskReader.Bitmask mask = StoredBitmaskReader.decode(dir.resolve("mask"), bitmaskFile(length, 1, ones));
        assertThat(mask.length()).isEqualTo(length);
        assertThat(mask.bits().stream().toArray()).isEqualTo(ones.toArray());

        RoaringBitmap zeros = RoaringBitmap.flip(ones, 0L, length);
        StoredBitmaskReader.Bitmask inverted =
                StoredBitmaskReader.decode(dir.resolve("mask"), bitmaskFile(length, 2, zeros));
        assertThat(inverted.bits().stream().toArray()).isEqualTo(ones.toArray());
    }

    private static ByteBuffer bitmaskFile(long length, int encoding, RoaringBitmap payload) {
        ByteBuffer out = ByteBuffer.allocate(32 + payload.serializedSizeInBytes()).order(ByteOrder.LITTLE_ENDIAN);
        out.put("QBMK".getBytes(StandardCharsets.US_ASCII)).putInt(1).putLong(length).putInt(encoding).putInt(0)
                .putLong(payload.serializedSizeInBytes());
        payload.serialize(out);
        return out.flip();
    }

    // ---------------------------------------------------------------------------------------------------
    // Corruption

    @ParameterizedTest(name = "{0}: u32 at byte {1} set to {2}")
    @CsvSource({
        "id_tracker.i2e, 0, 0, bad magic",
        "id_tracker.i2e, 8, 1, unsupported format version 1",
        "id_tracker.i2e, 16, 4, header gives 4 ids",
        "id_tracker.e2i, 4, 0, bad magic",
        "id_tracker.e2i, 8, 3, unsupported format version 3",
        "id_tracker.e2i, 16, 1, header counts imply",
        "id_tracker.e2i, 32, 0, zero block size",
        "id_tracker.e2i, 24, 9, more than the 3 ids",
        "id_tracker.is_uuid, 0, 0, bad magic",
        "id_tracker.is_uuid, 4, 2, unsupported stored bitmask version 2",
        "id_tracker.is_uuid, 8, 4, mask covers 4 ids",
        "id_tracker.is_uuid, 16, 7, unknown stored bitmask encoding 7",
        "id_tracker.is_uuid, 24, 0, dense payload of 0 bytes is too short",
    })
    void corruptHeadersAreRejected(String fileName, int at, int value, String message) throws IOException {
        new Writer(ids(PointId.of(1), PointId.of(KNOWN), PointId.of(2))).write(dir);
        Path file = dir.resolve(fileName);
        byte[] bytes = Files.readAllBytes(file);
        ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN).putInt(at, value);
        if (fileName.equals("id_tracker.is_uuid") && at == 24) {
            bytes = Arrays.copyOf(bytes, 32 + value); // keep payload_len equal to what the file holds
        }
        Files.write(file, bytes);

        assertRejected(file, message);
    }

    @ParameterizedTest(name = "{0} cut to {1} bytes from the end")
    @CsvSource({
        "id_tracker.i2e, 16, the file holds 32 data bytes",
        "id_tracker.i2e, 1, data bytes",
        "id_tracker.e2i, 1, the file holds",
        "id_tracker.e2i, 4, the file holds",
        "id_tracker.is_uuid, 1, the file holds",
        "id_tracker.deleted, 8, expected whole u64 words covering 3 ids",
        "id_tracker.versions, 3, not a whole number of u64 versions",
    })
    void truncatedFilesAreRejected(String fileName, int cut, String message) throws IOException {
        new Writer(ids(PointId.of(1), PointId.of(KNOWN), PointId.of(2))).write(dir);
        Path file = dir.resolve(fileName);
        byte[] bytes = Files.readAllBytes(file);
        Files.write(file, Arrays.copyOf(bytes, bytes.length - cut));

        assertRejected(file, message);
    }

    @ParameterizedTest(name = "{0} shorter than its header")
    @CsvSource({"id_tracker.i2e", "id_tracker.e2i", "id_tracker.is_uuid"})
    void filesShorterThanTheirHeaderAreRejected(String fileName) throws IOException {
        new Writer(ids(PointId.of(1))).write(dir);
        Path file = dir.resolve(fileName);
        Files.write(file, Arrays.copyOf(Files.readAllBytes(file), 20));

        assertRejected(file, "truncated");
    }

    @ParameterizedTest(name = "without {0}")
    @CsvSource({"id_tracker.e2i", "id_tracker.is_uuid", "id_tracker.deleted", "id_tracker.versions"})
    void missingFilesAreRejected(String fileName) throws IOException {
        new Writer(ids(PointId.of(1))).write(dir);
        Files.delete(dir.resolve(fileName));

        assertRejected(dir.resolve(fileName), "missing");
    }

    @Test
    void numericSlotWiderThan64BitsIsRejected() throws IOException {
        new Writer(ids(PointId.of(1), PointId.of(2))).write(dir);
        patch(DiskIdTrackerReader.I2E_FILE, 32 + 16 + 8, 1);

        assertRejected(dir.resolve(DiskIdTrackerReader.I2E_FILE), "internal id 1 at byte 48 does not fit in 64 bits");
    }

    // ---------------------------------------------------------------------------------------------------
    // e2i disagreeing with i2e

    @Test
    void e2iEntryPointingAtAnotherInternalIdIsRejected() throws IOException {
        Writer w = new Writer(ids(PointId.of(7), PointId.of(3)));
        w.write(dir);
        patch(DiskIdTrackerReader.E2I_FILE, w.numRunAt + 8, 0); // 3 -> internal id 0, which holds 7

        assertRejected(dir.resolve(DiskIdTrackerReader.E2I_FILE), "maps 3 to internal id 0, which id_tracker.i2e gives as 7");
    }

    @Test
    void e2iEntryWithAnotherKeyIsRejected() throws IOException {
        Writer w = new Writer(ids(PointId.of(7), PointId.of(KNOWN)));
        w.write(dir);
        patch(DiskIdTrackerReader.E2I_FILE, w.uuidRunAt, 1); // lowest byte of the UUID key
        patch(DiskIdTrackerReader.E2I_FILE, w.uuidSparseAt, 1); // keep the sparse index in step

        assertRejected(dir.resolve(DiskIdTrackerReader.E2I_FILE), "which id_tracker.i2e gives as " + KNOWN);
    }

    @Test
    void e2iTypeDisagreeingWithIsUuidIsRejected() throws IOException {
        // the i2e slot holds 5 as a number; e2i lists the u128 5 as a UUID
        Writer w = new Writer(ids(PointId.of(new UUID(0, 5))));
        w.write(dir);
        new Writer(ids(PointId.of(5))).writeI2eAndIsUuid(dir);

        assertRejected(dir.resolve(DiskIdTrackerReader.E2I_FILE), "gives as 5");
    }

    @Test
    void liveIdMissingFromE2iIsRejected() throws IOException {
        Writer w = new Writer(ids(PointId.of(1), PointId.of(2)));
        w.deletedAtBuild.set(1);
        w.write(dir);
        w.deletedAtBuild.clear();
        w.writeDeleted(dir); // the deleted file says slot 1 is live, but e2i was built without it

        assertRejected(dir.resolve(DiskIdTrackerReader.E2I_FILE),
                "no entry for internal id 1 (external id 2), which is not deleted");
    }

    @Test
    void unsortedRunIsRejected() throws IOException {
        Writer w = new Writer(ids(PointId.of(1), PointId.of(2)));
        w.write(dir);
        // swap the two numeric entries and fix the sparse key to match
        ByteBuffer e2i = ByteBuffer.wrap(Files.readAllBytes(dir.resolve(DiskIdTrackerReader.E2I_FILE)))
                .order(ByteOrder.LITTLE_ENDIAN);
        e2i.putLong(w.numRunAt, 2).putInt(w.numRunAt + 8, 1).putLong(w.numRunAt + 12, 1).putInt(w.numRunAt + 20, 0);
        e2i.putLong(DiskIdTrackerReader.E2I_HEADER_SIZE, 2);
        Files.write(dir.resolve(DiskIdTrackerReader.E2I_FILE), e2i.array());

        assertRejected(dir.resolve(DiskIdTrackerReader.E2I_FILE), "numeric run not strictly ascending at byte " + (w.numRunAt + 12));
    }

    @Test
    void wrongSparseKeyIsRejected() throws IOException {
        Writer w = new Writer(ids(PointId.of(1), PointId.of(2), PointId.of(3)));
        w.numBlockEntries = 2;
        w.write(dir);
        patch(DiskIdTrackerReader.E2I_FILE, DiskIdTrackerReader.E2I_HEADER_SIZE + 8, 2); // second block starts at 3

        assertRejected(dir.resolve(DiskIdTrackerReader.E2I_FILE), "sparse index at byte 56");
    }

    @Test
    void internalIdListedTwiceOrOutOfRangeIsRejected() throws IOException {
        Writer w = new Writer(ids(PointId.of(1), PointId.of(2)));
        w.write(dir);
        patch(DiskIdTrackerReader.E2I_FILE, w.numRunAt + 12 + 8, 9);
        assertRejected(dir.resolve(DiskIdTrackerReader.E2I_FILE), "names internal id 9, beyond the 2 ids");

        patch(DiskIdTrackerReader.E2I_FILE, w.numRunAt + 12 + 8, 0);
        assertRejected(dir.resolve(DiskIdTrackerReader.E2I_FILE), "names internal id 0 a second time");
    }

    // ---------------------------------------------------------------------------------------------------
    // Through the segment

    @Test
    void aNonAppendableSegmentWithI2eOpensThroughTheDiskReader() throws IOException {
        Writer w = new Writer(ids(PointId.of(42), PointId.of(KNOWN)));
        w.write(dir);
        Files.writeString(dir.resolve(SegmentState.FILE), "{\"version\": 9, \"config\": {\"vector_data\": {\"\":"
                + " {\"size\": 4, \"distance\": \"Cosine\", \"storage_type\": \"Mmap\","
                + " \"index\": {\"type\": \"hnsw\", \"options\": {}}}},"
                + " \"payload_storage_type\": {\"type\": \"mmap\"}}}");
        // a stale immutable mapping beside it must not be picked: i2e wins, as in Qdrant
        Files.write(dir.resolve(ImmutableIdTrackerReader.MAPPINGS_FILE), new byte[] {1, 2, 3});
        SegmentState state = SegmentState.read(dir);
        assertThat(state.appendable()).isFalse();

        IdTracker tracker = Segment.openIdTracker(dir, state);

        assertThat(tracker.liveCount()).isEqualTo(2);
        assertThat(tracker.internalId(PointId.of(KNOWN))).isEqualTo(1);
        assertThat(tracker.externalId(0)).isEqualTo(PointId.of(42));
    }

    // ---------------------------------------------------------------------------------------------------

    private static void assertRejected(Path file, String message) {
        Path segment = file.getParent();
        assertThatThrownBy(() -> DiskIdTrackerReader.read(segment))
                .isInstanceOf(EdgeFormatException.class)
                .hasMessageContaining(message)
                .satisfies(e -> assertThat(((EdgeFormatException) e).file()).isEqualTo(file));
    }

    private void patch(String fileName, int at, int value) throws IOException {
        Path file = dir.resolve(fileName);
        byte[] bytes = Files.readAllBytes(file);
        bytes[at] = (byte) value;
        Files.write(file, bytes);
    }

    private static PointId[] ids(PointId... ids) {
        return ids;
    }

    /**
     * Writes the five files of a disk id tracker as Qdrant 1.19 does, mirroring the Rust functions
     * {@code store_i2e}, {@code store_e2i} and {@code store_is_uuid} ({@code disk_id_tracker/on_disk_format.rs}),
     * {@code save_bitmask} ({@code common/stored_bitmask/write.rs}) and the deleted and versions files of
     * {@code DiskIdTracker::new} ({@code disk_id_tracker/lifecycle.rs}).
     *
     * <p>Slots in {@link #deletedAtBuild} are left out of e2i, like points deleted before the build;
     * {@link #deletedAfterBuild} only sets deletion bits, like a deletion made after the files were built.
     */
    static final class Writer {
        final PointId[] slots;
        final BitSet deletedAtBuild = new BitSet();
        final BitSet deletedAfterBuild = new BitSet();
        long[] versions;
        int numBlockEntries = 1365;
        int uuidBlockEntries = 819;
        int uuidSparseAt;
        int numRunAt;
        int uuidRunAt;

        Writer(PointId[] slots) {
            this.slots = slots;
            this.versions = new long[slots.length];
            for (int i = 0; i < slots.length; i++) {
                versions[i] = 100 + i;
            }
        }

        void write(Path dir) throws IOException {
            writeI2eAndIsUuid(dir);
            writeE2i(dir);
            writeDeleted(dir);
            ByteBuffer v = le(versions.length * 8);
            for (long version : versions) {
                v.putLong(version);
            }
            Files.write(dir.resolve(ImmutableIdTrackerReader.VERSIONS_FILE), v.array());
        }

        void writeI2eAndIsUuid(Path dir) throws IOException {
            ByteBuffer i2e = le(32 + 16 * slots.length);
            i2e.putLong(DiskIdTrackerReader.I2E_MAGIC).putInt(2).putInt(0).putLong(slots.length).putLong(0);
            RoaringBitmap uuidSlots = new RoaringBitmap();
            for (int i = 0; i < slots.length; i++) {
                putU128(i2e, slots[i]);
                if (slots[i] instanceof PointId.Uuid) {
                    uuidSlots.add(i);
                }
            }
            Files.write(dir.resolve(DiskIdTrackerReader.I2E_FILE), i2e.array());
            Files.write(dir.resolve(DiskIdTrackerReader.IS_UUID_FILE), storedBitmask(slots.length, uuidSlots));
        }

        void writeDeleted(Path dir) throws IOException {
            int bytes = (slots.length + 63) / 64 * 8;
            BitSet deleted = (BitSet) deletedAtBuild.clone();
            deleted.or(deletedAfterBuild);
            Files.write(dir.resolve(ImmutableIdTrackerReader.DELETED_FILE),
                    Arrays.copyOf(deleted.toByteArray(), bytes));
        }

        void writeE2i(Path dir) throws IOException {
            List<Integer> num = new ArrayList<>();
            List<Integer> uuid = new ArrayList<>();
            for (int i = 0; i < slots.length; i++) {
                if (!deletedAtBuild.get(i)) {
                    (slots[i] instanceof PointId.Num ? num : uuid).add(i);
                }
            }
            num.sort((a, b) -> slots[a].compareTo(slots[b]));
            uuid.sort((a, b) -> slots[a].compareTo(slots[b]));
            int numBlocks = (num.size() + numBlockEntries - 1) / numBlockEntries;
            int uuidBlocks = (uuid.size() + uuidBlockEntries - 1) / uuidBlockEntries;
            uuidSparseAt = align16(48 + numBlocks * 8);
            numRunAt = uuidSparseAt + uuidBlocks * 16;
            uuidRunAt = align16(numRunAt + num.size() * 12);
            ByteBuffer e2i = le(uuidRunAt + uuid.size() * 20);

            e2i.putLong(DiskIdTrackerReader.E2I_MAGIC).putInt(2).putInt(0).putLong(num.size()).putLong(uuid.size())
                    .putInt(numBlockEntries).putInt(uuidBlockEntries).putLong(0);
            for (int b = 0; b < numBlocks; b++) {
                e2i.putLong(((PointId.Num) slots[num.get(b * numBlockEntries)]).value());
            }
            e2i.position(uuidSparseAt);
            for (int b = 0; b < uuidBlocks; b++) {
                putU128(e2i, slots[uuid.get(b * uuidBlockEntries)]);
            }
            for (int slot : num) {
                e2i.putLong(((PointId.Num) slots[slot]).value()).putInt(slot);
            }
            e2i.position(uuidRunAt);
            for (int slot : uuid) {
                putU128(e2i, slots[slot]);
                e2i.putInt(slot);
            }
            Files.write(dir.resolve(DiskIdTrackerReader.E2I_FILE), e2i.array());
        }

        /** A number as itself; a UUID as the u128 of its canonical bytes read big-endian. */
        private static void putU128(ByteBuffer out, PointId id) {
            if (id instanceof PointId.Uuid) {
                UUID u = ((PointId.Uuid) id).uuid();
                out.putLong(u.getLeastSignificantBits()).putLong(u.getMostSignificantBits());
            } else {
                out.putLong(((PointId.Num) id).value()).putLong(0);
            }
        }

        /** The minority polarity as roaring when smaller than the dense bits, else dense u64 words. */
        private static byte[] storedBitmask(int length, RoaringBitmap ones) {
            boolean onesAreMinority = (long) ones.getCardinality() * 2 <= length;
            RoaringBitmap minority = onesAreMinority ? ones : RoaringBitmap.flip(ones, 0L, length);
            minority.runOptimize();
            int denseBytes = (length + 7) / 8;
            ByteBuffer out;
            if (minority.serializedSizeInBytes() < denseBytes) {
                out = le(32 + minority.serializedSizeInBytes());
                out.put("QBMK".getBytes(StandardCharsets.US_ASCII)).putInt(1).putLong(length)
                        .putInt(onesAreMinority ? 1 : 2).putInt(0).putLong(minority.serializedSizeInBytes());
                minority.serialize(out);
            } else {
                int payload = (length + 63) / 64 * 8;
                out = le(32 + payload);
                out.put("QBMK".getBytes(StandardCharsets.US_ASCII)).putInt(1).putLong(length).putInt(0).putInt(0)
                        .putLong(payload);
                BitSet bits = new BitSet();
                ones.forEach((int i) -> bits.set(i));
                out.put(bits.toByteArray());
            }
            return out.array();
        }

        private static ByteBuffer le(int size) {
            return ByteBuffer.allocate(size).order(ByteOrder.LITTLE_ENDIAN);
        }

        private static int align16(int offset) {
            return (offset + 15) / 16 * 16;
        }
    }
}
