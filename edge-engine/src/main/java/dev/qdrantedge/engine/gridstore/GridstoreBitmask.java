package dev.qdrantedge.engine.gridstore;

import dev.qdrantedge.engine.EdgeFormatException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * The allocation metadata of a writable gridstore, held in memory: {@code bitmask.dat} (one bit per block,
 * set = used; bit {@code b} is bit {@code b % 8} of byte {@code b / 8}) and {@code gaps.dat} (per region of
 * {@code region_size_blocks} blocks, three little-endian {@code u16}: longest free run, free blocks at the
 * region start, free blocks at the region end).
 *
 * <p>Allocation follows Qdrant's order: the gaps select the first region (or the first window of adjacent
 * regions whose joined free space suffices) and the first run of enough free blocks inside that window is
 * taken. A store written through the same sequence of puts and flushes therefore places every value where
 * Qdrant would.
 */
final class GridstoreBitmask {

    static final int GAP_BYTES = 6;

    private final GridstoreConfig config;
    private final int blocksPerPage;
    private final int regionBlocks;
    private byte[] bits;
    private int[] gapMax;
    private int[] gapLeading;
    private int[] gapTrailing;
    private boolean dirty;

    private GridstoreBitmask(GridstoreConfig config, byte[] bits) {
        this.config = config;
        this.blocksPerPage = config.blocksPerPage();
        this.regionBlocks = config.regionSizeBlocks();
        if (blocksPerPage % 8 != 0) {
            throw new IllegalArgumentException("blocks per page (" + blocksPerPage + ") must be a multiple of 8");
        }
        this.bits = bits;
        int regions = regionCount();
        this.gapMax = new int[regions];
        this.gapLeading = new int[regions];
        this.gapTrailing = new int[regions];
        for (int r = 0; r < regions; r++) {
            recomputeGaps(r);
        }
    }

    /** An all-free bitmask covering {@code pages} pages. */
    static GridstoreBitmask empty(GridstoreConfig config, int pages) {
        GridstoreBitmask bitmask = new GridstoreBitmask(config, new byte[pages * (config.blocksPerPage() / 8)]);
        bitmask.dirty = true;
        return bitmask;
    }

    /**
     * Loads {@code bitmask.dat} and derives the gaps from it (rather than trusting {@code gaps.dat}); marks
     * itself dirty when the stored gaps disagree, so the next write repairs them.
     */
    static GridstoreBitmask load(Path dir, GridstoreConfig config) {
        Path file = dir.resolve(GridstorePages.BITMASK_FILE);
        byte[] bits = readFile(file);
        int pageBytes = config.blocksPerPage() / 8;
        if (pageBytes == 0 || bits.length % pageBytes != 0) {
            throw new EdgeFormatException(file, "size " + bits.length + " is not a whole number of pages ("
                    + pageBytes + " bytes each)");
        }
        GridstoreBitmask bitmask = new GridstoreBitmask(config, bits);
        byte[] stored = readFile(dir.resolve(GridstorePages.GAPS_FILE));
        bitmask.dirty = !java.util.Arrays.equals(stored, bitmask.gapsBytes());
        return bitmask;
    }

    private static byte[] readFile(Path file) {
        try {
            return java.nio.file.Files.readAllBytes(file);
        } catch (java.nio.file.NoSuchFileException e) {
            throw new EdgeFormatException(file, "file is missing", e);
        } catch (IOException e) {
            throw new EdgeFormatException(file, "cannot read: " + e.getMessage(), e);
        }
    }

    int pageCount() {
        return bits.length / (blocksPerPage / 8);
    }

    long blockCount() {
        return (long) bits.length * 8;
    }

    private int regionCount() {
        return (int) (blockCount() / regionBlocks);
    }

    boolean isUsed(long block) {
        return (bits[(int) (block >>> 3)] & (1 << (block & 7))) != 0;
    }

    /** Number of used blocks. */
    long usedBlocks() {
        long used = 0;
        for (byte b : bits) {
            used += Integer.bitCount(b & 0xFF);
        }
        return used;
    }

    /** The gaps of region {@code r}: {max, leading, trailing}. */
    int[] gaps(int region) {
        return new int[] {gapMax[region], gapLeading[region], gapTrailing[region]};
    }

    /** Extends the bitmask by one all-free page. */
    void addPage() {
        bits = java.util.Arrays.copyOf(bits, bits.length + blocksPerPage / 8);
        int old = gapMax.length;
        int regions = regionCount();
        gapMax = java.util.Arrays.copyOf(gapMax, regions);
        gapLeading = java.util.Arrays.copyOf(gapLeading, regions);
        gapTrailing = java.util.Arrays.copyOf(gapTrailing, regions);
        for (int r = old; r < regions; r++) {
            gapMax[r] = regionBlocks;
            gapLeading[r] = regionBlocks;
            gapTrailing[r] = regionBlocks;
        }
        dirty = true;
    }

    /** Free blocks at the very end of the bitmask, as Qdrant derives them from the gaps. */
    long trailingFreeBlocks() {
        long free = 0;
        for (int r = gapMax.length - 1; r >= 0; r--) {
            free += gapTrailing[r];
            if (gapTrailing[r] != regionBlocks) {
                break;
            }
        }
        return free;
    }

    /** The first block of the first free run of {@code count} (≥ 1) blocks Qdrant would pick, or -1. */
    long findAvailable(int count) {
        int[] window = fittingRegions(count);
        if (window == null) {
            return -1;
        }
        long start = (long) window[0] * regionBlocks;
        long end = (long) window[1] * regionBlocks;
        long run = 0;
        long runStart = start;
        long b = start;
        while (b < end) {
            if ((b & 7) == 0 && b + 8 <= end) {
                int whole = bits[(int) (b >>> 3)] & 0xFF;
                if (whole == 0) {
                    run += 8;
                    b += 8;
                    if (run >= count) {
                        return runStart;
                    }
                    continue;
                }
                if (whole == 0xFF) {
                    if (run >= count) {
                        return runStart;
                    }
                    run = 0;
                    b += 8;
                    runStart = b;
                    continue;
                }
            }
            if (isUsed(b)) {
                if (run >= count) {
                    return runStart;
                }
                run = 0;
                runStart = b + 1;
            } else {
                run++;
                if (run >= count) {
                    return runStart;
                }
            }
            b++;
        }
        return run >= count ? runStart : -1;
    }

    /** The range of regions {@code [from, to)} where Qdrant looks for {@code count} free blocks, or null. */
    private int[] fittingRegions(int count) {
        int regions = gapMax.length;
        if (regions == 1) {
            return gapMax[0] >= count ? new int[] {0, 1} : null;
        }
        int needed = (int) ((count + (long) regionBlocks - 1) / regionBlocks);
        if (needed == 1) {
            for (int r = 0; r < regions; r++) {
                if (gapMax[r] >= count) {
                    return new int[] {r, r + 1};
                }
            }
        } else {
            int[] found = mergedWindow(needed, count);
            if (found != null) {
                return found;
            }
        }
        return mergedWindow(needed + 1, count);
    }

    private int[] mergedWindow(int size, int count) {
        for (int start = 0; start + size <= gapMax.length; start++) {
            boolean middleFree = true;
            for (int r = start + 1; r < start + size - 1; r++) {
                if (gapMax[r] != regionBlocks) {
                    middleFree = false;
                    break;
                }
            }
            if (!middleFree) {
                continue;
            }
            long merged = (long) gapTrailing[start] + gapLeading[start + size - 1]
                    + (long) (size - 2) * regionBlocks;
            if (merged >= count) {
                return new int[] {start, start + size};
            }
        }
        return null;
    }

    /** Marks {@code count} blocks from global block {@code first} as used or free and updates their gaps. */
    void mark(long first, long count, boolean used) {
        if (count <= 0) {
            return;
        }
        for (long b = first; b < first + count; b++) {
            int index = (int) (b >>> 3);
            int bit = 1 << (b & 7);
            bits[index] = (byte) (used ? bits[index] | bit : bits[index] & ~bit);
        }
        int fromRegion = (int) (first / regionBlocks);
        int toRegion = (int) ((first + count + regionBlocks - 1) / regionBlocks);
        for (int r = fromRegion; r < toRegion; r++) {
            recomputeGaps(r);
        }
        dirty = true;
    }

    /**
     * Longest, leading and trailing runs of free blocks in a region, scanned a byte (eight blocks) at a time
     * where the byte is all free or all used.
     */
    private void recomputeGaps(int region) {
        long start = (long) region * regionBlocks;
        int leading = -1;
        int run = 0;
        int max = 0;
        int i = 0;
        while (i < regionBlocks) {
            long block = start + i;
            if ((block & 7) == 0 && i + 8 <= regionBlocks) {
                int b = bits[(int) (block >>> 3)] & 0xFF;
                if (b == 0) {
                    run += 8;
                    i += 8;
                    continue;
                }
                if (b == 0xFF) {
                    if (leading < 0) {
                        leading = run;
                    }
                    max = Math.max(max, run);
                    run = 0;
                    i += 8;
                    continue;
                }
            }
            if (isUsed(block)) {
                if (leading < 0) {
                    leading = run;
                }
                max = Math.max(max, run);
                run = 0;
            } else {
                run++;
            }
            i++;
        }
        if (leading < 0) {
            gapMax[region] = regionBlocks;
            gapLeading[region] = regionBlocks;
            gapTrailing[region] = regionBlocks;
            return;
        }
        gapMax[region] = Math.max(max, run);
        gapLeading[region] = leading;
        gapTrailing[region] = run;
    }

    /** {@code gaps.dat} as it should be on disk. */
    byte[] gapsBytes() {
        ByteBuffer buffer = ByteBuffer.allocate(gapMax.length * GAP_BYTES).order(ByteOrder.LITTLE_ENDIAN);
        for (int r = 0; r < gapMax.length; r++) {
            buffer.putShort((short) gapMax[r]).putShort((short) gapLeading[r]).putShort((short) gapTrailing[r]);
        }
        return buffer.array();
    }

    /** {@code bitmask.dat} as it should be on disk (a copy). */
    byte[] bitmaskBytes() {
        return bits.clone();
    }

    boolean dirty() {
        return dirty;
    }

    /** Writes {@code bitmask.dat}, then {@code gaps.dat}, each forced to disk, if anything changed. */
    void write(Path dir) {
        if (!dirty) {
            return;
        }
        writeFile(dir.resolve(GridstorePages.BITMASK_FILE), bits);
        writeFile(dir.resolve(GridstorePages.GAPS_FILE), gapsBytes());
        dirty = false;
    }

    /** Overwrites a file in place with {@code content} (it never shrinks: bitmasks only grow) and forces it. */
    static void writeFile(Path file, byte[] content) {
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.WRITE)) {
            ByteBuffer buffer = ByteBuffer.wrap(content);
            long position = 0;
            while (buffer.hasRemaining()) {
                position += channel.write(buffer, position);
            }
            if (channel.size() > content.length) {
                channel.truncate(content.length);
            }
            channel.force(true);
        } catch (IOException e) {
            throw new EdgeFormatException(file, "cannot write: " + e.getMessage(), e);
        }
    }

    GridstoreConfig config() {
        return config;
    }
}
