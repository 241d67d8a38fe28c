package dev.qdrantedge.engine.vectors;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Arrays;

/**
 * Encodes a sparse vector as Qdrant stores it, the inverse of {@link SparseVectorCodec}: the (index, value)
 * pairs sorted by index, the indices delta-encoded and bit-packed ({@link SparseDeltaPack}), and the whole
 * serialized as bincode 1 {@code StoredSparseVector}: {@code u64 n}, {@code n} packed bytes, {@code u64 m},
 * {@code m} little-endian {@code f32} values. The output is byte-identical to Qdrant's.
 */
public final class SparseVectorEncoder {

    private static final int HEADER_BITS = 6;
    private static final int MIN_BITS = 8;

    private SparseVectorEncoder() {
    }

    /** The stored bytes of {@code vector}; indices are unsigned 32-bit dimension ids, in any order. */
    public static byte[] encode(SparseVector vector) {
        int n = vector.indices().length;
        Integer[] order = new Integer[n];
        for (int i = 0; i < n; i++) {
            order[i] = i;
        }
        int[] indices = vector.indices();
        Arrays.sort(order, (a, b) -> Integer.compareUnsigned(indices[a], indices[b]));
        long[] sortedIndices = new long[n];
        float[] sortedValues = new float[n];
        for (int i = 0; i < n; i++) {
            sortedIndices[i] = Integer.toUnsignedLong(indices[order[i]]);
            sortedValues[i] = vector.values()[order[i]];
        }
        byte[] packed = pack(sortedIndices);
        ByteBuffer out = ByteBuffer.allocate(8 + packed.length + 8 + 4 * n).order(ByteOrder.LITTLE_ENDIAN);
        out.putLong(packed.length).put(packed).putLong(n);
        for (float value : sortedValues) {
            out.putFloat(value);
        }
        return out.array();
    }

    /** Delta-encodes ascending indices and bit-packs the deltas LSB-first behind a 6-bit width header. */
    static byte[] pack(long[] ascending) {
        if (ascending.length == 0) {
            return new byte[0];
        }
        long[] deltas = new long[ascending.length];
        long previous = 0;
        long max = 0;
        for (int i = 0; i < ascending.length; i++) {
            deltas[i] = ascending[i] - previous;
            previous = ascending[i];
            max = Math.max(max, deltas[i]);
        }
        int bits = Math.max(MIN_BITS, 64 - Long.numberOfLeadingZeros(max));
        long totalBits = HEADER_BITS + (long) bits * deltas.length;
        byte[] out = new byte[(int) ((totalBits + 7) / 8)];
        long position = writeBits(out, 0, bits - MIN_BITS, HEADER_BITS);
        for (long delta : deltas) {
            position = writeBits(out, position, delta, bits);
        }
        return out;
    }

    private static long writeBits(byte[] out, long position, long value, int bits) {
        for (int i = 0; i < bits; i++) {
            if ((value >>> i & 1) != 0) {
                long at = position + i;
                out[(int) (at >>> 3)] |= (byte) (1 << (at & 7));
            }
        }
        return position + bits;
    }
}
