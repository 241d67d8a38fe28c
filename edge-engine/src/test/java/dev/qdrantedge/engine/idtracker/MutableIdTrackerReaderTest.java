package dev.qdrantedge.engine.idtracker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.qdrantedge.engine.EdgeFormatException;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The mappings log replayed exactly as Qdrant replays it, on hand-made files. */
class MutableIdTrackerReaderTest {

    @TempDir
    Path dir;

    private final ByteArrayOutputStream mappings = new ByteArrayOutputStream();

    @Test
    void replaysInsertsDeletesAndMoves() throws IOException {
        UUID uuid = UUID.fromString("550e8400-e29b-41d4-a716-446655440000");
        insertNum(10, 0);
        insertUuid(uuid, 1);
        insertNum(11, 2);
        deleteNum(11);          // slot 2 deleted
        insertNum(10, 3);       // 10 moves from slot 0 to slot 3: slot 0 deleted
        writeVersions(5, 6, 7, 8);

        IdTracker tracker = MutableIdTrackerReader.read(dir);

        assertThat(tracker.totalPointCount()).isEqualTo(4);
        assertThat(tracker.liveCount()).isEqualTo(2);
        assertThat(tracker.isLive(0)).isFalse();
        assertThat(tracker.isLive(2)).isFalse();
        assertThat(tracker.externalId(1)).isEqualTo(PointId.of(uuid));
        assertThat(tracker.externalId(3)).isEqualTo(PointId.of(10));
        assertThat(tracker.version(3)).isEqualTo(8);
        assertThat(tracker.internalId(PointId.of(10))).isEqualTo(3);
        assertThat(tracker.internalId(PointId.of(11))).isEqualTo(-1);
    }

    @Test
    void aPointWithoutPersistedVersionIsNotLive() throws IOException {
        insertNum(1, 0);
        insertNum(2, 1);
        writeVersions(3); // the crash came before slot 1's version was flushed

        IdTracker tracker = MutableIdTrackerReader.read(dir);

        assertThat(tracker.liveCount()).isEqualTo(1);
        assertThat(tracker.internalId(PointId.of(2))).isEqualTo(-1);
    }

    @Test
    void ignoresATornTrailingRecordAndVersion() throws IOException {
        insertNum(1, 0);
        insertNum(2, 1);
        byte[] whole = mappings.toByteArray();
        Files.write(dir.resolve(MutableIdTrackerReader.MAPPINGS_FILE), Arrays.copyOf(whole, whole.length - 5));
        ByteBuffer versions = ByteBuffer.allocate(8 + 3).order(ByteOrder.LITTLE_ENDIAN).putLong(4);
        Files.write(dir.resolve(MutableIdTrackerReader.VERSIONS_FILE), versions.array());

        IdTracker tracker = MutableIdTrackerReader.read(dir);

        assertThat(tracker.liveCount()).isEqualTo(1);
        assertThat(tracker.version(0)).isEqualTo(4);
    }

    @Test
    void anUnknownRecordTypeIsAnErrorNamingTheFile() throws IOException {
        insertNum(1, 0);
        mappings.write(9);
        writeVersions(1);

        assertThatThrownBy(() -> MutableIdTrackerReader.read(dir))
                .isInstanceOf(EdgeFormatException.class)
                .hasMessageContaining(MutableIdTrackerReader.MAPPINGS_FILE)
                .hasMessageContaining("unknown record type 9 at byte 13");
    }

    @Test
    void aNeverFlushedSegmentHasNoTrackerFilesAndNoPoints() {
        IdTracker tracker = MutableIdTrackerReader.read(dir);
        assertThat(tracker.totalPointCount()).isZero();
        assertThat(tracker.liveCount()).isZero();
    }

    private void insertNum(long id, int internal) {
        mappings.writeBytes(ByteBuffer.allocate(13).order(ByteOrder.LITTLE_ENDIAN)
                .put((byte) 1).putLong(id).putInt(internal).array());
    }

    private void insertUuid(UUID id, int internal) {
        ByteBuffer b = ByteBuffer.allocate(21).order(ByteOrder.LITTLE_ENDIAN).put((byte) 2);
        b.order(ByteOrder.BIG_ENDIAN).putLong(id.getMostSignificantBits()).putLong(id.getLeastSignificantBits());
        b.order(ByteOrder.LITTLE_ENDIAN).putInt(internal);
        mappings.writeBytes(b.array());
    }

    private void deleteNum(long id) {
        mappings.writeBytes(ByteBuffer.allocate(9).order(ByteOrder.LITTLE_ENDIAN).put((byte) 3).putLong(id).array());
    }

    private void writeVersions(long... versions) throws IOException {
        Files.write(dir.resolve(MutableIdTrackerReader.MAPPINGS_FILE), mappings.toByteArray());
        ByteBuffer b = ByteBuffer.allocate(versions.length * 8).order(ByteOrder.LITTLE_ENDIAN);
        for (long v : versions) {
            b.putLong(v);
        }
        Files.write(dir.resolve(MutableIdTrackerReader.VERSIONS_FILE), b.array());
    }
}
