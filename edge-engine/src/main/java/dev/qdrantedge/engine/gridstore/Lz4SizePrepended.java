package dev.qdrantedge.engine.gridstore;

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

    private Lz4SizePrepended() {
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
