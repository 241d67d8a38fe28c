package dev.qdrantedge.engine.vectors;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/**
 * Decodes a stored sparse vector, Qdrant's {@code StoredSparseVector} in bincode 1 encoding:
 * {@code u64 n}, {@code n} bytes of packed indices ({@link SparseDeltaPack}), {@code u64 m}, {@code m}
 * little-endian {@code f32} values. Indices come out ascending, in the order they were stored, which is the
 * order Qdrant returns them in.
 */
final class SparseVectorCodec {

    private SparseVectorCodec() {
    }

    /** The vector; {@link IllegalArgumentException} describes a malformed value. */
    static SparseVector decode(byte[] bytes) {
        ByteBuffer buffer = ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN);
        int packedLength = length(buffer, 1, "packed indices");
        int indicesAt = buffer.position();
        buffer.position(indicesAt + packedLength);
        int valueCount = length(buffer, Float.BYTES, "values");
        float[] values = new float[valueCount];
        for (int i = 0; i < valueCount; i++) {
            values[i] = buffer.getFloat();
        }
        if (buffer.hasRemaining()) {
            throw new IllegalArgumentException("sparse vector has " + buffer.remaining() + " trailing bytes");
        }
        int[] indices = SparseDeltaPack.unpack(bytes, indicesAt, packedLength);
        if (indices.length != values.length) {
            throw new IllegalArgumentException("sparse vector has " + indices.length + " indices but "
                    + values.length + " values");
        }
        return new SparseVector(indices, values);
    }

    private static int length(ByteBuffer buffer, int elementBytes, String what) {
        if (buffer.remaining() < Long.BYTES) {
            throw new IllegalArgumentException("sparse vector truncated before the length of its " + what);
        }
        long count = buffer.getLong();
        if (count < 0 || count > buffer.remaining() / elementBytes) {
            throw new IllegalArgumentException("sparse vector declares " + Long.toUnsignedString(count) + " " + what
                    + " but only " + buffer.remaining() + " bytes follow");
        }
        return (int) count;
    }
}
