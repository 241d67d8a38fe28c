package dev.qdrantedge.engine.vectors;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.qdrantedge.engine.EdgeFormatException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The deleted-flags directory: status, bit order, the legacy second file, and errors. */
class DynamicStoredFlagsTest {

    @TempDir
    Path dir;

    @Test
    void readsBitsLeastSignificantFirstUpToTheLength() throws IOException {
        status(12, 0);
        byte[] flags = new byte[1024];
        flags[0] = (byte) 0b1000_0010;   // flags 1 and 7
        flags[1] = (byte) 0b0001_0100;   // flag 10 set, flag 12 beyond the length
        Files.write(dir.resolve("flags_a.dat"), flags);

        FlagBits deleted = DynamicStoredFlags.open(dir);
        assertThat(deleted.length()).isEqualTo(12);
        assertThat(deleted.isSet(1)).isTrue();
        assertThat(deleted.isSet(7)).isTrue();
        assertThat(deleted.isSet(10)).isTrue();
        assertThat(deleted.isSet(0)).isFalse();
        assertThat(deleted.isSet(12)).as("beyond the length").isFalse();
        assertThat(deleted.isSet(-1)).isFalse();
        assertThat(deleted.lastSetPlusOne()).isEqualTo(11);
    }

    @Test
    void fileIdOneSelectsTheLegacyFile() throws IOException {
        status(3, 1);
        Files.write(dir.resolve("flags_a.dat"), new byte[8]);
        Files.write(dir.resolve("flags_b.dat"), new byte[] {4, 0, 0, 0, 0, 0, 0, 0});
        assertThat(DynamicStoredFlags.open(dir).isSet(2)).isTrue();
    }

    @Test
    void noFlagsNeedNoFlagsFile() throws IOException {
        status(0, 0);
        FlagBits deleted = DynamicStoredFlags.open(dir);
        assertThat(deleted.length()).isZero();
        assertThat(deleted.isSet(0)).isFalse();
        assertThat(deleted.lastSetPlusOne()).isZero();
    }

    @Test
    void anUnknownFileIdOrAnImplausibleCountIsAnErrorNamingTheStatusFile() throws IOException {
        Files.write(dir.resolve("flags_a.dat"), new byte[8]);
        status(3, 2);
        assertThatThrownBy(() -> DynamicStoredFlags.open(dir)).isInstanceOf(EdgeFormatException.class)
                .hasMessageContaining("file id 2")
                .extracting(e -> ((EdgeFormatException) e).file()).isEqualTo(dir.resolve("status.dat"));

        status(-1, 0);
        assertThatThrownBy(() -> DynamicStoredFlags.open(dir)).isInstanceOf(EdgeFormatException.class)
                .hasMessageContaining("implausible flag count")
                .extracting(e -> ((EdgeFormatException) e).file()).isEqualTo(dir.resolve("status.dat"));
    }

    @Test
    void errorsNameTheFile() throws IOException {
        assertThatThrownBy(() -> DynamicStoredFlags.open(dir)).isInstanceOf(EdgeFormatException.class)
                .extracting(e -> ((EdgeFormatException) e).file()).isEqualTo(dir.resolve("status.dat"));

        Files.write(dir.resolve("status.dat"), new byte[8]);
        assertThatThrownBy(() -> DynamicStoredFlags.open(dir)).isInstanceOf(EdgeFormatException.class)
                .hasMessageContaining("truncated");

        status(100, 0);
        assertThatThrownBy(() -> DynamicStoredFlags.open(dir)).isInstanceOf(EdgeFormatException.class)
                .hasMessageContaining("missing")
                .extracting(e -> ((EdgeFormatException) e).file()).isEqualTo(dir.resolve("flags_a.dat"));

        Files.write(dir.resolve("flags_a.dat"), new byte[8]);
        assertThatThrownBy(() -> DynamicStoredFlags.open(dir)).isInstanceOf(EdgeFormatException.class)
                .hasMessageContaining("truncated").hasMessageContaining("100 flags");
    }

    private void status(long length, long fileId) throws IOException {
        Files.write(dir.resolve("status.dat"),
                ByteBuffer.allocate(16).order(ByteOrder.LITTLE_ENDIAN).putLong(length).putLong(fileId).array());
    }
}
