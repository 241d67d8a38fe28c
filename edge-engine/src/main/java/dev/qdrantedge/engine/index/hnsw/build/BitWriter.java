package dev.qdrantedge.engine.index.hnsw.build;

/**
 * Qdrant's {@code BitWriter}: values of a given bit width appended LSB first into 64-bit little-endian words;
 * {@link #finish} emits the bytes of the last partial word that hold bits.
 */
final class BitWriter {

    private final ByteSink out;
    private long buf;
    private int bufBits;

    BitWriter(ByteSink out) {
        this.out = out;
    }

    void write(long value, int bits) {
        buf |= value << bufBits;
        bufBits += bits;
        if (bufBits >= 64) {
            out.writeLong(buf);
            bufBits -= 64;
            if (bits - bufBits == 64) {
                buf = 0;
            } else {
                int shift = bits - bufBits;
                buf = shift >= 64 ? 0 : value >>> shift;
            }
        }
    }

    void finish() {
        int bytes = (bufBits + 7) / 8;
        for (int i = 0; i < bytes; i++) {
            out.write((int) (buf >>> (8 * i)));
        }
    }

    /** Bits needed for {@code value} (0 for 0), Qdrant's {@code packed_bits}. */
    static int packedBits(long value) {
        return 64 - Long.numberOfLeadingZeros(value);
    }

    static long mask(int bits) {
        return bits >= 64 ? -1L : (1L << bits) - 1;
    }
}
