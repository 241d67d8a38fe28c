package dev.qdrantedge.engine.index.hnsw.build;

import java.util.Arrays;
import java.util.Comparator;
import java.util.stream.IntStream;

/**
 * Serializes a graph's links in Qdrant's Compressed form ({@code links_compressed.bin}, as
 * {@code serialize_graph_links} writes it): a 64-byte header, the offset of each level in the offsets table,
 * the reindex (each point's position among points ordered by descending top level), the packed neighbour lists
 * (level 0 for every point in id order, then each higher level for the points reaching it in reindex order) and
 * the offsets of the lists, compressed by {@link OrderedPacking}.
 *
 * <p>A list is packed as Qdrant's {@code pack_links}: its first {@code min(len, m_level)} links sorted and
 * delta-coded behind a 5-bit width header, any further links in a fixed width wide enough for every point id.
 */
final class CompressedLinks {

    static final String FILE = "links_compressed.bin";
    static final long HEADER_VERSION = 0xFFFF_FFFF_FFFF_FF01L;
    private static final int HEADER_SIZE = 64;
    private static final int MIN_BITS = 8;
    private static final int HEADER_BITS = 5;

    private CompressedLinks() {
    }

    static byte[] serialize(HnswGraph graph) {
        int n = graph.pointCount();
        int bitsPerUnsorted = Math.max(MIN_BITS, BitWriter.packedBits(Math.max(0, n - 1)));
        Integer[] boxed = IntStream.range(0, n).boxed().toArray(Integer[]::new);
        Arrays.sort(boxed, Comparator.comparingInt((Integer p) -> graph.level(p)).reversed());
        int[] backIndex = Arrays.stream(boxed).mapToInt(Integer::intValue).toArray();
        int levels = n == 0 ? 0 : graph.level(backIndex[0]) + 1;
        long[] countByLevel = new long[levels];
        for (int p = 0; p < n; p++) {
            countByLevel[graph.level(p)]++;
        }

        ByteSink out = new ByteSink();
        for (int i = 0; i < HEADER_SIZE; i++) {
            out.write(0);
        }
        long totalOffsets = 0;
        long suffix = Arrays.stream(countByLevel).sum();
        for (long count : countByLevel) {
            out.writeLong(totalOffsets);
            totalOffsets += suffix;
            suffix -= count;
        }
        totalOffsets += 1;
        int[] reindex = new int[n];
        for (int i = 0; i < n; i++) {
            reindex[backIndex[i]] = i;
        }
        for (int r : reindex) {
            out.writeInt(r);
        }

        ByteSink neighbours = new ByteSink();
        long[] offsets = new long[(int) totalOffsets];
        int o = 0;
        offsets[o++] = 0;
        for (int level = 0; level < levels; level++) {
            int levelM = level == 0 ? graph.m0() : graph.m();
            int count = 0;
            for (int l = level; l < levels; l++) {
                count += (int) countByLevel[l];
            }
            for (int i = 0; i < count; i++) {
                int point = level == 0 ? i : backIndex[i];
                packLinks(graph.linksView(point, level), bitsPerUnsorted, levelM, neighbours);
                offsets[o++] = neighbours.size();
            }
        }
        out.writeAll(neighbours);
        OrderedPacking.Parameters params = OrderedPacking.findBest(offsets);
        OrderedPacking.compress(offsets, params, out);

        byte[] bytes = out.toByteArray();
        ByteSink header = new ByteSink();
        header.writeLong(n);
        header.writeLong(HEADER_VERSION);
        header.writeLong(levels);
        header.writeLong(neighbours.size());
        header.writeLong(params.length());
        header.write(params.baseBits());
        header.write(params.deltaBits());
        header.write(params.chunkLenLog2());
        header.writeLong(graph.m());
        header.writeLong(graph.m0());
        byte[] head = header.toByteArray();
        System.arraycopy(head, 0, bytes, 0, head.length); // the rest of the 64 bytes stays zero
        return bytes;
    }

    static void packLinks(int[] raw, int bitsPerUnsorted, int levelM, ByteSink out) {
        if (raw.length == 0) {
            return;
        }
        int sortedCount = Math.min(raw.length, levelM);
        int[] links = raw.clone();
        Arrays.sort(links, 0, sortedCount);
        BitWriter w = new BitWriter(out);
        if (sortedCount > 0) {
            long maxDelta = Integer.toUnsignedLong(links[0]);
            for (int i = 1; i < sortedCount; i++) {
                maxDelta = Math.max(maxDelta, Integer.toUnsignedLong(links[i] - links[i - 1]));
            }
            int bitsPerSorted = Math.max(MIN_BITS, BitWriter.packedBits(maxDelta));
            w.write(bitsPerSorted - MIN_BITS, HEADER_BITS);
            int previous = 0;
            for (int i = 0; i < sortedCount; i++) {
                w.write(Integer.toUnsignedLong(links[i] - previous), bitsPerSorted);
                previous = links[i];
            }
        }
        for (int i = sortedCount; i < links.length; i++) {
            w.write(Integer.toUnsignedLong(links[i]), bitsPerUnsorted);
        }
        w.finish();
    }
}
