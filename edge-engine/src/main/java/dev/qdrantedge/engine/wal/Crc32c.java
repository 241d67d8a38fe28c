package dev.qdrantedge.engine.wal;

import java.nio.ByteBuffer;

/**
 * CRC-32C (Castagnoli) chained the way Qdrant's WAL chains it: each entry's CRC continues from the
 * previous entry's stored CRC, the first one from the segment's random seed. With a previous value of
 * {@code 0xFFFFFFFF} this is the plain CRC-32C ({@code "123456789"} gives {@code 0xE3069283}).
 *
 * <p>{@link java.util.zip.CRC32C} (hardware-accelerated) always starts its register at {@code 0xFFFFFFFF},
 * whereas the chained form starts it at the bit-reversed previous CRC. A CRC register is affine in its start
 * value, so the chained CRC is the JDK's CRC of the same bytes corrected by the difference of the start values
 * carried through {@code length} zero bytes, a linear map applied with precomputed powers (as zlib combines
 * CRCs).
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

    /** ZERO_BYTES[k]: the register map of 2^k zero bytes, as the images of the 32 unit registers. */
    private static final int[][] ZERO_BYTES = new int[31][];

    static {
        int[] one = new int[32];
        for (int i = 0; i < 32; i++) {
            int reg = 1 << i;
            one[i] = (reg >>> 8) ^ TABLE[reg & 0xFF];
        }
        ZERO_BYTES[0] = one;
        for (int k = 1; k < ZERO_BYTES.length; k++) {
            int[] previous = ZERO_BYTES[k - 1];
            int[] squared = new int[32];
            for (int i = 0; i < 32; i++) {
                squared[i] = apply(previous, previous[i]);
            }
            ZERO_BYTES[k] = squared;
        }
    }

    private Crc32c() {
    }

    private static int apply(int[] map, int register) {
        int out = 0;
        for (int i = 0; register != 0; i++, register >>>= 1) {
            if ((register & 1) != 0) {
                out ^= map[i];
            }
        }
        return out;
    }

    /** The register that {@code register} becomes after {@code length} zero bytes. */
    private static int throughZeros(int register, int length) {
        for (int k = 0; length != 0 && register != 0; k++, length >>>= 1) {
            if ((length & 1) != 0) {
                register = apply(ZERO_BYTES[k], register);
            }
        }
        return register;
    }

    private static int chainFromJdk(int previous, int jdkCrc, int length) {
        return jdkCrc ^ throughZeros(Integer.reverse(previous) ^ 0xFFFFFFFF, length);
    }

    /** The CRC of {@code bytes} chained from {@code previous} (a segment seed or the previous entry's CRC). */
    public static int chain(int previous, byte[] bytes, int offset, int length) {
        if (length >= 64) {
            java.util.zip.CRC32C crc = new java.util.zip.CRC32C();
            crc.update(bytes, offset, length);
            return chainFromJdk(previous, (int) crc.getValue(), length);
        }
        int reg = Integer.reverse(previous);
        for (int i = offset, end = offset + length; i < end; i++) {
            reg = (reg >>> 8) ^ TABLE[(reg ^ bytes[i]) & 0xFF];
        }
        return ~reg;
    }

    /** The CRC of the remaining bytes of {@code buffer} chained from {@code previous}; the position is not moved. */
    public static int chain(int previous, ByteBuffer buffer) {
        int length = buffer.remaining();
        if (length >= 64) {
            java.util.zip.CRC32C crc = new java.util.zip.CRC32C();
            crc.update(buffer.duplicate());
            return chainFromJdk(previous, (int) crc.getValue(), length);
        }
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
