package dev.qdrantedge.engine.io;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.qdrantedge.engine.EdgeFormatException;
import java.nio.ByteBuffer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class MappedFileTest {

    @TempDir
    Path dir;

    @Test
    void readsRangesWithinAndAcrossRegions() {
        byte[] content = new byte[100];
        for (int i = 0; i < content.length; i++) {
            content[i] = (byte) i;
        }
        Path file = dir.resolve("f.bin");
        write(file, content);

        MappedFile mapped = MappedFile.map(file, 16);

        assertThat(mapped.size()).isEqualTo(100);
        for (int position = 0; position < 100; position++) {
            for (int length = 0; position + length <= 100; length += 7) {
                ByteBuffer slice = mapped.slice(position, length);
                assertThat(slice.order()).isEqualTo(ByteOrder.LITTLE_ENDIAN);
                assertThat(slice.remaining()).isEqualTo(length);
                for (int i = 0; i < length; i++) {
                    assertThat(slice.get(i)).isEqualTo((byte) (position + i));
                }
            }
            assertThat(mapped.getByte(position)).isEqualTo((byte) position);
        }
        assertThat(mapped.slice(14, 4).getInt(0)).isEqualTo(0x11100F0E);
    }

    @Test
    void readsNumbersAndCopiesBytesAcrossRegions() {
        byte[] content = new byte[40];
        for (int i = 0; i < content.length; i++) {
            content[i] = (byte) i;
        }
        Path file = dir.resolve("f.bin");
        write(file, content);

        MappedFile mapped = MappedFile.map(file, 16);

        assertThat(mapped.getInt(0)).isEqualTo(0x03020100);
        assertThat(mapped.getInt(14)).as("straddling two regions").isEqualTo(0x11100F0E);
        assertThat(mapped.getLong(12)).as("straddling two regions").isEqualTo(0x131211100F0E0D0CL);
        byte[] copy = new byte[22];
        mapped.get(10, copy, 1, 20);
        for (int i = 0; i < 20; i++) {
            assertThat(copy[i + 1]).isEqualTo((byte) (10 + i));
        }
        assertThat(copy[0]).isZero();
        assertThat(copy[21]).isZero();
        assertThatThrownBy(() -> mapped.getInt(37)).isInstanceOf(IndexOutOfBoundsException.class);
        assertThatThrownBy(() -> mapped.get(30, new byte[20], 0, 11)).isInstanceOf(IndexOutOfBoundsException.class);
    }

    @Test
    void copiesAndGathersFloatsInOneMappingAndAcrossRegions() {
        // a 4-byte header, then 10 records of 3 floats: record r holds r * 10 + 0, 1, 2
        ByteBuffer content = ByteBuffer.allocate(4 + 10 * 12).order(ByteOrder.LITTLE_ENDIAN);
        content.putInt(0x61746164);
        for (int r = 0; r < 10; r++) {
            for (int i = 0; i < 3; i++) {
                content.putFloat(r * 10 + i);
            }
        }
        Path file = dir.resolve("floats.bin");
        write(file, content.array());
        int[] records = {7, 0, 9, 3, 3};
        for (long regionBytes : new long[] {MappedFile.DEFAULT_REGION_BYTES, 16, 13}) {
            MappedFile mapped = MappedFile.map(file, regionBytes);
            float[] one = new float[4];
            mapped.getFloats(4 + 12 * 5, one, 1, 3);
            assertThat(one).as("regions of " + regionBytes).containsExactly(0, 50, 51, 52);
            float[] gathered = new float[15];
            mapped.gatherFloats(4, 12, records, records.length, gathered, 3);
            for (int i = 0; i < records.length; i++) {
                for (int j = 0; j < 3; j++) {
                    assertThat(gathered[i * 3 + j]).as("regions of " + regionBytes + ", record " + records[i])
                            .isEqualTo(records[i] * 10 + j);
                }
            }
            assertThatThrownBy(() -> mapped.gatherFloats(4, 12, new int[] {2, 10}, 2, new float[6], 3))
                    .as("a record beyond the file").isInstanceOf(IndexOutOfBoundsException.class)
                    .hasMessageContaining(file.toString());
            assertThatThrownBy(() -> mapped.gatherFloats(4, 12, new int[] {-1}, 1, new float[3], 3))
                    .isInstanceOf(IndexOutOfBoundsException.class);
            assertThatThrownBy(() -> mapped.getFloats(4 + 12 * 9, new float[4], 0, 4))
                    .isInstanceOf(IndexOutOfBoundsException.class).hasMessageContaining(file.toString());
            assertThatThrownBy(() -> mapped.getFloats(4, new float[2], 0, 3))
                    .isInstanceOf(IndexOutOfBoundsException.class).hasMessageContaining("cannot copy 3 floats");
        }
    }

    @Test
    void refusesRangesOutsideTheFile() {
        Path file = dir.resolve("f.bin");
        write(file, new byte[10]);
        MappedFile mapped = MappedFile.map(file, 4);

        assertThatThrownBy(() -> mapped.slice(8, 3)).isInstanceOf(IndexOutOfBoundsException.class);
        assertThatThrownBy(() -> mapped.getByte(10)).isInstanceOf(IndexOutOfBoundsException.class);
    }

    @Test
    void mapsAnEmptyFile() {
        Path file = dir.resolve("empty.bin");
        write(file, new byte[0]);

        assertThat(MappedFile.map(file).size()).isZero();
        assertThat(MappedFile.map(file).slice(0, 0).remaining()).isZero();
    }

    @Test
    void aMissingFileIsAnErrorNamingIt() {
        Path file = dir.resolve("absent.bin");

        assertThatThrownBy(() -> MappedFile.map(file)).isInstanceOf(EdgeFormatException.class)
                .hasMessageContaining(file.toString()).hasMessageContaining("missing")
                .extracting(e -> ((EdgeFormatException) e).file()).isEqualTo(file);
    }

    private static void write(Path file, byte[] content) {
        try {
            Files.write(file, content);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
