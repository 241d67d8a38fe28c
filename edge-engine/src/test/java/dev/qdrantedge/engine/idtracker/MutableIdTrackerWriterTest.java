package dev.qdrantedge.engine.idtracker;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class MutableIdTrackerWriterTest {

    @TempDir
    Path dir;

    private static final UUID U = UUID.fromString("8d8f2b52-33b1-4a39-9a42-1c1c3f7e0a11");

    @Test
    void writesRoundTripThroughTheReaderAndReadsSeeOwnWrites() {
        MutableIdTrackerWriter w = MutableIdTrackerWriter.open(dir);
        assertThat(w.nextInternalId()).isZero();
        w.setLink(PointId.of(10), 0);
        assertThat(w.isLive(0)).as("no version yet").isFalse();
        w.setInternalVersion(0, 5);
        w.setLink(PointId.of(U), 1);
        w.setInternalVersion(1, 6);
        w.setLink(PointId.of(11), 2);
        w.setInternalVersion(2, 7);
        assertThat(w.drop(PointId.of(11))).isEqualTo(2);
        assertThat(w.drop(PointId.of(99))).isEqualTo(-1);
        assertThat(w.internalVersion(2)).isEqualTo(MutableIdTrackerWriter.DELETED_POINT_VERSION);
        assertThat(w.nextInternalId()).isEqualTo(3);
        assertThat(w.internalId(PointId.of(U))).isEqualTo(1);
        assertThat(w.liveCount()).isEqualTo(2);
        assertThat(Files.exists(dir.resolve(MutableIdTrackerReader.MAPPINGS_FILE))).isFalse();
        w.flush();

        IdTracker read = MutableIdTrackerReader.read(dir);
        assertThat(read.totalPointCount()).isEqualTo(3);
        assertThat(read.liveCount()).isEqualTo(2);
        assertThat(read.internalId(PointId.of(10))).isZero();
        assertThat(read.version(1)).isEqualTo(6);
        assertThat(read.isLive(2)).isFalse();
        // 3 inserts (13 + 21 + 13) and 2 deletes (9 + 9), in call order
        assertThat(dir.resolve(MutableIdTrackerReader.MAPPINGS_FILE)).hasSize(65);
        assertThat(dir.resolve(MutableIdTrackerReader.VERSIONS_FILE)).hasSize(24);

        // Relinking moves the point; the old slot becomes deleted; appends go after what was persisted.
        MutableIdTrackerWriter again = MutableIdTrackerWriter.open(dir);
        again.setLink(PointId.of(10), 3);
        again.setInternalVersion(3, 8);
        again.flush();
        IdTracker reread = MutableIdTrackerReader.read(dir);
        assertThat(reread.internalId(PointId.of(10))).isEqualTo(3);
        assertThat(reread.isLive(0)).isFalse();
        assertThat(dir.resolve(MutableIdTrackerReader.MAPPINGS_FILE)).hasSize(78);
    }

    @Test
    void tornMappingsTailIsTruncatedOnOpenAndTornVersionOnFlush() throws IOException {
        MutableIdTrackerWriter w = MutableIdTrackerWriter.open(dir);
        w.setLink(PointId.of(1), 0);
        w.setInternalVersion(0, 3);
        w.flush();
        Path mappings = dir.resolve(MutableIdTrackerReader.MAPPINGS_FILE);
        Path versions = dir.resolve(MutableIdTrackerReader.VERSIONS_FILE);
        // A crash in the middle of the next flush: half an insert record, half a version.
        Files.write(mappings, new byte[] {1, 2, 0, 0, 0}, StandardOpenOption.APPEND);
        Files.write(versions, new byte[] {9, 9, 9}, StandardOpenOption.APPEND);

        MutableIdTrackerWriter reopened = MutableIdTrackerWriter.open(dir);
        assertThat(mappings).hasSize(13);
        assertThat(reopened.totalPointCount()).isEqualTo(1);
        reopened.setLink(PointId.of(2), 1);
        reopened.setInternalVersion(1, 4);
        reopened.flush();
        assertThat(mappings).hasSize(26);
        assertThat(versions).hasSize(16);
        ByteBuffer v = ByteBuffer.wrap(Files.readAllBytes(versions)).order(ByteOrder.LITTLE_ENDIAN);
        assertThat(v.getLong(0)).isEqualTo(3);
        assertThat(v.getLong(8)).isEqualTo(4);
        assertThat(MutableIdTrackerReader.read(dir).liveCount()).isEqualTo(2);
    }

    @Test
    void bytesLeftByAnInterruptedFlushAreCutBeforeAppending() throws IOException {
        MutableIdTrackerWriter w = MutableIdTrackerWriter.open(dir);
        w.setLink(PointId.of(1), 0);
        w.setInternalVersion(0, 1);
        w.flush();
        Path mappings = dir.resolve(MutableIdTrackerReader.MAPPINGS_FILE);
        Files.write(mappings, new byte[] {3, 1, 0, 0, 0, 0, 0, 0, 0}, StandardOpenOption.APPEND);
        w.setLink(PointId.of(2), 1);
        w.setInternalVersion(1, 2);
        w.flush();
        byte[] bytes = Files.readAllBytes(mappings);
        assertThat(bytes).hasSize(26);
        assertThat(bytes[13]).isEqualTo((byte) 1);
        assertThat(MutableIdTrackerReader.read(dir).internalId(PointId.of(1))).isZero();
    }

    @Test
    void versionGapsAreZeroFilled() {
        MutableIdTrackerWriter w = MutableIdTrackerWriter.open(dir);
        w.setLink(PointId.of(7), 3);
        w.setInternalVersion(3, 9);
        assertThat(w.nextInternalId()).isEqualTo(4);
        assertThat(w.hasVersion(1)).isTrue();
        assertThat(w.internalVersion(1)).isZero();
        w.flush();
        assertThat(dir.resolve(MutableIdTrackerReader.VERSIONS_FILE)).hasSize(32);
        assertThat(MutableIdTrackerReader.read(dir).version(3)).isEqualTo(9);
    }
}
