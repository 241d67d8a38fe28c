package dev.qdrantedge.engine.index.hnsw;

import dev.qdrantedge.engine.EdgeFormatException;
import dev.qdrantedge.engine.io.MappedFile;

/**
 * A sorted sequence of {@code u64} values compressed as Qdrant's {@code bitpacking_ordered} does, read in
 * place from a mapped file: chunks of {@code 2^chunkLenLog2} values, each a {@code baseBits}-wide base
 * followed by {@code deltaBits}-wide deltas from it (bits in little-endian order, each chunk padded to whole
 * bytes), then 7 bytes of {@code 0xFF} so that any value can be read with one 8-byte load.
 */
final class OrderedOffsets {

    private static final int TAIL = 7;
    private static final int MAX_CHUNK_LEN_LOG2 = 7;

    private final MappedFile file;
    private final long start;
    private final long length;
    private final int baseBits;
    private final int deltaBits;
    private final int chunkLenLog2;
    private final long baseMask;
    private final long deltaMask;
    private final long chunkBytes;
    private final long compressedBytes;

    private OrderedOffsets(MappedFile file, long start, long length, int baseBits, int deltaBits, int chunkLenLog2) {
        this.file = file;
        this.start = start;
        this.length = length;
        this.baseBits = baseBits;
        this.deltaBits = deltaBits;
        this.chunkLenLog2 = chunkLenLog2;
        this.baseMask = mask(baseBits);
        this.deltaMask = mask(deltaBits);
        this.chunkBytes = (baseBits + (long) deltaBits * ((1L << chunkLenLog2) - 1) + 7) / 8;
        long chunks = (length + (1L << chunkLenLog2) - 1) >> chunkLenLog2;
        this.compressedBytes = chunks * chunkBytes + TAIL;
    }

    /**
     * Validates the parameters (as Qdrant's {@code Parameters::validate}) and that the compressed values fit
     * in the file from {@code start}.
     */
    static OrderedOffsets open(MappedFile file, long start, long length, int baseBits, int deltaBits,
            int chunkLenLog2) {
        if (baseBits < 1 || baseBits > 64 || deltaBits < 1 || deltaBits > 56 || chunkLenLog2 > MAX_CHUNK_LEN_LOG2
                || length < 0) {
            throw new EdgeFormatException(file.path(), "invalid offsets compression parameters: length " + length
                    + ", base bits " + baseBits + ", delta bits " + deltaBits + ", chunk length log2 " + chunkLenLog2);
        }
        OrderedOffsets offsets = new OrderedOffsets(file, start, length, baseBits, deltaBits, chunkLenLog2);
        if (start + offsets.compressedBytes > file.size()) {
            throw new EdgeFormatException(file.path(), "truncated: the compressed offsets need "
                    + offsets.compressedBytes + " bytes from " + start + ", the file has " + file.size());
        }
        return offsets;
    }

    long length() {
        return length;
    }

    /** The value at {@code index}, {@code 0 <= index < length}. */
    long get(long index) {
        long chunk = start + (index >> chunkLenLog2) * chunkBytes;
        long base = file.getLong(chunk) & baseMask;
        long inChunk = index & ((1L << chunkLenLog2) - 1);
        if (inChunk == 0) {
            return base;
        }
        long bits = baseBits + (inChunk - 1) * deltaBits;
        long delta = (file.getLong(chunk + (bits >>> 3)) >>> (bits & 7)) & deltaMask;
        return base + delta;
    }

    private static long mask(int bits) {
        return bits >= 64 ? -1L : (1L << bits) - 1;
    }
}
