package dev.qdrantedge.engine.wal;

import dev.qdrantedge.engine.EdgeException;
import dev.qdrantedge.engine.EdgeFormatException;
import dev.qdrantedge.engine.operation.UpdateOperation;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.security.SecureRandom;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.function.IntSupplier;

/**
 * Appends to a Qdrant WAL directory in Qdrant's format, so that Qdrant (server or Edge) replays what
 * was written.
 *
 * <p>Layout, as Qdrant keeps it: entries go to the current {@code open-<id>} segment; at least one
 * spare {@code open-<id+1>} is kept ready (a fresh WAL is {@code open-1} plus an empty {@code open-2}).
 * When an entry does not fit, the current segment is synced and renamed {@code closed-<index of its
 * first entry>}, the spare becomes current and a new spare is created. Segment files are created at
 * full capacity (sparse) under a {@code tmp-} name, given a random CRC seed and renamed. An entry too
 * large for a whole segment enlarges the (empty) segment it goes to.
 *
 * <p>Durability: {@link #append} writes through to the file system (readable at once by other
 * processes, lost only if the machine fails); {@link #flush(boolean) flush(true)} syncs the current
 * segment to the device. Closed segments are synced when they are closed, new files and renames are
 * followed by a sync of the directory. A crash in the middle of an append leaves a torn entry, which
 * every reader takes for the end of the log; when this writer opens such a WAL it clears the torn
 * bytes before appending after the last good entry.
 *
 * <p>{@link #ack(long)} does what Qdrant does once the effects of operations are flushed to the
 * segments: it deletes closed segments lying wholly before the acknowledged index (keeping
 * {@link WalOptions#retainClosed()} of them) and records the index in {@code first-index}.
 *
 * <p>Opening scans and validates the WAL like {@link WalReader}; damage other than a torn tail is an
 * {@link EdgeFormatException}. The directory is not locked: only one writer may use a WAL at a time, and
 * no Qdrant process may have it open. Not thread-safe.
 */
public final class WalWriter implements AutoCloseable {

    private static final byte[] MAGIC = {'w', 'a', 'l'};
    private static final int HEADER_LEN = WalSegmentScanner.HEADER_LEN;
    private static final int CRC_LEN = WalSegmentScanner.CRC_LEN;
    private static final String TMP_PREFIX = "tmp-";
    private static final SecureRandom RANDOM = new SecureRandom();

    private final Path directory;
    private final WalOptions options;
    private final IntSupplier seeds;
    /** Closed segments in index order. */
    private final List<Closed> closed = new ArrayList<>();
    /** Spare open segment ids, ascending. */
    private final Deque<Long> spares = new ArrayDeque<>();
    private long nextSegmentId;
    private Open open;
    /** Qdrant's {@code first_index} of {@code SerdeWal}: the acknowledged index, clamped; empty before any ack. */
    private OptionalLong ackIndex;
    private boolean closedWriter;

    private record Closed(long startIndex, int entryCount, Path file) {
        long endIndex() {
            return startIndex + entryCount;
        }
    }

    /** The segment being appended to. */
    private static final class Open {
        final long id;
        final Path file;
        final FileChannel channel;
        long capacity;
        long dataEnd;
        int crc;
        int entryCount;

        Open(long id, Path file, FileChannel channel, long capacity, long dataEnd, int crc, int entryCount) {
            this.id = id;
            this.file = file;
            this.channel = channel;
            this.capacity = capacity;
            this.dataEnd = dataEnd;
            this.crc = crc;
            this.entryCount = entryCount;
        }

        boolean fits(long length) {
            return capacity - dataEnd - HEADER_LEN - CRC_LEN >= length + WalSegmentScanner.padding(length);
        }
    }

    private WalWriter(Path directory, WalOptions options, IntSupplier seeds) {
        this.directory = directory;
        this.options = options;
        this.seeds = seeds;
    }

    /** Opens (or creates, with Qdrant's default options) the WAL in {@code walDirectory} for appending. */
    public static WalWriter open(Path walDirectory) {
        return open(walDirectory, WalOptions.defaults());
    }

    /**
     * Opens the WAL in {@code walDirectory} for appending, creating the directory and the first segments
     * if needed. The options apply to segments created from now on; existing segments keep their size.
     */
    public static WalWriter open(Path walDirectory, WalOptions options) {
        return open(walDirectory, options, RANDOM::nextInt);
    }

    /** As {@link #open(Path, WalOptions)}, with the CRC seeds of new segments drawn from {@code seeds}. */
    static WalWriter open(Path walDirectory, WalOptions options, IntSupplier seeds) {
        Objects.requireNonNull(options, "options");
        WalWriter writer = new WalWriter(walDirectory, options, Objects.requireNonNull(seeds, "seeds"));
        try {
            writer.load();
        } catch (IOException e) {
            writer.closeQuietly();
            throw new EdgeException("cannot open the WAL in " + walDirectory + ": " + e.getMessage(), e);
        } catch (RuntimeException e) {
            writer.closeQuietly();
            throw e;
        }
        return writer;
    }

    /**
     * Creates an empty WAL whose first entry will get index {@code lastIndex + 1}, as Qdrant does for
     * snapshots: a single header-only segment {@code closed-<lastIndex + 1>}. Pass the highest operation
     * number already applied to the shard's segments (its WAL's last index), so that later updates get
     * higher numbers. The directory is created if needed and must not hold segment files.
     */
    public static void createEmpty(Path walDirectory, WalOptions options, long lastIndex) {
        createEmpty(walDirectory, options, lastIndex, RANDOM::nextInt);
    }

    /**
     * Replaces a WAL that holds no entries (for example the one this class starts in an empty directory, or
     * one restored from a snapshot with a lower first index) by an empty one whose first entry will get index
     * {@code lastIndex + 1}, as {@link #createEmpty} makes it.
     *
     * @throws EdgeException when the WAL holds entries: those must be replayed, never discarded
     */
    public static void replaceEmpty(Path walDirectory, WalOptions options, long lastIndex) {
        try (WalWriter existing = open(walDirectory, options)) {
            if (existing.nextIndex() != existing.firstStoredIndex()) {
                throw new EdgeException("cannot replace the WAL in " + walDirectory + ": it holds entries "
                        + existing.firstStoredIndex() + " to " + existing.lastIndex());
            }
        }
        try {
            try (DirectoryStream<Path> files = Files.newDirectoryStream(walDirectory)) {
                for (Path file : files) {
                    if (WalSegmentName.parse(file) != null || file.getFileName().toString().equals(WalFirstIndexFile.NAME)) {
                        Files.delete(file);
                    }
                }
            }
            syncDirectory(walDirectory);
        } catch (IOException e) {
            throw new EdgeException("cannot replace the empty WAL in " + walDirectory + ": " + e.getMessage(), e);
        }
        createEmpty(walDirectory, options, lastIndex);
    }

    static void createEmpty(Path walDirectory, WalOptions options, long lastIndex, IntSupplier seeds) {
        if (lastIndex < 0 || lastIndex == Long.MAX_VALUE) {
            throw new IllegalArgumentException("last index out of range: " + lastIndex);
        }
        try {
            Files.createDirectories(walDirectory);
            try (DirectoryStream<Path> files = Files.newDirectoryStream(walDirectory)) {
                for (Path file : files) {
                    if (WalSegmentName.parse(file) != null) {
                        throw new EdgeException("cannot create an empty WAL in " + walDirectory
                                + ": it already holds segment " + file.getFileName());
                    }
                }
            }
            createSegmentFile(walDirectory, "closed-" + (lastIndex + 1), options.alignedCapacity(), seeds.getAsInt());
            syncDirectory(walDirectory);
        } catch (IOException e) {
            throw new EdgeException("cannot create an empty WAL in " + walDirectory + ": " + e.getMessage(), e);
        }
    }

    // ---------------------------------------------------------------------------------------------
    // opening

    private void load() throws IOException {
        Files.createDirectories(directory);
        List<ScannedSegment> scanned = new ArrayList<>();
        try (DirectoryStream<Path> files = Files.newDirectoryStream(directory)) {
            for (Path file : files) {
                if (!Files.isRegularFile(file)) {
                    continue;
                }
                if (file.getFileName().toString().startsWith(TMP_PREFIX)) {
                    // leftover of an interrupted segment creation or first-index write, as Qdrant removes them
                    Files.delete(file);
                    continue;
                }
                WalSegmentName name = WalSegmentName.parse(file);
                if (name != null) {
                    scanned.add(WalSegmentScanner.scan(file, name));
                }
            }
        }
        List<WalLayout.Placed> placed = WalLayout.place(directory, scanned);

        ScannedSegment current = null;
        long currentStart = 0;
        for (int i = 0; i < placed.size(); i++) {
            WalLayout.Placed p = placed.get(i);
            ScannedSegment s = p.segment();
            boolean last = i == placed.size() - 1;
            if (s.name.kind() == WalSegmentKind.CLOSED) {
                closed.add(new Closed(p.startIndex(), s.entryCount(), s.file));
            } else if (!last) {
                // an open segment stranded by a crash between closing it and syncing the directory
                Path target = directory.resolve("closed-" + p.startIndex());
                Files.move(s.file, target, StandardCopyOption.ATOMIC_MOVE);
                closed.add(new Closed(p.startIndex(), s.entryCount(), target));
            } else {
                current = s;
                currentStart = p.startIndex();
            }
        }
        long highestOpenId = 0;
        for (ScannedSegment s : scanned) {
            if (s.name.kind() == WalSegmentKind.OPEN) {
                highestOpenId = Math.max(highestOpenId, s.name.number());
                if (s != current && s.isEmpty() && (current == null || s.name.number() > current.name.number())) {
                    spares.add(s.name.number());
                }
            }
        }
        List<Long> sortedSpares = new ArrayList<>(spares);
        sortedSpares.sort(Long::compare);
        spares.clear();
        spares.addAll(sortedSpares);
        nextSegmentId = highestOpenId + 1;

        if (current != null) {
            openExisting(current, currentStart);
        } else {
            refillSpares();
            takeSpare();
        }
        refillSpares();
        syncDirectory(directory);

        OptionalLong stored = WalFirstIndexFile.read(directory);
        ackIndex = stored.isPresent()
                ? OptionalLong.of(Math.min(Math.max(stored.getAsLong(), firstStoredIndex()), lastIndex()))
                : OptionalLong.empty();
    }

    private void openExisting(ScannedSegment s, long startIndex) throws IOException {
        FileChannel channel = FileChannel.open(s.file, StandardOpenOption.READ, StandardOpenOption.WRITE);
        open = new Open(s.name.number(), s.file, channel, s.capacity, s.endOffset, s.lastCrc, s.entryCount());
        if (startIndex != openStartIndex()) {
            throw new IllegalStateException("open segment placed at " + startIndex + ", expected " + openStartIndex());
        }
        if (s.end == ScannedSegment.End.TORN) {
            clearTornTail(s);
        }
    }

    /** Zeroes the bytes of a partly written last entry so that nothing of it survives behind new entries. */
    private void clearTornTail(ScannedSegment s) throws IOException {
        ByteBuffer lengthField = WalSegmentScanner.read(open.channel, s.file, s.endOffset, HEADER_LEN);
        long length = lengthField.getLong(0);
        long end = open.capacity;
        if (length >= 0 && length <= open.capacity) {
            end = Math.min(open.capacity, s.endOffset + HEADER_LEN + length + WalSegmentScanner.padding(length) + CRC_LEN);
        }
        ByteBuffer zeros = ByteBuffer.allocate(64 * 1024);
        for (long pos = s.endOffset; pos < end; pos += zeros.capacity()) {
            zeros.clear().limit((int) Math.min(zeros.capacity(), end - pos));
            writeFully(open.channel, zeros, pos);
        }
        open.channel.force(false);
    }

    // ---------------------------------------------------------------------------------------------
    // appending

    /** Encodes {@code operation} as Qdrant Edge does and appends it; returns its index (the operation number). */
    public long append(UpdateOperation operation) {
        return append(OperationEncoder.encode(operation));
    }

    /** Encodes {@code operation} with a server clock tag and appends it; returns its index. */
    public long append(UpdateOperation operation, Optional<ClockTag> clockTag) {
        return append(OperationEncoder.encode(operation, clockTag));
    }

    /** Appends one entry of raw record bytes; returns its index. */
    public long append(byte[] record) {
        Objects.requireNonNull(record, "record");
        ensureOpen();
        try {
            if (!open.fits(record.length)) {
                if (open.entryCount > 0) {
                    retireOpenSegment();
                }
                if (!open.fits(record.length)) {
                    enlarge(record.length);
                }
            }
            long index = openStartIndex() + open.entryCount;
            int padding = (int) WalSegmentScanner.padding(record.length);
            ByteBuffer entry = ByteBuffer.allocate(HEADER_LEN + record.length + padding + CRC_LEN)
                    .order(ByteOrder.LITTLE_ENDIAN);
            entry.putLong(record.length).put(record).put(new byte[padding]);
            int crc = Crc32c.chain(open.crc, entry.array(), 0, entry.position());
            entry.putInt(crc).flip();
            writeFully(open.channel, entry, open.dataEnd);
            open.dataEnd += entry.limit();
            open.crc = crc;
            open.entryCount++;
            return index;
        } catch (IOException e) {
            throw new EdgeException("cannot append to the WAL segment " + open.file + ": " + e.getMessage(), e);
        }
    }

    /**
     * Makes appended entries durable: with {@code fsync} the current segment's data is synced to the
     * device; without, this only checks the writer is usable (appends already reach the file system).
     */
    public void flush(boolean fsync) {
        ensureOpen();
        if (fsync) {
            try {
                open.channel.force(false);
            } catch (IOException e) {
                throw new EdgeException("cannot sync the WAL segment " + open.file + ": " + e.getMessage(), e);
            }
        }
    }

    /**
     * Acknowledges that the effects of every operation up to {@code index} are durable in the segments:
     * closed segments lying entirely before {@code index} are deleted, except the last
     * {@link WalOptions#retainClosed()} closed segments, and {@code first-index} records the index
     * (never lowered, clamped to the last stored entry). Readers replay from that entry on; Qdrant
     * replays the acknowledged entry itself again, which is harmless.
     */
    public void ack(long index) {
        ensureOpen();
        try {
            prefixTruncate(index);
            long minimal = ackIndex.isPresent() ? ackIndex.getAsLong() : firstStoredIndex();
            long updated = Math.min(Math.max(index, minimal), lastIndex());
            if (ackIndex.isEmpty() || ackIndex.getAsLong() != updated) {
                ackIndex = OptionalLong.of(updated);
                writeFirstIndex(updated);
            }
        } catch (IOException e) {
            throw new EdgeException("cannot acknowledge WAL entries up to " + index + " in " + directory + ": "
                    + e.getMessage(), e);
        }
    }

    private void prefixTruncate(long until) throws IOException {
        if (until <= firstStoredIndex()) {
            return;
        }
        int retainFrom = Math.max(0, closed.size() - options.retainClosed());
        int deleteUntil;
        if (until >= openStartIndex()) {
            deleteUntil = retainFrom;
        } else {
            int containing = 0;
            while (containing < closed.size() && closed.get(containing).endIndex() <= until) {
                containing++;
            }
            deleteUntil = Math.min(containing, retainFrom);
        }
        for (int i = 0; i < deleteUntil; i++) {
            Files.deleteIfExists(closed.get(0).file());
            closed.remove(0);
        }
        if (deleteUntil > 0) {
            syncDirectory(directory);
        }
    }

    private void writeFirstIndex(long index) throws IOException {
        Path tmp = directory.resolve(TMP_PREFIX + WalFirstIndexFile.NAME);
        byte[] json = ("{\"ack_index\":" + index + "}").getBytes(StandardCharsets.US_ASCII);
        try (FileChannel channel = FileChannel.open(tmp, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                StandardOpenOption.TRUNCATE_EXISTING)) {
            writeFully(channel, ByteBuffer.wrap(json), 0);
            channel.force(true);
        }
        try {
            Files.move(tmp, directory.resolve(WalFirstIndexFile.NAME), StandardCopyOption.ATOMIC_MOVE,
                    StandardCopyOption.REPLACE_EXISTING);
        } catch (AtomicMoveNotSupportedException e) {
            Files.move(tmp, directory.resolve(WalFirstIndexFile.NAME), StandardCopyOption.REPLACE_EXISTING);
        }
        syncDirectory(directory);
    }

    // ---------------------------------------------------------------------------------------------
    // segments

    /** Closes the full current segment: synced, renamed {@code closed-<start>}; a spare takes its place. */
    private void retireOpenSegment() throws IOException {
        Open full = open;
        long start = openStartIndex();
        full.channel.force(false);
        full.channel.close();
        takeSpare();
        if (!closed.isEmpty() && closed.get(closed.size() - 1).entryCount() == 0) {
            // the header-only segment of an empty WAL: superseded by the segment being closed
            Files.deleteIfExists(closed.remove(closed.size() - 1).file());
        }
        Path target = directory.resolve("closed-" + start);
        Files.move(full.file, target, StandardCopyOption.ATOMIC_MOVE);
        closed.add(new Closed(start, full.entryCount, target));
        refillSpares();
        syncDirectory(directory);
    }

    /** Makes the lowest spare the current segment. */
    private void takeSpare() throws IOException {
        if (spares.isEmpty()) {
            refillSpares();
        }
        long id = spares.removeFirst();
        Path file = directory.resolve("open-" + id);
        FileChannel channel = FileChannel.open(file, StandardOpenOption.READ, StandardOpenOption.WRITE);
        long capacity = channel.size() & ~7L;
        ByteBuffer header = WalSegmentScanner.read(channel, file, 0, HEADER_LEN);
        open = new Open(id, file, channel, capacity, HEADER_LEN, header.getInt(4), 0);
    }

    private void refillSpares() throws IOException {
        while (spares.size() < options.spareSegments()) {
            long id = nextSegmentId++;
            createSegmentFile(directory, "open-" + id, options.alignedCapacity(), seeds.getAsInt());
            spares.addLast(id);
        }
    }

    /** Grows the empty current segment so that an entry of {@code length} bytes fits. */
    private void enlarge(long length) throws IOException {
        long required = open.dataEnd + HEADER_LEN + length + WalSegmentScanner.padding(length) + CRC_LEN;
        try (RandomAccessFile file = new RandomAccessFile(open.file.toFile(), "rw")) {
            file.setLength(required);
        }
        open.capacity = required;
    }

    /** A segment file: header with the seed, sparse up to {@code capacity}, created under a temporary name. */
    private static void createSegmentFile(Path directory, String name, long capacity, int seed) throws IOException {
        Path tmp = directory.resolve(TMP_PREFIX + name);
        try (RandomAccessFile file = new RandomAccessFile(tmp.toFile(), "rw")) {
            file.setLength(0);
            file.setLength(capacity);
            ByteBuffer header = ByteBuffer.allocate(HEADER_LEN).order(ByteOrder.LITTLE_ENDIAN);
            header.put(MAGIC).put(WalSegmentScanner.VERSION).putInt(seed).flip();
            writeFully(file.getChannel(), header, 0);
            file.getChannel().force(true);
        }
        Files.move(tmp, directory.resolve(name), StandardCopyOption.ATOMIC_MOVE);
    }

    private static void writeFully(FileChannel channel, ByteBuffer buffer, long position) throws IOException {
        long pos = position;
        while (buffer.hasRemaining()) {
            pos += channel.write(buffer, pos);
        }
    }

    private static void syncDirectory(Path directory) {
        try (FileChannel channel = FileChannel.open(directory, StandardOpenOption.READ)) {
            channel.force(true);
        } catch (IOException e) {
            // not every platform can sync a directory; the renames are still atomic
        }
    }

    // ---------------------------------------------------------------------------------------------
    // state

    public Path directory() {
        return directory;
    }

    public WalOptions options() {
        return options;
    }

    /** Index of the first entry still stored (the first closed segment's start, else 0). */
    public long firstStoredIndex() {
        return closed.isEmpty() ? openStartIndex() : closed.get(0).startIndex();
    }

    /** Where a loader starts replaying: the acknowledged index if any, else {@link #firstStoredIndex()}. */
    public long firstIndex() {
        return ackIndex.isPresent() ? ackIndex.getAsLong() : firstStoredIndex();
    }

    /** The acknowledged index recorded in {@code first-index}, if any. */
    public OptionalLong ackIndex() {
        return ackIndex;
    }

    /** The index the next appended entry gets. */
    public long nextIndex() {
        return openStartIndex() + (open == null ? 0 : open.entryCount);
    }

    /** Index of the last stored entry; {@link #firstStoredIndex()} when nothing is stored (as in Qdrant). */
    public long lastIndex() {
        long next = nextIndex();
        long first = firstStoredIndex();
        return next > first ? next - 1 : first;
    }

    /** The segment files in use, in index order: closed ones then the current open one (spares left out). */
    public List<Path> segmentFiles() {
        List<Path> files = new ArrayList<>();
        for (Closed c : closed) {
            files.add(c.file());
        }
        if (open != null) {
            files.add(open.file);
        }
        return files;
    }

    private long openStartIndex() {
        if (closed.isEmpty()) {
            return 0;
        }
        return closed.get(closed.size() - 1).endIndex();
    }

    private void ensureOpen() {
        if (closedWriter) {
            throw new IllegalStateException("the WAL writer for " + directory + " is closed");
        }
    }

    /** Syncs the current segment and releases it. */
    @Override
    public void close() {
        if (closedWriter) {
            return;
        }
        closedWriter = true;
        if (open != null) {
            try {
                open.channel.force(false);
                open.channel.close();
            } catch (IOException e) {
                throw new EdgeException("cannot close the WAL segment " + open.file + ": " + e.getMessage(), e);
            }
        }
    }

    private void closeQuietly() {
        closedWriter = true;
        if (open != null) {
            try {
                open.channel.close();
            } catch (IOException ignored) {
                // already failing
            }
        }
    }

    @Override
    public String toString() {
        return "WalWriter[" + directory + ", stored " + firstStoredIndex() + ".." + nextIndex() + ", first "
                + firstIndex() + ", closed segments " + closed.size() + "]";
    }
}
