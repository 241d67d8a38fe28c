package dev.qdrantedge.engine.vectors;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Arrays;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** The stored sparse vector format: bincode lengths, delta + bit packing of the indices. */
class SparseVectorCodecTest {

    @Test
    void decodesAHandPackedVector() {
        // indices 1, 2, 300: deltas 1, 1, 298 -> 9 bits each; header 9 - 8 = 1 in 6 bits; 33 bits in 5 bytes
        long bits = 1L | 1L << 6 | 1L << 15 | 298L << 24;
        byte[] packed = new byte[5];
        for (int i = 0; i < 5; i++) {
            packed[i] = (byte) (bits >>> (8 * i));
        }
        SparseVector vector = SparseVectorCodec.decode(stored(packed, 0.5f, -2f, Float.MIN_VALUE));
        assertThat(vector.indices()).containsExactly(1, 2, 300);
        assertThat(vector.values()).containsExactly(0.5f, -2f, Float.MIN_VALUE);
    }

    @Test
    void decodesAnEmptyVector() {
        SparseVector vector = SparseVectorCodec.decode(stored(new byte[0]));
        assertThat(vector.indices()).isEmpty();
        assertThat(vector.values()).isEmpty();
    }

    @Test
    void roundTripsRandomVectorsIncludingTheLargestIndex() {
        Random random = new Random(42);
        for (int round = 0; round < 500; round++) {
            int n = random.nextInt(40);
            long[] indices = random.longs(n, 0, 1L << (1 + random.nextInt(32))).distinct().sorted().toArray();
            if (round % 7 == 0) {
                indices = Arrays.copyOf(indices, indices.length + 1);
                indices[indices.length - 1] = 0xFFFF_FFFFL;
                indices = Arrays.stream(indices).distinct().sorted().toArray();
            }
            float[] values = new float[indices.length];
            for (int i = 0; i < values.length; i++) {
                values[i] = Float.intBitsToFloat(random.nextInt());
            }
            SparseVector vector = SparseVectorCodec.decode(stored(pack(indices), values));
            assertThat(Arrays.stream(vector.indices()).mapToLong(Integer::toUnsignedLong).toArray()).isEqualTo(indices);
            for (int i = 0; i < values.length; i++) {
                assertThat(Float.floatToRawIntBits(vector.values()[i])).isEqualTo(Float.floatToRawIntBits(values[i]));
            }
        }
    }

    @Test
    void rejectsMalformedValues() {
        assertThatThrownBy(() -> SparseVectorCodec.decode(new byte[5])).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("truncated");
        assertThatThrownBy(() -> SparseVectorCodec.decode(stored(pack(new long[] {1, 2}), 1f)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("2 indices but 1 values");
        byte[] value = stored(pack(new long[] {1}), 1f);
        value[8 + value[0]] = 9; // values length 9 with 4 bytes following
        assertThatThrownBy(() -> SparseVectorCodec.decode(value)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("declares 9 values");
        assertThatThrownBy(() -> SparseVectorCodec.decode(stored(pack(new long[] {1L << 32}), 1f)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("32-bit");
    }

    /** Delta + bit packing, written independently of the reader from the format description. */
    static byte[] pack(long[] sorted) {
        if (sorted.length == 0) {
            return new byte[0];
        }
        long[] deltas = new long[sorted.length];
        long max = 0;
        for (int i = 0; i < sorted.length; i++) {
            deltas[i] = sorted[i] - (i == 0 ? 0 : sorted[i - 1]);
            max = Math.max(max, deltas[i]);
        }
        int width = Math.max(8, 64 - Long.numberOfLeadingZeros(max));
        int totalBits = 6 + width * deltas.length;
        byte[] out = new byte[(totalBits + 7) / 8];
        int position = 0;
        position = put(out, position, width - 8, 6);
        for (long d : deltas) {
            position = put(out, position, d, width);
        }
        return out;
    }

    private static int put(byte[] out, int position, long value, int width) {
        for (int bit = 0; bit < width; bit++, position++) {
            if ((value >>> bit & 1) != 0) {
                out[position / 8] |= (byte) (1 << (position % 8));
            }
        }
        return position;
    }

    static byte[] stored(byte[] packed, float... values) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteBuffer header = ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN).putLong(packed.length);
        out.writeBytes(header.array());
        out.writeBytes(packed);
        ByteBuffer rest = ByteBuffer.allocate(8 + 4 * values.length).order(ByteOrder.LITTLE_ENDIAN)
                .putLong(values.length);
        for (float v : values) {
            rest.putFloat(v);
        }
        out.writeBytes(rest.array());
        return out.toByteArray();
    }
}
