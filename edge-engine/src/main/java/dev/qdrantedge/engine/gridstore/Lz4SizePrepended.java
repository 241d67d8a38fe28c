package dev.qdrantedge.engine.gridstore;

import net.jpountz.lz4.LZ4Compressor;
import net.jpountz.lz4.LZ4Exception;
import net.jpountz.lz4.LZ4Factory;
import net.jpountz.lz4.LZ4SafeDecompressor;

/**
 * Decompresses the LZ4 framing Qdrant's gridstore uses ({@code lz4_flex} "size prepended"): a little-endian
 * {@code u32} decompressed size followed by one raw LZ4 block (not the LZ4 frame format).
 */
final class Lz4SizePrepended {

    /** LZ4 cannot expand a block more than about 255 times. */
    private static final long MAX_RATIO = 255;

    private static final LZ4SafeDecompressor DECOMPRESSOR = LZ4Factory.safeInstance().safeDecompressor();
    private static final LZ4Compressor COMPRESSOR = LZ4Factory.safeInstance().fastCompressor();

    private Lz4SizePrepended() {
    }

    /**
     * The stored form of {@code value}: its length as a little-endian {@code u32}, then one LZ4 block. The
     * block is valid LZ4 that Qdrant decodes, but Qdrant's own compressor may choose other matches, so the
     * compressed bytes can differ from what Qdrant would write for the same value.
     */
    static byte[] compress(byte[] value) {
        int bound = COMPRESSOR.maxCompressedLength(value.length);
        byte[] out = new byte[4 + bound];
        int n = COMPRESSOR.compress(value, 0, value.length, out, 4, bound);
        out[0] = (byte) value.length;
        out[1] = (byte) (value.length >>> 8);
        out[2] = (byte) (value.length >>> 16);
        out[3] = (byte) (value.length >>> 24);
        return java.util.Arrays.copyOf(out, 4 + n);
    }

    /** The decompressed value; {@link IllegalArgumentException} describes corrupt input. */
    static byte[] decompress(byte[] stored) {
        if (stored.length < 4) {
            throw new IllegalArgumentException("LZ4 value of " + stored.length
                    + " bytes is shorter than its 4-byte size prefix");
        }
        long size = (stored[0] & 0xFFL) | (stored[1] & 0xFFL) << 8 | (stored[2] & 0xFFL) << 16
                | (stored[3] & 0xFFL) << 24;
        long compressed = stored.length - 4L;
        if (size > Integer.MAX_VALUE - 8 || size > compressed * MAX_RATIO + 16) {
            throw new IllegalArgumentException("corrupt LZ4 value: claims " + size + " decompressed bytes from "
                    + compressed + " compressed bytes");
        }
        byte[] value = new byte[(int) size];
        int produced;
        try {
            produced = DECOMPRESSOR.decompress(stored, 4, (int) compressed, value, 0, value.length);
        } catch (LZ4Exception e) {
            throw new IllegalArgumentException("corrupt LZ4 value: " + e.getMessage(), e);
        }
        if (produced != size) {
            throw new IllegalArgumentException("corrupt LZ4 value: decompressed to " + produced
                    + " bytes, but its size prefix says " + size);
        }
        return value;
    }
}
