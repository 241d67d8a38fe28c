package dev.qdrantedge.engine.wal;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.zip.CRC32C;
import org.junit.jupiter.api.Test;

class Crc32cTest {

    @Test
    void plainCrc32cCheckValue() {
        assertThat(Crc32c.of("123456789".getBytes(StandardCharsets.US_ASCII))).isEqualTo(0xE3069283);
    }

    @Test
    void chainingFromAllOnesIsTheJdkCrc32c() {
        byte[] data = new byte[1000];
        for (int i = 0; i < data.length; i++) {
            data[i] = (byte) (i * 31 + 7);
        }
        CRC32C jdk = new CRC32C();
        jdk.update(data);
        assertThat(Crc32c.chain(0xFFFFFFFF, data, 0, data.length)).isEqualTo((int) jdk.getValue());
    }

    @Test
    void chainsFromTheSeedAndThenFromThePreviousCrc() {
        byte[] first = TestWalFiles.hex("66000000 00000000 a16d7570736572745f706f696e7473a166706f696e747381a3626964182a"
                + "66766563746f72a165696d61676584fa3dcccccdfa3e4ccccdfa3e99999afa3ecccccd677061796c6f6164a3646369747966"
                + "4265726c696e657072696365f9494065636f756e7403 000000000000");
        assertThat(Crc32c.chain(0x11223344, first, 0, first.length)).isEqualTo(0x693d5ff2);
        byte[] second = TestWalFiles.hex("1700000000000000 a16d64656c6574655f706f696e7473a1636964738118 2a 0000000000");
        assertThat(Crc32c.chain(0x693d5ff2, second, 0, second.length)).isEqualTo(0xc775de39);
    }

    @Test
    void chainingOverTheJdkCrcEqualsTheBitwiseDefinitionForEveryLengthAndStart() {
        java.util.Random random = new java.util.Random(11);
        for (int t = 0; t < 3000; t++) {
            byte[] bytes = new byte[random.nextInt(3000)];
            random.nextBytes(bytes);
            int offset = bytes.length == 0 ? 0 : random.nextInt(bytes.length);
            int length = bytes.length - offset;
            int previous = random.nextInt();
            int reg = Integer.reverse(previous);
            for (int i = offset; i < offset + length; i++) {
                int c = (reg ^ bytes[i]) & 0xFF;
                for (int k = 0; k < 8; k++) {
                    c = (c & 1) != 0 ? (c >>> 1) ^ 0x82F63B78 : c >>> 1;
                }
                reg = (reg >>> 8) ^ c;
            }
            int expected = ~reg;
            assertThat(Crc32c.chain(previous, bytes, offset, length))
                    .as("length %d", length).isEqualTo(expected);
            assertThat(Crc32c.chain(previous, java.nio.ByteBuffer.wrap(bytes, offset, length)))
                    .as("buffer, length %d", length).isEqualTo(expected);
        }
    }
}
