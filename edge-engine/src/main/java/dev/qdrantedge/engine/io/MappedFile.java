package dev.qdrantedge.engine.io;

import dev.qdrantedge.engine.EdgeFormatException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.FloatBuffer;
import java.nio.MappedByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * A whole file memory-mapped read-only and read as little-endian. A {@link MappedByteBuffer} addresses at
 * most 2 GiB, so larger files are mapped as several consecutive regions; a read that straddles two regions
 * is assembled from both. Reads use absolute positions only, so one instance may serve several threads.
 * Opening a missing or unreadable file is an {@link EdgeFormatException} naming it.
 */
public final class MappedFile {

    /** Region size used in production: 1 GiB, well below the 2 GiB limit of a single mapping. */
    public static final long DEFAULT_REGION_BYTES = 1L << 30;

    private final Path path;
    private final long size;
    private final long regionBytes;
    /** {@code log2(regionBytes)} where that is a power of two (always in production), else -1. */
    private final int regionShift;
    private final MappedByteBuffer[] regions;
    /** Little-endian float views of the regions, for bulk float copies (see {@link #getFloats}). */
    private final FloatBuffer[] floatRegions;

    /** Floats per bulk copy: 2 KiB pieces stream best into a destination that stays in the L1 cache. */
    private static final int FLOAT_COPY_PIECE = 512;

    private MappedFile(Path path, long size, long regionBytes, MappedByteBuffer[] regions) {
        this.path = path;
        this.size = size;
        this.regionBytes = regionBytes;
        this.regionShift = Long.bitCount(regionBytes) == 1 ? Long.numberOfTrailingZeros(regionBytes) : -1;
        this.regions = regions;
        this.floatRegions = new FloatBuffer[regions.length];
        for (int i = 0; i < regions.length; i++) {
            floatRegions[i] = regions[i].duplicate().order(ByteOrder.LITTLE_ENDIAN).asFloatBuffer();
        }
    }

    /** Maps the whole file; a missing or unreadable file is an error naming it. */
    public static MappedFile map(Path file) {
        return map(file, DEFAULT_REGION_BYTES);
    }

    /** Maps the whole file in regions of at most {@code regionBytes} bytes (small regions are for tests). */
    public static MappedFile map(Path file, long regionBytes) {
        if (regionBytes <= 0 || regionBytes > Integer.MAX_VALUE) {
            throw new IllegalArgumentException("region size must be in 1.." + Integer.MAX_VALUE + ": " + regionBytes);
        }
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ)) {
            long size = channel.size();
            int count = Math.toIntExact((size + regionBytes - 1) / regionBytes);
            MappedByteBuffer[] regions = new MappedByteBuffer[count];
            for (int i = 0; i < count; i++) {
                long start = i * regionBytes;
                long length = Math.min(regionBytes, size - start);
                regions[i] = channel.map(FileChannel.MapMode.READ_ONLY, start, length);
                regions[i].order(ByteOrder.LITTLE_ENDIAN);
            }
            return new MappedFile(file, size, regionBytes, regions);
        } catch (NoSuchFileException e) {
            throw new EdgeFormatException(file, "file is missing", e);
        } catch (IOException e) {
            throw new EdgeFormatException(file, "cannot map: " + e.getMessage(), e);
        }
    }

    public Path path() {
        return path;
    }

    /** File length in bytes at the time it was mapped. */
    public long size() {
        return size;
    }

    /**
     * {@code length} bytes from {@code position} as a little-endian buffer positioned at 0: a view of the
     * mapping, or a copy where the range straddles two regions.
     */
    public ByteBuffer slice(long position, int length) {
        checkRange(position, length);
        if (length == 0) {
            return ByteBuffer.allocate(0).order(ByteOrder.LITTLE_ENDIAN);
        }
        int region = regionOf(position);
        int offset = offsetIn(position);
        if (offset + length <= regions[region].capacity()) {
            return regions[region].slice(offset, length).order(ByteOrder.LITTLE_ENDIAN);
        }
        byte[] copy = new byte[length];
        copyOut(position, copy, 0, length);
        return ByteBuffer.wrap(copy).order(ByteOrder.LITTLE_ENDIAN);
    }

    /** Copies {@code length} bytes from {@code position} into {@code target} at {@code offset}. */
    public void get(long position, byte[] target, int offset, int length) {
        checkRange(position, length);
        if (offset < 0 || length > target.length - offset) {
            throw new IndexOutOfBoundsException("cannot copy " + length + " bytes into an array of " + target.length
                    + " at " + offset);
        }
        copyOut(position, target, offset, length);
    }

    /**
     * Copies {@code count} little-endian 32-bit floats from {@code position} into {@code target} at
     * {@code offset}, as bulk memory copies where the floats are 4-byte aligned within one region (the
     * vectors of a scan), else through {@link #slice}. Allocates nothing on the aligned path.
     */
    public void getFloats(long position, float[] target, int offset, int count) {
        long bytes = (long) count * Float.BYTES;
        if (position < 0 || count < 0 || position > size - bytes || offset < 0 || count > target.length - offset) {
            throw floatsOutside(position, target, offset, count);
        }
        int region = regionOf(position);
        int inRegion = offsetIn(position);
        if ((inRegion & (Float.BYTES - 1)) == 0 && count <= FLOAT_COPY_PIECE
                && inRegion + bytes <= regions[region].capacity()) {
            // the common case, kept small so that callers' loops inline it: one vector, one copy
            floatRegions[region].get(inRegion >>> 2, target, offset, count);
            return;
        }
        copyFloats(position, target, offset, count);
    }

    /**
     * Gathers records of {@code count} little-endian floats: record {@code indexes[i]} (at {@code base + indexes[i]
     * * stride}) into {@code target} from {@code i * count}, for {@code i < n}; as {@link #getFloats} for each,
     * with the file's single mapping resolved once when it has one (the vectors a graph search scores together).
     */
    public void gatherFloats(long base, int stride, int[] indexes, int n, float[] target, int count) {
        if (regions.length != 1 || (base & 3) != 0 || (stride & 3) != 0 || base < 0 || stride < 0
                || (long) n * count > target.length) {
            for (int i = 0; i < n; i++) {
                getFloats(base + (long) indexes[i] * stride, target, i * count, count);
            }
            return;
        }
        FloatBuffer floats = floatRegions[0];
        long last = size - (long) count * Float.BYTES;
        for (int i = 0; i < n; i++) {
            long position = base + (long) indexes[i] * stride;
            if (position < base || position > last) {
                throw floatsOutside(position, target, i * count, count);
            }
            floats.get((int) (position >>> 2), target, i * count, count);
        }
    }

    private void copyFloats(long position, float[] target, int offset, int count) {
        int region = regionOf(position);
        long inRegion = offsetIn(position);
        if (inRegion % Float.BYTES == 0 && inRegion + (long) count * Float.BYTES <= regions[region].capacity()) {
            FloatBuffer floats = floatRegions[region];
            int index = (int) (inRegion / Float.BYTES);
            for (int done = 0; done < count; done += FLOAT_COPY_PIECE) {
                floats.get(index + done, target, offset + done, Math.min(FLOAT_COPY_PIECE, count - done));
            }
            return;
        }
        slice(position, count * Float.BYTES).asFloatBuffer().get(target, offset, count);
    }

    private IndexOutOfBoundsException floatsOutside(long position, float[] target, int offset, int count) {
        if (offset < 0 || count < 0 || count > target.length - offset) {
            return new IndexOutOfBoundsException("cannot copy " + count + " floats into an array of "
                    + target.length + " at " + offset);
        }
        return new IndexOutOfBoundsException("bytes [" + position + ", " + (position + (long) count * Float.BYTES)
                + ") are outside " + path + " (" + size + " bytes)");
    }

    /** The byte at {@code position}. */
    public byte getByte(long position) {
        checkRange(position, 1);
        return regions[regionOf(position)].get(offsetIn(position));
    }

    /** The little-endian 32-bit integer at {@code position}. */
    public int getInt(long position) {
        checkRange(position, Integer.BYTES);
        int region = regionOf(position);
        int offset = offsetIn(position);
        if (offset + Integer.BYTES <= regions[region].capacity()) {
            return regions[region].getInt(offset);
        }
        return slice(position, Integer.BYTES).getInt(0);
    }

    /** The little-endian 64-bit integer at {@code position}. */
    public long getLong(long position) {
        checkRange(position, Long.BYTES);
        int region = regionOf(position);
        int offset = offsetIn(position);
        if (offset + Long.BYTES <= regions[region].capacity()) {
            return regions[region].getLong(offset);
        }
        return slice(position, Long.BYTES).getLong(0);
    }

    private void copyOut(long position, byte[] target, int offset, int length) {
        long at = position;
        int done = 0;
        while (done < length) {
            int r = regionOf(at);
            int o = offsetIn(at);
            int n = Math.min(length - done, regions[r].capacity() - o);
            regions[r].get(o, target, offset + done, n);
            at += n;
            done += n;
        }
    }

    /** The region holding byte {@code position} (a shift, not a division, for power-of-two regions). */
    private int regionOf(long position) {
        return regionShift >= 0 ? (int) (position >>> regionShift) : (int) (position / regionBytes);
    }

    /** Where byte {@code position} is within its region. */
    private int offsetIn(long position) {
        return regionShift >= 0 ? (int) (position & (regionBytes - 1)) : (int) (position % regionBytes);
    }

    private void checkRange(long position, int length) {
        if (position < 0 || length < 0 || position > size - length) {
            throw new IndexOutOfBoundsException("bytes [" + position + ", " + (position + length) + ") are outside "
                    + path + " (" + size + " bytes)");
        }
    }
}
