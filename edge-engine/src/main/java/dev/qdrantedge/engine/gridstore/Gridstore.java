package dev.qdrantedge.engine.gridstore;

import dev.qdrantedge.engine.EdgeFormatException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.function.Function;

/**
 * A Qdrant gridstore ("blobstore", mutable mode) opened read-only: values addressed by point offset, as
 * used by payload storage, sparse vector storage and mutable field indexes.
 *
 * <p>Files: {@code config.json} ({@link GridstoreConfig}), {@code tracker.dat} (a pointer slot per point
 * offset, plus {@code tracker_journal.dat} when a recent Qdrant left one), {@code page_N.dat} (the value
 * bytes, memory-mapped) and the allocation metadata {@code bitmask.dat} / {@code gaps.dat}, which a reader
 * only needs to know how many pages there are. Nothing is written.
 *
 * <p>Errors in any file are {@link EdgeFormatException}s naming the file. Instances are safe for concurrent
 * reads. {@link #close()} drops the mappings; the operating system unmaps them once they are unreachable.
 */
public final class Gridstore implements AutoCloseable {

    private final Path directory;
    private final GridstoreConfig config;
    private final GridstoreTracker tracker;
    private final GridstorePages pages;

    private Gridstore(Path directory, GridstoreConfig config, GridstoreTracker tracker, GridstorePages pages) {
        this.directory = directory;
        this.config = config;
        this.tracker = tracker;
        this.pages = pages;
    }

    /** Opens the gridstore in {@code directory}, checking that all its files are present. */
    public static Gridstore open(Path directory) {
        if (!Files.isDirectory(directory)) {
            throw new EdgeFormatException(directory, "gridstore directory is missing");
        }
        GridstoreConfig config = GridstoreConfig.read(directory);
        GridstoreTracker tracker = GridstoreTracker.open(directory);
        GridstorePages pages = GridstorePages.open(directory, config);
        return new Gridstore(directory, config, tracker, pages);
    }

    public Path directory() {
        return directory;
    }

    public GridstoreConfig config() {
        return config;
    }

    /** The number of {@code page_N.dat} files. */
    public int pageCount() {
        return pages.count();
    }

    /** One past the highest point offset that has ever held a value (the tracker header). */
    public long pointerCount() {
        return tracker.pointerCount();
    }

    /**
     * The value stored at a point offset, decompressed when the config says so, or {@code null} when the
     * slot is empty.
     *
     * @param pointOffset the point offset, read as an unsigned 32-bit number
     */
    public byte[] get(int pointOffset) {
        return get(pointOffset, Function.identity());
    }

    /**
     * The value at a point offset decoded by {@code decoder}, or {@code null} when the slot is empty. An
     * {@link IllegalArgumentException} thrown by the decoder (a value that does not decode) becomes an
     * {@link EdgeFormatException} naming the page file that holds the value.
     */
    public <T> T get(int pointOffset, Function<byte[], T> decoder) {
        ValuePointer pointer = tracker.pointer(pointOffset);
        if (pointer == null) {
            return null;
        }
        if (!pages.contains(pointer)) {
            throw new EdgeFormatException(tracker.file(), "slot of point offset " + Integer.toUnsignedString(pointOffset)
                    + " points beyond the " + pages.count() + " page(s): page " + pointer.pageId() + ", block "
                    + pointer.blockOffset() + ", " + pointer.length() + " bytes");
        }
        try {
            byte[] stored = pages.read(pointer);
            byte[] value = config.compression() == GridstoreCompression.LZ4 ? Lz4SizePrepended.decompress(stored)
                    : stored;
            return decoder.apply(value);
        } catch (IllegalArgumentException e) {
            throw new EdgeFormatException(pages.fileOf(pointer), "value of point offset "
                    + Integer.toUnsignedString(pointOffset) + " (block " + pointer.blockOffset() + ", "
                    + pointer.length() + " bytes): " + e.getMessage(), e);
        }
    }

    @Override
    public void close() {
        // Mapped buffers are released by the garbage collector; there is nothing else to free.
    }
}
