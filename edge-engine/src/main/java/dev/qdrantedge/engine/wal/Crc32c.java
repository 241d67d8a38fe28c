package dev.qdrantedge.engine.wal;

import java.nio.ByteBuffer;

/**
 * CRC-32C (Castagnoli) chained the way Qdrant's WAL chains it: each entry's CRC continues from the
 * previous entry's stored CRC, the first one from the segment's random seed. With a previous value of
 * {@code 0xFFFFFFFF} this is the plain CRC-32C ({@code "123456789"} gives {@code 0xE3069283}).
 *
 * <p>{@link java.util.zip.CRC32C} cannot be used: its register always starts at {@code 0xFFFFFFFF},
 * whereas the chained form starts it at the bit-reversed previous CRC.
 */
public final class Crc32c {

    private static final int POLY_REFLECTED = 0x82F63B78;
    private static final int[] TABLE = new int[256];

    static {
        for (int i = 0; i < 256; i++) {
            int c = i;
            for (int k = 0; k < 8; k++) {
                c = (c & 1) != 0 ? (c >>> 1) ^ POLY_REFLECTED : c >>> 1;
            }
            TABLE[i] = c;
        }
    }

    private Crc32c() {
    }

    /** The CRC of {@code bytes} chained from {@code previous} (a segment seed or the previous entry's CRC). */
    public static int chain(int previous, byte[] bytes, int offset, int length) {
        int reg = Integer.reverse(previous);
        for (int i = offset, end = offset + length; i < end; i++) {
            reg = (reg >>> 8) ^ TABLE[(reg ^ bytes[i]) & 0xFF];
        }
        return ~reg;
    }

    /** The CRC of the remaining bytes of {@code buffer} chained from {@code previous}; the position is not moved. */
    public static int chain(int previous, ByteBuffer buffer) {
        int reg = Integer.reverse(previous);
        for (int i = buffer.position(), end = buffer.limit(); i < end; i++) {
            reg = (reg >>> 8) ^ TABLE[(reg ^ buffer.get(i)) & 0xFF];
        }
        return ~reg;
    }

    /** The plain CRC-32C of {@code bytes}. */
    public static int of(byte[] bytes) {
        return chain(0xFFFFFFFF, bytes, 0, bytes.length);
    }
}
