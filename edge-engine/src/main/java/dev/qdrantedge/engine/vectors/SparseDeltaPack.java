package dev.qdrantedge.engine.vectors;

/**
 * Decodes the packed index list of a stored sparse vector. The indices, sorted ascending, are delta-encoded
 * (first index, then differences) and bit-packed LSB-first: a 6-bit header holding {@code b - 8}, then every
 * delta in {@code b} bits, where {@code b ≥ 8} is the bit width of the largest delta. No count is stored: it
 * is {@code floor((bytes * 8 - 6) / b)}, unambiguous because {@code b ≥ 8}. An empty list is zero bytes.
 */
final class SparseDeltaPack {

    private static final int HEADER_BITS = 6;
    private static final int MIN_BITS = 8;

    private SparseDeltaPack() {
    }

    /** The indices; {@link IllegalArgumentException} if one does not fit a {@code u32} dimension id. */
    static int[] unpack(byte[] data, int offset, int length) {
        if (length == 0) {
            return new int[0];
        }
        long totalBits = (long) length * 8;
        int bitsPerValue = (int) readBits(data, offset, 0, HEADER_BITS) + MIN_BITS;
        if (bitsPerValue > 64) {
            throw new IllegalArgumentException("packed indices declare " + bitsPerValue + " bits per value");
        }
        long count = (totalBits - HEADER_BITS) / bitsPerValue;
        int[] indices = new int[(int) count];
        long position = HEADER_BITS;
        long previous = 0;
        for (int i = 0; i < count; i++) {
            long value = previous + readBits(data, offset, position, bitsPerValue);
            if (Long.compareUnsigned(value, 0xFFFF_FFFFL) > 0 || Long.compareUnsigned(value, previous) < 0) {
                throw new IllegalArgumentException("sparse index " + Long.toUnsignedString(value) + " at position "
                        + i + " does not fit a 32-bit dimension id");
            }
            indices[i] = (int) value;
            previous = value;
            position += bitsPerValue;
        }
        return indices;
    }

    /** Reads {@code bits} (≤ 64) bits starting at bit {@code position}, least significant bit first. */
    private static long readBits(byte[] data, int offset, long position, int bits) {
        long value = 0;
        int done = 0;
        while (done < bits) {
            long bytePosition = position >>> 3;
            int bitInByte = (int) (position & 7);
            int available = 8 - bitInByte;
            int take = Math.min(available, bits - done);
            long chunk = ((data[offset + (int) bytePosition] & 0xFF) >>> bitInByte) & ((1L << take) - 1);
            value |= chunk << done;
            done += take;
            position += take;
        }
        return value;
    }
}
