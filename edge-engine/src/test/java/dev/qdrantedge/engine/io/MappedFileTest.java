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
