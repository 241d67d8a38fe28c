package dev.qdrantedge.engine.index.hnsw;

import dev.qdrantedge.engine.EdgeFormatException;
import dev.qdrantedge.engine.io.MappedFile;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * An HNSW links file, decoded one node at a time, either read in place from the mapping or, as Qdrant does for
 * graphs not kept on disk ({@code on_disk} false, the default), from a copy in memory of its compressed neighbour
 * lists and their offsets (see {@link #open(Path, boolean)}). Layout (all little-endian):
 * <ol>
 *   <li>a header: 64 bytes (plain and compressed) or 80 bytes (compressed with vectors);</li>
 *   <li>{@code levels} {@code u64} level offsets: where each level's entries start in the offsets table;</li>
 *   <li>{@code points} {@code u32} reindex: each point's rank in the order of descending top level, which
 *       addresses its entries on levels above 0;</li>
 *   <li>(with vectors) padding to the vectors' alignment;</li>
 *   <li>the neighbour lists, level 0 for every point, then each higher level for the points reaching it;</li>
 *   <li>the offsets table ({@code u64} after padding to 8 bytes, or bit-packed), one more entry than there
 *       are lists: list {@code i} spans {@code offsets[i] .. offsets[i + 1]}.</li>
 * </ol>
 * The entry of (point, level) is {@code point} on level 0, else {@code levelOffsets[level] + reindex[point]}.
 * Compressed lists hold first up to {@code m} (level 0: {@code m0}) links sorted and delta-coded in a width
 * given by a 5-bit header, then any further links (payload sub-graph links) in a fixed width wide enough
 * for any point id; the list's byte length says how many there are. Lists with vectors start (level 0)
 * with the point's own vector, then a varint link count, then the packed links and the links' vectors; the
 * vectors are not read here (search scores with the segment's vector storage).
 *
 * <p>Instances are immutable and may be shared between threads; each search decodes through its own
 * {@link Cursor}.
 */
public final class GraphLinks {

    static final long VERSION_COMPRESSED = 0xFFFF_FFFF_FFFF_FF01L;
    static final long VERSION_COMPRESSED_WITH_VECTORS = 0xFFFF_FFFF_FFFF_FF02L;
    private static final int HEADER_BYTES = 64;
    private static final int HEADER_WITH_VECTORS_BYTES = 80;
    private static final int MIN_BITS_PER_VALUE = 8;
    private static final int SORTED_WIDTH_HEADER_BITS = 5;

    private final MappedFile file;
    private final LinksFormat format;
    private final int pointCount;
    /** Per level where its entries start, plus the index of the last offset (one past the last list). */
    private final long[] levelOffsets;
    private final long reindexStart;
    private final long neighborsStart;
    private final long neighborsSize;
    private final long plainOffsetsStart;
    private final OrderedOffsets packedOffsets;
    private final int m;
    private final int m0;
    private final int bitsPerUnsorted;
    private final long baseVectorBytes;
    /** In-memory mode: the compressed neighbour lists followed by 8 zero bytes, else {@code null}. */
    private byte[] ram;
    /** In-memory mode: every list's start in {@link #ram}, plus the end of the last one. */
    private int[] ramOffsets;

    /** Reads 8 little-endian bytes at any index of a byte array. */
    private static final VarHandle LONGS = MethodHandles.byteArrayViewVarHandle(long[].class,
            ByteOrder.LITTLE_ENDIAN);
    /** The largest neighbour section held in memory: one array, with room for the padding. */
    private static final long MAX_RAM_BYTES = Integer.MAX_VALUE - 64;

    private GraphLinks(MappedFile file, LinksFormat format, int pointCount, long[] levelOffsets, long reindexStart,
            long neighborsStart, long neighborsSize, long plainOffsetsStart, OrderedOffsets packedOffsets, int m,
            int m0, long baseVectorBytes) {
        this.file = file;
        this.format = format;
        this.pointCount = pointCount;
        this.levelOffsets = levelOffsets;
        this.reindexStart = reindexStart;
        this.neighborsStart = neighborsStart;
        this.neighborsSize = neighborsSize;
        this.plainOffsetsStart = plainOffsetsStart;
        this.packedOffsets = packedOffsets;
        this.m = m;
        this.m0 = m0;
        this.bitsPerUnsorted = Math.max(MIN_BITS_PER_VALUE, 32 - Integer.numberOfLeadingZeros(Math.max(0,
                pointCount - 1)));
        this.baseVectorBytes = baseVectorBytes;
    }

    /**
     * Opens the links file of an index directory, probing the three forms in Qdrant's order; {@code null} when
     * there is none.
     */
    public static GraphLinks open(Path indexDir) {
        return open(indexDir, false);
    }

    /**
     * As {@link #open(Path)}; with {@code inRam}, compressed lists (and their offsets) are copied into memory
     * at open, as Qdrant loads a graph whose HNSW config does not keep it on disk, which makes decoding cheaper
     * and checks every offset once. Plain files, and neighbour sections over 2 GiB, stay mapped.
     */
    public static GraphLinks open(Path indexDir, boolean inRam) {
        for (LinksFormat format : LinksFormat.values()) {
            Path path = indexDir.resolve(format.fileName());
            if (Files.isRegularFile(path)) {
                GraphLinks links = open(path, format);
                if (inRam) {
                    links.loadIntoMemory();
                }
                return links;
            }
        }
        return null;
    }

    /** Copies the compressed lists and their decoded offsets into memory; checks that the offsets ascend. */
    private void loadIntoMemory() {
        if (format == LinksFormat.PLAIN || neighborsSize > MAX_RAM_BYTES) {
            return;
        }
        long lists = packedOffsets.length();
        int[] offsets = new int[(int) lists];
        long previous = 0;
        for (int i = 0; i < offsets.length; i++) {
            long offset = packedOffsets.get(i);
            if (offset < previous || offset > neighborsSize) {
                throw corrupt(file, "neighbour list offset " + i + " (" + offset + ") is not within " + previous
                        + ".." + neighborsSize);
            }
            offsets[i] = (int) offset;
            previous = offset;
        }
        byte[] bytes = new byte[(int) neighborsSize + 8];
        file.get(neighborsStart, bytes, 0, (int) neighborsSize);
        this.ramOffsets = offsets;
        this.ram = bytes;
    }

    /** Whether the compressed lists are decoded from memory rather than from the mapping. */
    public boolean inMemory() {
        return ram != null;
    }

    /** Opens {@code path} as a links file of the given form. */
    public static GraphLinks open(Path path, LinksFormat format) {
        MappedFile file = MappedFile.map(path);
        long size = file.size();
        int headerBytes = format == LinksFormat.COMPRESSED_WITH_VECTORS ? HEADER_WITH_VECTORS_BYTES : HEADER_BYTES;
        if (size < headerBytes) {
            throw corrupt(file, "truncated: " + size + " bytes, the header alone is " + headerBytes);
        }
        long points = file.getLong(0);
        if (points < 0 || points > Integer.MAX_VALUE) {
            throw corrupt(file, "point count " + Long.toUnsignedString(points) + " is out of range");
        }
        long levels;
        long totalOffsets;
        long neighborsSize;
        long padding = 0;
        int m = 0;
        int m0 = 0;
        long baseVectorBytes = 0;
        int offsetBase = 0;
        int offsetDelta = 0;
        int chunkLog2 = 0;
        if (format == LinksFormat.PLAIN) {
            levels = file.getLong(8);
            neighborsSize = file.getLong(16);
            totalOffsets = file.getLong(24);
            padding = file.getLong(32);
            if (neighborsSize < 0 || neighborsSize > size / 4 || padding < 0 || padding > 7) {
                throw corrupt(file, "neighbour count " + Long.toUnsignedString(neighborsSize) + " or padding "
                        + Long.toUnsignedString(padding) + " does not fit the file");
            }
        } else {
            long version = file.getLong(8);
            long expected = format == LinksFormat.COMPRESSED ? VERSION_COMPRESSED : VERSION_COMPRESSED_WITH_VECTORS;
            if (version != expected) {
                throw corrupt(file, "header version 0x" + Long.toHexString(version) + ", expected 0x"
                        + Long.toHexString(expected) + " for " + format);
            }
            levels = file.getLong(16);
            neighborsSize = file.getLong(24);
            totalOffsets = file.getLong(32);
            offsetBase = file.getByte(40) & 0xFF;
            offsetDelta = file.getByte(41) & 0xFF;
            chunkLog2 = file.getByte(42) & 0xFF;
            m = count(file, file.getLong(43), "m");
            m0 = count(file, file.getLong(51), "m0");
            if (format == LinksFormat.COMPRESSED_WITH_VECTORS) {
                baseVectorBytes = file.getLong(59);
                int baseAlign = file.getByte(67) & 0xFF;
                long linkVectorBytes = file.getLong(68);
                int linkAlign = file.getByte(76) & 0xFF;
                if (baseVectorBytes < 0 || baseVectorBytes > size || linkVectorBytes <= 0 || linkVectorBytes > size
                        || Integer.bitCount(baseAlign) != 1 || Integer.bitCount(linkAlign) != 1) {
                    throw corrupt(file, "invalid vector layouts: base " + baseVectorBytes + " bytes aligned to "
                            + baseAlign + ", link " + linkVectorBytes + " bytes aligned to " + linkAlign);
                }
                padding = -1L - Math.max(baseAlign, linkAlign); // resolved below, once the position is known
            }
            if (neighborsSize < 0 || neighborsSize > size) {
                throw corrupt(file, "neighbour bytes " + Long.toUnsignedString(neighborsSize) + " exceed the file");
            }
        }
        if (levels < 0 || levels > 1024 || (points > 0 && levels == 0)) {
            throw corrupt(file, "level count " + Long.toUnsignedString(levels) + " is out of range");
        }
        if (totalOffsets < 1 || totalOffsets > size) {
            throw corrupt(file, "offset count " + Long.toUnsignedString(totalOffsets) + " is out of range");
        }
        long pos = headerBytes;
        need(file, pos, levels * 8 + points * 4, "the level offsets and the reindex");
        long[] levelOffsets = new long[(int) levels + 1];
        for (int l = 0; l < levels; l++) {
            levelOffsets[l] = file.getLong(pos + 8L * l);
        }
        levelOffsets[(int) levels] = totalOffsets - 1;
        for (int l = 0; l < levels; l++) {
            if (levelOffsets[l] < 0 || levelOffsets[l] > levelOffsets[l + 1]) {
                throw corrupt(file, "level offsets are not ascending at level " + l);
            }
        }
        if (levels > 0 && (levelOffsets[0] != 0 || levelOffsets[1] != points)) {
            throw corrupt(file, "level 0 must hold one list per point (" + points + ")");
        }
        pos += levels * 8;
        long reindexStart = pos;
        pos += points * 4;
        if (format == LinksFormat.PLAIN) {
            long neighborsStart = pos;
            pos += neighborsSize * 4;
            need(file, neighborsStart, neighborsSize * 4 + padding + totalOffsets * 8, "the neighbours and offsets");
            long offsetsStart = pos + padding;
            return new GraphLinks(file, format, (int) points, levelOffsets, reindexStart, neighborsStart,
                    neighborsSize, offsetsStart, null, 0, 0, 0);
        }
        if (format == LinksFormat.COMPRESSED_WITH_VECTORS) {
            long align = -1L - padding;
            pos = (pos + align - 1) / align * align;
        }
        long neighborsStart = pos;
        need(file, neighborsStart, neighborsSize, "the neighbour lists");
        OrderedOffsets offsets = OrderedOffsets.open(file, neighborsStart + neighborsSize, totalOffsets, offsetBase,
                offsetDelta, chunkLog2);
        return new GraphLinks(file, format, (int) points, levelOffsets, reindexStart, neighborsStart, neighborsSize,
                0, offsets, m, m0, baseVectorBytes);
    }

    public LinksFormat format() {
        return format;
    }

    /** The file read. */
    public Path path() {
        return file.path();
    }

    /** Points (nodes) in the graph: the segment's internal ids {@code 0 .. pointCount() - 1}. */
    public int pointCount() {
        return pointCount;
    }

    /** Levels in the graph (the top level is {@code levelCount() - 1}). */
    public int levelCount() {
        return levelOffsets.length - 1;
    }

    /** Links per node on {@code level} the compressed lists sort ({@code m0} on level 0, else {@code m}). */
    int levelM(int level) {
        return level == 0 ? m0 : m;
    }

    /** Points whose top level is {@code level} or higher. */
    public long pointsOnLevel(int level) {
        return levelOffsets[level + 1] - levelOffsets[level];
    }

    /** The highest level {@code point} is on. */
    public int pointLevel(int point) {
        checkPoint(point);
        long rank = Integer.toUnsignedLong(file.getInt(reindexStart + 4L * point));
        int levels = levelCount();
        for (int level = 1; level < levels; level++) {
            if (rank >= pointsOnLevel(level)) {
                return level - 1;
            }
        }
        return levels - 1;
    }

    /**
     * The bytes of the vector stored with {@code point}'s level-0 list in the compressed-with-vectors form (the
     * vector storage of segments whose vectors live in the graph, {@code GraphInline}), in the storage's
     * element type; {@code null} in the other forms.
     */
    public java.nio.ByteBuffer baseVector(int point) {
        if (format != LinksFormat.COMPRESSED_WITH_VECTORS) {
            return null;
        }
        checkPoint(point);
        long start = packedOffsets.get(point);
        long end = packedOffsets.get(point + 1L);
        checkList(start, end, neighborsSize, point, 0);
        if (end - start < baseVectorBytes) {
            throw corrupt(file, "the level-0 list of point " + point + " is shorter than its vector");
        }
        return file.slice(neighborsStart + start, (int) baseVectorBytes);
    }

    /** A decoder for one thread. */
    public Cursor cursor() {
        return new Cursor();
    }

    private void checkPoint(int point) {
        if (point < 0 || point >= pointCount) {
            throw new IndexOutOfBoundsException("point " + point + " is not in the graph of " + pointCount + " points");
        }
    }

    /** Decodes neighbour lists into a reused buffer; not for concurrent use. */
    public final class Cursor {

        private byte[] bytes = new byte[256];
        private int[] links = new int[64];
        private int count;

        private Cursor() {
        }

        /**
         * Decodes the links of {@code point} on {@code level}; read them with {@link #count()} and
         * {@link #link(int)}. A list that does not fit the file, or a link outside the graph, is an
         * {@link EdgeFormatException} naming the file.
         */
        public void load(int point, int level) {
            checkPoint(point);
            if (level < 0 || level >= levelCount()) {
                throw new IndexOutOfBoundsException("level " + level + " is not in a graph of " + levelCount()
                        + " levels");
            }
            long index;
            if (level == 0) {
                index = point;
            } else {
                long rank = Integer.toUnsignedLong(file.getInt(reindexStart + 4L * point));
                if (rank >= pointsOnLevel(level)) {
                    throw new IndexOutOfBoundsException("point " + point + " is not on level " + level);
                }
                index = levelOffsets[level] + rank;
            }
            count = 0;
            if (format == LinksFormat.PLAIN) {
                long start = file.getLong(plainOffsetsStart + 8 * index);
                long end = file.getLong(plainOffsetsStart + 8 * index + 8);
                checkList(start, end, neighborsSize, point, level);
                int n = (int) (end - start);
                ensure(n);
                for (int i = 0; i < n; i++) {
                    add(file.getInt(neighborsStart + 4 * (start + i)));
                }
                return;
            }
            byte[] src;
            int from;
            int len;
            if (ram != null) {
                src = ram;
                from = ramOffsets[(int) index];
                len = ramOffsets[(int) index + 1] - from;
            } else {
                long start = packedOffsets.get(index);
                long end = packedOffsets.get(index + 1);
                checkList(start, end, neighborsSize, point, level);
                len = (int) (end - start);
                if (len > bytes.length - 8) {
                    bytes = new byte[len + 64];
                }
                file.get(neighborsStart + start, bytes, 0, len);
                java.util.Arrays.fill(bytes, len, len + 8, (byte) 0);
                src = bytes;
                from = 0;
            }
            int end = from + len;
            int size = len;
            if (format == LinksFormat.COMPRESSED_WITH_VECTORS) {
                if (level == 0) {
                    from += (int) baseVectorBytes;
                }
                long n = 0;
                int shift = 0;
                while (true) {
                    if (from >= end || shift > 35) {
                        throw corrupt(file, "the link count of point " + point + " on level " + level
                                + " is not a valid varint");
                    }
                    int b = src[from++] & 0xFF;
                    n |= (long) (b & 0x7F) << shift;
                    shift += 7;
                    if ((b & 0x80) == 0) {
                        break;
                    }
                }
                size = packedSize(src, from, (int) Math.min(n, Integer.MAX_VALUE), levelM(level));
                if (size > end - from) {
                    throw corrupt(file, "the links of point " + point + " on level " + level + " overrun their list");
                }
            }
            unpack(src, from, size, levelM(level), point, level);
        }

        public int count() {
            return count;
        }

        public int link(int i) {
            return links[i];
        }

        /** Bytes of packed links: {@code packed_links_size} in Qdrant. */
        private int packedSize(byte[] src, int from, int total, int sortedCount) {
            if (total == 0) {
                return 0;
            }
            long bits = 0;
            int sorted = Math.min(total, sortedCount);
            if (sorted > 0) {
                int width = (src[from] & 0x1F) + MIN_BITS_PER_VALUE;
                bits += SORTED_WIDTH_HEADER_BITS + (long) sorted * width;
            }
            bits += (long) (total - sorted) * bitsPerUnsorted;
            return (int) Math.min(Integer.MAX_VALUE, (bits + 7) / 8);
        }

        /**
         * {@code iterate_packed_links}: sorted deltas, then unsorted values, until the {@code size} bytes from
         * {@code from} run out. {@code src} has at least 8 readable bytes after them.
         */
        private void unpack(byte[] src, int from, int size, int sortedCount, int point, int level) {
            long bit = (long) from * 8;
            long remaining = (long) size * 8;
            int sorted = 0;
            int width = 0;
            if (sortedCount != 0 && size > 0) {
                width = (int) bits(src, bit, SORTED_WIDTH_HEADER_BITS) + MIN_BITS_PER_VALUE;
                bit += SORTED_WIDTH_HEADER_BITS;
                remaining -= SORTED_WIDTH_HEADER_BITS;
                sorted = (int) Math.min(sortedCount, remaining / width);
                remaining -= (long) sorted * width;
            }
            int unsortedWidth = bitsPerUnsorted;
            int unsorted = (int) (remaining / unsortedWidth);
            ensure(sorted + unsorted);
            int[] out = links;
            int limit = pointCount;
            // sorted: deltas from the previous value; values past the point count (so no u32 overflow either)
            // are refused as they are decoded
            long mask = (1L << width) - 1;
            long value = 0;
            for (int i = 0; i < sorted; i++) {
                value += ((long) LONGS.get(src, (int) (bit >>> 3)) >>> (bit & 7)) & mask;
                bit += width;
                if (value >= limit) {
                    throw beyond(value, point, level);
                }
                out[i] = (int) value;
            }
            long unsortedMask = (1L << unsortedWidth) - 1;
            for (int i = 0; i < unsorted; i++) {
                long link = ((long) LONGS.get(src, (int) (bit >>> 3)) >>> (bit & 7)) & unsortedMask;
                bit += unsortedWidth;
                if (link >= limit) {
                    throw beyond(link, point, level);
                }
                out[sorted + i] = (int) link;
            }
            count = sorted + unsorted;
        }

        private EdgeFormatException beyond(long link, int point, int level) {
            return corrupt(file, "point " + point + " on level " + level + " links to " + link + ", beyond the "
                    + pointCount + " points");
        }

        /** {@code width <= 32} bits starting at bit {@code bit} of {@code src}, least significant first. */
        private static long bits(byte[] src, long bit, int width) {
            long word = (long) LONGS.get(src, (int) (bit >>> 3));
            return (word >>> (bit & 7)) & ((1L << width) - 1);
        }

        private void ensure(int n) {
            if (links.length < n) {
                links = new int[Math.max(n, links.length * 2)];
            }
        }

        private void add(int link) {
            if (link < 0 || link >= pointCount) {
                throw corrupt(file, "a link to " + Integer.toUnsignedString(link) + " is beyond the " + pointCount
                        + " points");
            }
            ensure(count + 1);
            links[count++] = link;
        }
    }

    private void checkList(long start, long end, long limit, int point, int level) {
        if (start < 0 || start > end || end > limit || end - start > Integer.MAX_VALUE - 64) {
            throw corrupt(file, "the list of point " + point + " on level " + level + " spans " + start + ".." + end
                    + ", outside the " + limit + " neighbour entries");
        }
    }

    private static void need(MappedFile file, long from, long bytes, String what) {
        if (bytes < 0 || from + bytes > file.size()) {
            throw corrupt(file, "truncated: " + what + " need " + bytes + " bytes from " + from + ", the file has "
                    + file.size());
        }
    }

    private static int count(MappedFile file, long value, String name) {
        if (value < 0 || value > 1 << 20) {
            throw corrupt(file, name + " " + Long.toUnsignedString(value) + " is out of range");
        }
        return (int) value;
    }

    private static EdgeFormatException corrupt(MappedFile file, String problem) {
        return new EdgeFormatException(file.path(), problem);
    }
}
