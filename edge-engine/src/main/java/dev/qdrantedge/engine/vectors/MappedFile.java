package dev.qdrantedge.engine.vectors;

import dev.qdrantedge.engine.EdgeFormatException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.MappedByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * A whole file memory-mapped read-only and read as little-endian. A {@link MappedByteBuffer} addresses at
 * most 2 GiB, so larger files are mapped as several consecutive regions; a read that straddles two regions
 * is assembled in a small heap buffer. Reads use absolute positions only, so one instance may serve several
 * threads.
 */
final class MappedFile {

    /** Region size used in production: 1 GiB, well below the 2 GiB limit of a single mapping. */
    static final long DEFAULT_REGION_BYTES = 1L << 30;

    private final Path path;
    private final long size;
    private final long regionBytes;
    private final MappedByteBuffer[] regions;

    private MappedFile(Path path, long size, long regionBytes, MappedByteBuffer[] regions) {
        this.path = path;
        this.size = size;
        this.regionBytes = regionBytes;
        this.regions = regions;
    }

    /** Maps the whole file; a missing or unreadable file is an error naming it. */
    static MappedFile map(Path file) {
        return map(file, DEFAULT_REGION_BYTES);
    }

    /** Maps the whole file in regions of at most {@code regionBytes} bytes (small regions are for tests). */
    static MappedFile map(Path file, long regionBytes) {
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

    Path path() {
        return path;
    }

    /** File length in bytes at the time it was mapped. */
    long size() {
        return size;
    }

    /**
     * {@code length} bytes from {@code position} as a little-endian buffer positioned at 0: a view of the
     * mapping, or a copy where the range straddles two regions.
     */
    ByteBuffer slice(long position, int length) {
        checkRange(position, length);
        if (length == 0) {
            return ByteBuffer.allocate(0).order(ByteOrder.LITTLE_ENDIAN);
        }
        int region = (int) (position / regionBytes);
        int offset = (int) (position % regionBytes);
        if (offset + length <= regions[region].capacity()) {
            return regions[region].slice(offset, length).order(ByteOrder.LITTLE_ENDIAN);
        }
        ByteBuffer copy = ByteBuffer.allocate(length).order(ByteOrder.LITTLE_ENDIAN);
        long at = position;
        while (copy.hasRemaining()) {
            int r = (int) (at / regionBytes);
            int o = (int) (at % regionBytes);
            int n = Math.min(copy.remaining(), regions[r].capacity() - o);
            copy.put(regions[r].slice(o, n));
            at += n;
        }
        return copy.flip();
    }

    /** The byte at {@code position}. */
    byte getByte(long position) {
        checkRange(position, 1);
        return regions[(int) (position / regionBytes)].get((int) (position % regionBytes));
    }

    private void checkRange(long position, int length) {
        if (position < 0 || length < 0 || position > size - length) {
            throw new IndexOutOfBoundsException("bytes [" + position + ", " + (position + length) + ") are outside "
                    + path + " (" + size + " bytes)");
        }
    }
}
