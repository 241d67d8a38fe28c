package dev.qdrantedge.engine.index.hnsw.build;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

/**
 * {@code links_compressed.bin} read back by a decoder written from Qdrant's reader ({@code GraphLinks} over the
 * Compressed header, {@code iterate_packed_links}, {@code bitpacking_ordered} decoding) gives every point's links
 * on every level; {@code graph.bin} and {@code hnsw_config.json} have Qdrant's layout.
 */
class CompressedLinksTest {

    @ParameterizedTest
    @ValueSource(ints = {1, 2, 17, 300, 70_000})
    void linksReadBackAsQdrantReadsThem(int n) {
        Random random = new Random(n);
        int m = 6;
        int m0 = 12;
        int[][][] links = new int[n][][];
        for (int p = 0; p < n; p++) {
            int level = random.nextInt(20) == 0 ? 1 + random.nextInt(3) : 0;
            links[p] = new int[level + 1][];
            for (int l = 0; l <= level; l++) {
                int count = Math.min(n, random.nextInt((l == 0 ? m0 : m) + 1));
                links[p][l] = random.ints(0, n).distinct().limit(count).toArray();
            }
        }
        HnswGraph graph = new HnswGraph(links, m, m0, 32, List.of(new EntryPoint(0, links[0].length - 1)), List.of(),
                1);
        ByteBuffer file = ByteBuffer.wrap(CompressedLinks.serialize(graph)).order(ByteOrder.LITTLE_ENDIAN);

        assertThat(file.getLong(0)).isEqualTo(n);
        assertThat(file.getLong(8)).isEqualTo(0xFFFF_FFFF_FFFF_FF01L);
        int levels = (int) file.getLong(16);
        assertThat(levels).isEqualTo(graph.levelCount());
        long neighboursBytes = file.getLong(24);
        long offsetsLength = file.getLong(32);
        int baseBits = file.get(40);
        int deltaBits = file.get(41);
        int chunkLog2 = file.get(42);
        assertThat(file.getLong(43)).isEqualTo(m);
        assertThat(file.getLong(51)).isEqualTo(m0);
        long[] levelOffsets = new long[levels];
        for (int l = 0; l < levels; l++) {
            levelOffsets[l] = file.getLong(64 + 8 * l);
        }
        int reindexAt = 64 + 8 * levels;
        int neighboursAt = reindexAt + 4 * n;
        int offsetsAt = (int) (neighboursAt + neighboursBytes);
        long chunkBytes = (baseBits + (long) deltaBits * ((1 << chunkLog2) - 1) + 7) / 8;
        long chunks = (offsetsLength + (1L << chunkLog2) - 1) >> chunkLog2;
        assertThat(file.capacity()).isEqualTo(offsetsAt + chunks * chunkBytes + 7);
        int bitsPerUnsorted = Math.max(8, 32 - Integer.numberOfLeadingZeros(Math.max(0, n - 1)));

        for (int p = 0; p < n; p++) {
            for (int l = 0; l <= graph.level(p); l++) {
                long index = l == 0 ? p : levelOffsets[l] + file.getInt(reindexAt + 4 * p);
                long start = offset(file, offsetsAt, index, baseBits, deltaBits, chunkLog2, chunkBytes);
                long end = offset(file, offsetsAt, index + 1, baseBits, deltaBits, chunkLog2, chunkBytes);
                int[] decoded = unpack(file, (int) (neighboursAt + start), (int) (end - start), l == 0 ? m0 : m,
                        bitsPerUnsorted);
                int[] expected = links[p][l].clone();
                Arrays.sort(expected);
                Arrays.sort(decoded);
                assertThat(decoded).as("links of %d on level %d", p, l).isEqualTo(expected);
            }
        }
    }

    @Test
    void graphDataAndConfigHaveQdrantsLayout() {
        int[][][] links = {{{1}, {}}, {{0}}};
        HnswGraph graph = new HnswGraph(links, 16, 32, 100, List.of(new EntryPoint(0, 1)),
                List.of(new EntryPoint(1, 0)), 10);
        ByteBuffer data = ByteBuffer.wrap(HnswIndexFiles.graphData(graph)).order(ByteOrder.LITTLE_ENDIAN);
        assertThat(data.capacity()).isEqualTo(8 * 3 + 8 + 12 + 8 + 12 + 8);
        assertThat(data.getLong(0)).isEqualTo(16);
        assertThat(data.getLong(8)).isEqualTo(32);
        assertThat(data.getLong(16)).isEqualTo(100);
        assertThat(data.getLong(24)).isEqualTo(1); // entry_points: one
        assertThat(data.getInt(32)).isZero();
        assertThat(data.getLong(36)).isEqualTo(1);
        assertThat(data.getLong(44)).isEqualTo(1); // extra entry points: one
        assertThat(data.getInt(52)).isEqualTo(1);
        assertThat(data.getLong(56)).isZero();
        assertThat(data.getLong(64)).isEqualTo(10); // the queue's capacity
        assertThat(HnswIndexFiles.configJson(graph, 20, 0)).isEqualTo("{\"m\":16,\"m0\":32,\"ef_construct\":100,"
                + "\"ef\":100,\"full_scan_threshold\":20,\"max_indexing_threads\":0,\"payload_m\":null,"
                + "\"payload_m0\":null,\"indexed_vector_count\":2}");
    }

    private static long bits(ByteBuffer file, long bitPosition, int width) {
        long value = 0;
        for (int i = 0; i < width; i++) {
            long bit = bitPosition + i;
            int b = file.get((int) (bit >>> 3)) & 0xFF;
            value |= (long) ((b >>> (bit & 7)) & 1) << i;
        }
        return value;
    }

    private static long offset(ByteBuffer file, int at, long index, int baseBits, int deltaBits, int chunkLog2,
            long chunkBytes) {
        long chunkStart = (long) at * 8 + (index >> chunkLog2) * chunkBytes * 8;
        long base = bits(file, chunkStart, baseBits);
        long inChunk = index & ((1L << chunkLog2) - 1);
        return inChunk == 0 ? base : base + bits(file, chunkStart + baseBits + (inChunk - 1) * deltaBits, deltaBits);
    }

    private static int[] unpack(ByteBuffer file, int at, int length, int sortedCount, int bitsPerUnsorted) {
        if (length == 0) {
            return new int[0];
        }
        long position = (long) at * 8;
        long remaining = (long) length * 8;
        int bitsPerSorted = (int) bits(file, position, 5) + 8;
        position += 5;
        remaining -= 5;
        int[] out = new int[length * 8];
        int count = 0;
        long previous = 0;
        long sorted = Math.min(sortedCount, remaining / bitsPerSorted);
        for (int i = 0; i < sorted; i++) {
            previous += bits(file, position, bitsPerSorted);
            out[count++] = (int) previous;
            position += bitsPerSorted;
            remaining -= bitsPerSorted;
        }
        while (remaining >= bitsPerUnsorted) {
            out[count++] = (int) bits(file, position, bitsPerUnsorted);
            position += bitsPerUnsorted;
            remaining -= bitsPerUnsorted;
        }
        return Arrays.copyOf(out, count);
    }
}
