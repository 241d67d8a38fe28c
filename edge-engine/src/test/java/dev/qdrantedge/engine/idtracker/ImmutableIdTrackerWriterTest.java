package dev.qdrantedge.engine.idtracker;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ImmutableIdTrackerWriterTest {

    @TempDir
    Path dir;

    @Test
    void dropSetsTheDeletedBitAndVersionZeroInPlace() throws IOException {
        int n = 10;
        ByteBuffer mappings = ByteBuffer.allocate(8 + 13 * n).order(ByteOrder.LITTLE_ENDIAN).putLong(n);
        ByteBuffer versions = ByteBuffer.allocate(8 * n).order(ByteOrder.LITTLE_ENDIAN);
        for (int i = 0; i < n; i++) {
            mappings.put((byte) 0).putLong(100 + i).putInt(i);
            versions.putLong(50 + i);
        }
        byte[] deleted = new byte[8];
        deleted[0] = 0b100; // internal 2 already deleted
        Files.write(dir.resolve(ImmutableIdTrackerReader.MAPPINGS_FILE), mappings.array());
        Files.write(dir.resolve(ImmutableIdTrackerReader.VERSIONS_FILE), versions.array());
        Files.write(dir.resolve(ImmutableIdTrackerReader.DELETED_FILE), deleted);
        byte[] mappingsBefore = Files.readAllBytes(dir.resolve(ImmutableIdTrackerReader.MAPPINGS_FILE));

        ImmutableIdTrackerWriter w = ImmutableIdTrackerWriter.open(dir);
        assertThat(w.liveCount()).isEqualTo(9);
        assertThat(w.drop(PointId.of(109))).isEqualTo(9);
        assertThat(w.drop(PointId.of(102))).as("already deleted").isEqualTo(-1);
        assertThat(w.isLive(9)).isFalse();
        w.setInternalVersion(20, 1); // beyond the array: ignored, as in Qdrant
        w.flush();

        IdTracker read = ImmutableIdTrackerReader.read(dir);
        assertThat(read.liveCount()).isEqualTo(8);
        assertThat(read.internalId(PointId.of(109))).isEqualTo(-1);
        byte[] deletedAfter = Files.readAllBytes(dir.resolve(ImmutableIdTrackerReader.DELETED_FILE));
        assertThat(deletedAfter).hasSize(8);
        assertThat(deletedAfter[0]).isEqualTo((byte) 0b100);
        assertThat(deletedAfter[1]).isEqualTo((byte) 0b10);
        ByteBuffer v = ByteBuffer.wrap(Files.readAllBytes(dir.resolve(ImmutableIdTrackerReader.VERSIONS_FILE)))
                .order(ByteOrder.LITTLE_ENDIAN);
        assertThat(v.capacity()).isEqualTo(8 * n);
        assertThat(v.getLong(8 * 9)).isZero();
        assertThat(v.getLong(8 * 8)).isEqualTo(58);
        assertThat(Files.readAllBytes(dir.resolve(ImmutableIdTrackerReader.MAPPINGS_FILE))).isEqualTo(mappingsBefore);
    }
}
