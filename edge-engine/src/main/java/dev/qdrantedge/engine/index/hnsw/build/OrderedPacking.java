package dev.qdrantedge.engine.index.hnsw.build;

/**
 * Qdrant's {@code bitpacking_ordered}: a sorted {@code u64} sequence cut into chunks of {@code 2^chunk_len_log2}
 * values, each stored as a base of {@code base_bits} and deltas of {@code delta_bits}, byte-aligned, the last
 * chunk padded with all-ones deltas, followed by 7 bytes {@code 0xFF}. The parameters are those giving the
 * smallest output (the first such when several tie).
 */
final class OrderedPacking {

    static final int TAIL_SIZE = 7;
    private static final int MAX_CHUNK_LEN_LOG2 = 7;
    private static final int MAX_DELTA_BITS = 56;

    /** Compression parameters (stored in the links file's header). */
    record Parameters(long length, int baseBits, int deltaBits, int chunkLenLog2) {

        long compressedSize() {
            long chunks = (length + (1L << chunkLenLog2) - 1) >> chunkLenLog2;
            return chunks * chunkSizeBytes() + TAIL_SIZE;
        }

        long chunkSizeBytes() {
            long bits = baseBits + (long) deltaBits * ((1L << chunkLenLog2) - 1);
            return (bits + 7) / 8;
        }
    }

    private OrderedPacking() {
    }

    static Parameters findBest(long[] values) {
        long last = values.length == 0 ? 0 : values[values.length - 1];
        Parameters best = null;
        for (int log2 = 0; log2 <= MAX_CHUNK_LEN_LOG2; log2++) {
            int chunk = 1 << log2;
            int deltaBits = 1;
            for (int start = 0; start < values.length; start += chunk) {
                int end = Math.min(values.length, start + chunk) - 1;
                deltaBits = Math.max(deltaBits, BitWriter.packedBits(values[end] - values[start]));
            }
            if (deltaBits > MAX_DELTA_BITS) {
                continue;
            }
            Parameters p = new Parameters(values.length, Math.max(1, BitWriter.packedBits(last)), deltaBits, log2);
            if (best == null || p.compressedSize() < best.compressedSize()) {
                best = p;
            }
        }
        if (best == null) {
            throw new IllegalArgumentException("values cannot be packed: gaps wider than " + MAX_DELTA_BITS + " bits");
        }
        return best;
    }

    static void compress(long[] values, Parameters p, ByteSink out) {
        int chunk = 1 << p.chunkLenLog2();
        for (int start = 0; start < values.length; start += chunk) {
            int end = Math.min(values.length, start + chunk);
            BitWriter w = new BitWriter(out);
            long first = values[start];
            w.write(first, p.baseBits());
            for (int i = start + 1; i < end; i++) {
                w.write(values[i] - first, p.deltaBits());
            }
            for (int i = end - start; i < chunk; i++) {
                w.write(BitWriter.mask(p.deltaBits()), p.deltaBits());
            }
            w.finish();
        }
        for (int i = 0; i < TAIL_SIZE; i++) {
            out.write(0xFF);
        }
    }
}
