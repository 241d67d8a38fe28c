package dev.qdrantedge.engine.gridstore;

import dev.qdrantedge.engine.EdgeFormatException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * A Qdrant gridstore opened for writing, producing files Qdrant (and {@link Gridstore}) load.
 *
 * <p><b>Layout of a write.</b> {@link #put} compresses the value when the config says so, takes
 * {@code ceil(length / block_size)} free blocks where Qdrant would take them (see {@link GridstoreBitmask}),
 * adding pages when nothing fits, writes the bytes into the page files at once and marks the blocks used.
 * The new pointer stays in memory until {@link #flush()}. Values are never overwritten in place: the blocks
 * of a replaced or deleted value are only released after the tracker that no longer points at them is on
 * disk.
 *
 * <p><b>Flush</b> (each step forced to disk before the next): {@code bitmask.dat} and {@code gaps.dat}
 * with the new allocations; the page files; {@code tracker.dat} (changed slots, then the header); finally
 * {@code bitmask.dat}/{@code gaps.dat} again with the released blocks. This is Qdrant's own order.
 *
 * <p><b>Crash between or during flushes.</b> The tracker on disk only ever points at blocks whose bytes
 * were forced before it and that are not released before it is replaced, so a reader sees the state of the
 * last completed flush (or, for a crash inside the tracker step, a mix of old and new slots, each pointing
 * at intact data). What a crash can leave is blocks marked used that nothing points to: space is leaked,
 * nothing is corrupted. Qdrant replays its write-ahead log over the segment, which re-applies the lost
 * writes. A crash right after a new page file is created but before {@code bitmask.dat} grows leaves one
 * page file too many, which Qdrant refuses to open, exactly as with Qdrant's own writer.
 *
 * <p><b>Tracker journal.</b> Recent Qdrant builds keep a {@code tracker_journal.dat} whose entries they
 * replay onto {@code tracker.dat} when opening. Left in place it would undo slots written here, so
 * {@link #open} folds it into {@code tracker.dat}, forces that, and deletes it; from then on slots are
 * written to {@code tracker.dat} directly, which is what Qdrant 1.19 does and what the journal-writing
 * builds load.
 *
 * <p>Not thread-safe. Zero-length stored values (impossible with LZ4) get a pointer to block 0 of page 0
 * with length 0 and occupy no blocks.
 */
public final class WritableGridstore implements AutoCloseable {

    /** Size of a new {@code tracker.dat}; it grows to the next power of two when a slot does not fit. */
    static final int INITIAL_TRACKER_BYTES = 1 << 20;

    private final Path directory;
    private final GridstoreConfig config;
    private final GridstoreBitmask bitmask;
    private final List<FileChannel> pages = new ArrayList<>();
    private final FileChannel tracker;
    private final Map<Integer, Pending> pending = new LinkedHashMap<>();
    private long nextPointerOffset;
    private long persistedPointerOffset;
    private boolean closed;

    /** Unflushed state of one slot: the pointer it will hold and values to release once that is on disk. */
    private static final class Pending {
        ValuePointer current;
        final List<ValuePointer> release = new ArrayList<>(1);
    }

    private WritableGridstore(Path directory, GridstoreConfig config, GridstoreBitmask bitmask, FileChannel tracker,
            long pointerOffset) {
        this.directory = directory;
        this.config = config;
        this.bitmask = bitmask;
        this.tracker = tracker;
        this.nextPointerOffset = pointerOffset;
        this.persistedPointerOffset = pointerOffset;
    }

    /**
     * Creates a new, empty gridstore in {@code directory} (created if needed; it must not already hold a
     * gridstore): {@code bitmask.dat} and {@code gaps.dat} for one page, a 1 MiB {@code tracker.dat}, a
     * sparse {@code page_0.dat} of {@code page_size_bytes}, and last {@code config.json}, whose presence
     * is what makes the directory a store.
     */
    public static WritableGridstore create(Path directory, GridstoreConfig config) {
        try {
            Files.createDirectories(directory);
        } catch (IOException e) {
            throw new EdgeFormatException(directory, "cannot create directory: " + e.getMessage(), e);
        }
        Path configFile = directory.resolve(GridstoreConfig.FILE);
        if (Files.exists(configFile)) {
            throw new EdgeFormatException(configFile, "a gridstore already exists here");
        }
        GridstoreBitmask bitmask = GridstoreBitmask.empty(config, 1);
        bitmask.write(directory);
        Path trackerFile = directory.resolve(GridstoreTracker.FILE);
        FileChannel tracker = openChannel(trackerFile, true);
        WritableGridstore store = new WritableGridstore(directory, config, bitmask, tracker, 0);
        try {
            tracker.truncate(0);
            writeFully(tracker, ByteBuffer.allocate(4), 0, trackerFile);
            setLength(tracker, INITIAL_TRACKER_BYTES, trackerFile);
            tracker.force(true);
            store.pages.add(createPage(directory, 0, config));
            writeAtomically(configFile, config.toJson().getBytes(StandardCharsets.UTF_8));
            syncDirectory(directory);
        } catch (IOException e) {
            store.closeQuietly();
            throw new EdgeFormatException(trackerFile, "cannot create: " + e.getMessage(), e);
        } catch (RuntimeException e) {
            store.closeQuietly();
            throw e;
        }
        return store;
    }

    /**
     * Opens the gridstore in {@code directory} for writing. The page count is taken from {@code bitmask.dat}
     * and must match the page files; the gaps are recomputed from the bitmask (and rewritten on the next
     * flush if they differ). A {@code tracker_journal.dat} is folded into {@code tracker.dat} and removed.
     */
    public static WritableGridstore open(Path directory) {
        if (!Files.isDirectory(directory)) {
            throw new EdgeFormatException(directory, "gridstore directory is missing");
        }
        GridstoreConfig config = GridstoreConfig.read(directory);
        GridstoreBitmask bitmask = GridstoreBitmask.load(directory, config);
        Path trackerFile = directory.resolve(GridstoreTracker.FILE);
        if (!Files.isRegularFile(trackerFile)) {
            throw new EdgeFormatException(trackerFile, "file is missing");
        }
        FileChannel tracker = openChannel(trackerFile, false);
        WritableGridstore store;
        try {
            if (tracker.size() < 4) {
                tracker.close();
                throw new EdgeFormatException(trackerFile, "truncated: shorter than the 4-byte header");
            }
            ByteBuffer header = ByteBuffer.allocate(4).order(ByteOrder.LITTLE_ENDIAN);
            tracker.read(header, 0);
            store = new WritableGridstore(directory, config, bitmask, tracker,
                    Integer.toUnsignedLong(header.getInt(0)));
        } catch (IOException e) {
            throw new EdgeFormatException(trackerFile, "cannot read: " + e.getMessage(), e);
        }
        try {
            int count = bitmask.pageCount();
            for (int i = 0; i < count; i++) {
                Path page = GridstorePages.pagePath(directory, i);
                if (!Files.isRegularFile(page)) {
                    throw new EdgeFormatException(page, "file is missing (" + GridstorePages.BITMASK_FILE
                            + " covers " + count + " page(s))");
                }
                store.pages.add(openChannel(page, false));
            }
            Path extra = GridstorePages.pagePath(directory, count);
            if (Files.exists(extra)) {
                throw new EdgeFormatException(extra, "unexpected page: " + GridstorePages.BITMASK_FILE
                        + " covers only " + count + " page(s)");
            }
            store.foldJournal();
        } catch (RuntimeException e) {
            store.closeQuietly();
            throw e;
        }
        return store;
    }

    /** {@link #open} when {@code directory} holds a {@code config.json}, otherwise {@link #create}. */
    public static WritableGridstore openOrCreate(Path directory, GridstoreConfig config) {
        return Files.exists(directory.resolve(GridstoreConfig.FILE)) ? open(directory) : create(directory, config);
    }

    public Path directory() {
        return directory;
    }

    public GridstoreConfig config() {
        return config;
    }

    /** Number of page files. */
    public int pageCount() {
        return pages.size();
    }

    /** One past the highest point offset that has ever held a value, including unflushed puts. */
    public long pointerCount() {
        return nextPointerOffset;
    }

    /** Blocks currently marked used (including blocks waiting to be released at the next flush). */
    public long usedBlocks() {
        return bitmask.usedBlocks();
    }

    /**
     * Stores {@code value} (uncompressed; compressed here when the config says LZ4) at a point offset,
     * replacing any previous value.
     *
     * @param pointOffset the point offset, an unsigned 32-bit number (below 2^32 - 1)
     * @return whether the offset held a value before
     */
    public boolean put(int pointOffset, byte[] value) {
        ensureOpen();
        if (pointOffset == -1) {
            throw new IllegalArgumentException("point offset 4294967295 is out of range");
        }
        byte[] stored = config.compression() == GridstoreCompression.LZ4 ? Lz4SizePrepended.compress(value) : value;
        long blocks = ((long) stored.length + config.blockSizeBytes() - 1) / config.blockSizeBytes();
        ValuePointer pointer;
        if (blocks == 0) {
            pointer = new ValuePointer(0, 0, 0);
        } else {
            if (blocks > Integer.MAX_VALUE) {
                throw new IllegalArgumentException("value of " + stored.length + " bytes is too large");
            }
            long first = allocate((int) blocks);
            long pageId = first / config.blocksPerPage();
            long blockOffset = first % config.blocksPerPage();
            pointer = new ValuePointer(pageId, blockOffset, stored.length);
            writeIntoPages(pointer, stored);
            bitmask.mark(first, blocks, true);
        }
        ValuePointer previous = pointer(pointOffset);
        Pending slot = pending.computeIfAbsent(pointOffset, k -> new Pending());
        if (slot.current != null) {
            slot.release.add(slot.current);
        }
        slot.current = pointer;
        nextPointerOffset = Math.max(nextPointerOffset, Integer.toUnsignedLong(pointOffset) + 1);
        return previous != null;
    }

    /**
     * Removes the value at a point offset; its blocks are released at the next flush.
     *
     * @return whether the offset held a value
     */
    public boolean delete(int pointOffset) {
        ensureOpen();
        ValuePointer previous = pointer(pointOffset);
        if (previous == null) {
            return false;
        }
        Pending slot = pending.computeIfAbsent(pointOffset, k -> new Pending());
        if (slot.current != null) {
            slot.release.add(slot.current);
            slot.current = null;
        }
        // The value on disk (if this slot had one) is released when the cleared slot is flushed.
        return true;
    }

    /** The value at a point offset, decompressed, including unflushed writes; {@code null} when empty. */
    public byte[] get(int pointOffset) {
        return get(pointOffset, Function.identity());
    }

    /** The value at a point offset decoded by {@code decoder}, or {@code null} when empty. */
    public <T> T get(int pointOffset, Function<byte[], T> decoder) {
        ensureOpen();
        ValuePointer pointer = pointer(pointOffset);
        if (pointer == null) {
            return null;
        }
        byte[] stored = readFromPages(pointer);
        try {
            byte[] value = config.compression() == GridstoreCompression.LZ4 ? Lz4SizePrepended.decompress(stored)
                    : stored;
            return decoder.apply(value);
        } catch (IllegalArgumentException e) {
            throw new EdgeFormatException(GridstorePages.pagePath(directory, pointer.pageId()), "value of point offset "
                    + Integer.toUnsignedString(pointOffset) + ": " + e.getMessage(), e);
        }
    }

    /** The pointer a point offset holds now (unflushed changes included), or {@code null}. */
    ValuePointer pointer(int pointOffset) {
        Pending slot = pending.get(pointOffset);
        if (slot != null) {
            return slot.current;
        }
        return persistedPointer(pointOffset);
    }

    /** Makes every change durable, in Qdrant's order (see the class comment). */
    public void flush() {
        ensureOpen();
        bitmask.write(directory);
        for (int i = 0; i < pages.size(); i++) {
            try {
                pages.get(i).force(true);
            } catch (IOException e) {
                throw new EdgeFormatException(GridstorePages.pagePath(directory, i), "cannot sync: " + e.getMessage(),
                        e);
            }
        }
        if (pending.isEmpty() && persistedPointerOffset == nextPointerOffset) {
            return;
        }
        List<ValuePointer> released = new ArrayList<>();
        Path trackerFile = directory.resolve(GridstoreTracker.FILE);
        try {
            for (Map.Entry<Integer, Pending> e : pending.entrySet()) {
                int offset = e.getKey();
                ValuePointer onDisk = persistedPointer(offset);
                if (onDisk != null) {
                    released.add(onDisk);
                }
                persistSlot(offset, e.getValue().current);
                released.addAll(e.getValue().release);
            }
            ByteBuffer header = ByteBuffer.allocate(4).order(ByteOrder.LITTLE_ENDIAN);
            header.putInt(0, (int) nextPointerOffset);
            writeFully(tracker, header, 0, trackerFile);
            tracker.force(true);
        } catch (IOException e) {
            throw new EdgeFormatException(trackerFile, "cannot write: " + e.getMessage(), e);
        }
        pending.clear();
        persistedPointerOffset = nextPointerOffset;
        if (!released.isEmpty()) {
            for (ValuePointer pointer : released) {
                long blocks = (pointer.length() + config.blockSizeBytes() - 1) / config.blockSizeBytes();
                bitmask.mark(pointer.pageId() * config.blocksPerPage() + pointer.blockOffset(), blocks, false);
            }
            bitmask.write(directory);
        }
    }

    /** Flushes and releases the files. */
    @Override
    public void close() {
        if (closed) {
            return;
        }
        try {
            flush();
        } finally {
            closeQuietly();
        }
    }

    private void closeQuietly() {
        closed = true;
        for (FileChannel channel : pages) {
            try {
                channel.close();
            } catch (IOException ignored) {
                // nothing left to do with a channel that cannot be closed
            }
        }
        try {
            tracker.close();
        } catch (IOException ignored) {
            // as above
        }
    }

    private void ensureOpen() {
        if (closed) {
            throw new IllegalStateException("gridstore " + directory + " is closed");
        }
    }

    private long allocate(int blocks) {
        long first = bitmask.findAvailable(blocks);
        if (first >= 0) {
            return first;
        }
        long missing = Math.max(0, blocks - bitmask.trailingFreeBlocks());
        long newPages = (missing * config.blockSizeBytes() + config.pageSizeBytes() - 1) / config.pageSizeBytes();
        do {
            for (long i = 0; i < Math.max(1, newPages); i++) {
                addPage();
            }
            first = bitmask.findAvailable(blocks);
            newPages = 1;
        } while (first < 0);
        return first;
    }

    /** Creates the next page file, then grows the bitmask and gaps over it on disk. */
    private void addPage() {
        int id = pages.size();
        pages.add(createPage(directory, id, config));
        bitmask.addPage();
        bitmask.write(directory);
    }

    private static FileChannel createPage(Path directory, long id, GridstoreConfig config) {
        Path file = GridstorePages.pagePath(directory, id);
        FileChannel channel = openChannel(file, true);
        try {
            setLength(channel, config.pageSizeBytes(), file);
            channel.force(true);
        } catch (IOException e) {
            throw new EdgeFormatException(file, "cannot create: " + e.getMessage(), e);
        }
        return channel;
    }

    private void writeIntoPages(ValuePointer pointer, byte[] stored) {
        int page = (int) pointer.pageId();
        long start = pointer.blockOffset() * config.blockSizeBytes();
        int done = 0;
        while (done < stored.length) {
            int chunk = (int) Math.min(stored.length - done, config.pageSizeBytes() - start);
            Path file = GridstorePages.pagePath(directory, page);
            try {
                writeFully(pages.get(page), ByteBuffer.wrap(stored, done, chunk), start, file);
            } catch (IOException e) {
                throw new EdgeFormatException(file, "cannot write: " + e.getMessage(), e);
            }
            done += chunk;
            page++;
            start = 0;
        }
    }

    private byte[] readFromPages(ValuePointer pointer) {
        long total = (long) pages.size() * config.pageSizeBytes();
        long start = pointer.pageId() * config.pageSizeBytes() + pointer.blockOffset() * config.blockSizeBytes();
        if (pointer.pageId() >= pages.size() || start + pointer.length() > total
                || pointer.length() > Integer.MAX_VALUE - 8) {
            throw new EdgeFormatException(directory.resolve(GridstoreTracker.FILE), "pointer " + pointer
                    + " lies beyond the " + pages.size() + " page(s)");
        }
        byte[] value = new byte[(int) pointer.length()];
        int page = (int) pointer.pageId();
        long at = pointer.blockOffset() * config.blockSizeBytes();
        int done = 0;
        while (done < value.length) {
            int chunk = (int) Math.min(value.length - done, config.pageSizeBytes() - at);
            ByteBuffer buffer = ByteBuffer.wrap(value, done, chunk);
            try {
                while (buffer.hasRemaining()) {
                    int n = pages.get(page).read(buffer, at + buffer.position() - done);
                    if (n < 0) {
                        break;
                    }
                }
            } catch (IOException e) {
                throw new EdgeFormatException(GridstorePages.pagePath(directory, page), "cannot read: "
                        + e.getMessage(), e);
            }
            done += chunk;
            page++;
            at = 0;
        }
        return value;
    }

    private ValuePointer persistedPointer(int pointOffset) {
        long start = GridstoreTracker.HEADER_BYTES + Integer.toUnsignedLong(pointOffset) * GridstoreTracker.SLOT_BYTES;
        try {
            if (start + GridstoreTracker.SLOT_BYTES > tracker.size()) {
                return null;
            }
            ByteBuffer slot = ByteBuffer.allocate(GridstoreTracker.SLOT_BYTES).order(ByteOrder.LITTLE_ENDIAN);
            while (slot.hasRemaining() && tracker.read(slot, start + slot.position()) >= 0) {
                // keep reading
            }
            return GridstoreTracker.readSlot(slot, 0);
        } catch (IOException e) {
            throw new EdgeFormatException(directory.resolve(GridstoreTracker.FILE), "cannot read: " + e.getMessage(),
                    e);
        }
    }

    /** Writes one slot into {@code tracker.dat}, growing it to the next power of two when it does not fit. */
    private void persistSlot(int pointOffset, ValuePointer pointer) throws IOException {
        Path file = directory.resolve(GridstoreTracker.FILE);
        long start = GridstoreTracker.HEADER_BYTES + Integer.toUnsignedLong(pointOffset) * GridstoreTracker.SLOT_BYTES;
        long end = start + GridstoreTracker.SLOT_BYTES;
        long size = tracker.size();
        if (end > size) {
            if (pointer == null) {
                return;
            }
            setLength(tracker, Long.highestOneBit(end - 1) << 1, file);
        }
        ByteBuffer slot = ByteBuffer.allocate(GridstoreTracker.SLOT_BYTES).order(ByteOrder.LITTLE_ENDIAN);
        if (pointer != null) {
            slot.putInt(0, 1).putInt(4, (int) pointer.pageId()).putInt(8, (int) pointer.blockOffset())
                    .putInt(12, (int) pointer.length());
        }
        writeFully(tracker, slot, start, file);
    }

    /** Applies a {@code tracker_journal.dat} left by Qdrant to {@code tracker.dat}, then deletes it. */
    private void foldJournal() {
        Path journal = directory.resolve(TrackerJournal.FILE);
        if (!Files.exists(journal)) {
            return;
        }
        Map<Integer, ValuePointer> slots = TrackerJournal.read(directory);
        Path trackerFile = directory.resolve(GridstoreTracker.FILE);
        try {
            for (Map.Entry<Integer, ValuePointer> e : slots.entrySet()) {
                persistSlot(e.getKey(), e.getValue());
                if (e.getValue() != null) {
                    nextPointerOffset = Math.max(nextPointerOffset, Integer.toUnsignedLong(e.getKey()) + 1);
                }
            }
            ByteBuffer header = ByteBuffer.allocate(4).order(ByteOrder.LITTLE_ENDIAN);
            header.putInt(0, (int) nextPointerOffset);
            writeFully(tracker, header, 0, trackerFile);
            tracker.force(true);
            persistedPointerOffset = nextPointerOffset;
            Files.delete(journal);
            syncDirectory(directory);
        } catch (IOException e) {
            throw new EdgeFormatException(journal, "cannot fold into " + GridstoreTracker.FILE + ": "
                    + e.getMessage(), e);
        }
    }

    private static FileChannel openChannel(Path file, boolean create) {
        try {
            return create
                    ? FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.READ, StandardOpenOption.WRITE)
                    : FileChannel.open(file, StandardOpenOption.READ, StandardOpenOption.WRITE);
        } catch (IOException e) {
            throw new EdgeFormatException(file, "cannot open for writing: " + e.getMessage(), e);
        }
    }

    /** Grows a file to {@code length} without writing data, so the file stays sparse where supported. */
    private static void setLength(FileChannel channel, long length, Path file) throws IOException {
        if (channel.size() < length) {
            writeFully(channel, ByteBuffer.allocate(1), length - 1, file);
        }
    }

    private static void writeFully(FileChannel channel, ByteBuffer buffer, long position, Path file)
            throws IOException {
        long at = position;
        while (buffer.hasRemaining()) {
            at += channel.write(buffer, at);
        }
    }

    /** Writes a small file through a temporary file and a rename, as Qdrant saves its JSON files. */
    static void writeAtomically(Path file, byte[] content) {
        Path temp = file.resolveSibling(file.getFileName() + ".tmp");
        try {
            try (FileChannel channel = FileChannel.open(temp, StandardOpenOption.CREATE,
                    StandardOpenOption.TRUNCATE_EXISTING, StandardOpenOption.WRITE)) {
                writeFully(channel, ByteBuffer.wrap(content), 0, temp);
                channel.force(true);
            }
            Files.move(temp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            throw new EdgeFormatException(file, "cannot write: " + e.getMessage(), e);
        }
    }

    /** Forces a directory's entries (new and renamed files) to disk where the platform allows it. */
    static void syncDirectory(Path directory) {
        try (FileChannel channel = FileChannel.open(directory, StandardOpenOption.READ)) {
            channel.force(true);
        } catch (IOException | UnsupportedOperationException e) {
            // Not every platform can open or sync a directory; the files themselves were forced.
        }
    }

    @Override
    public String toString() {
        return "WritableGridstore" + Arrays.asList(directory, config);
    }
}
