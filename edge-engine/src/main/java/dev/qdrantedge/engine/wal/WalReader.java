package dev.qdrantedge.engine.wal;

import dev.qdrantedge.engine.EdgeFormatException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.OptionalLong;

/**
 * Read-only view of a Qdrant WAL directory ({@code wal/} of a shard): segment files {@code open-<id>}
 * and {@code closed-<start>}, plus the optional {@code first-index} file. Nothing is written, renamed
 * or deleted.
 *
 * <p>Opening scans every segment (header, entry framing, chained CRC-32C) as Qdrant does. The valid
 * data ends at the first all-zero slot or at a torn last entry, which is how a crash leaves the WAL
 * and not an error. A bad entry followed by further data, in the same or a later segment, is damage
 * and raises an {@link EdgeFormatException} naming the file and offset; so do bad headers, unparsable
 * segment names and gaps or overlaps between closed segments.
 *
 * <p>Indices: the first entry of a fresh WAL has index 0; entry {@code k} of a segment has index
 * {@code start + k}. {@link #firstIndex()} follows Qdrant's {@code first-index} rule: the acknowledged
 * index clamped into {@code [firstStoredIndex(), lastIndex()]}, so the last acknowledged entry is read
 * (and replayed) again. Without the file every stored entry counts.
 *
 * <p>Entries are read on demand; close the reader to release the segment files. Not thread-safe.
 */
public final class WalReader implements AutoCloseable {

    private final Path directory;
    private final List<WalLayout.Placed> placed;
    private final List<WalSegment> segments;
    private final OptionalLong ackIndex;
    private final long firstStoredIndex;
    private final long nextIndex;
    private final long firstIndex;
    private final Map<Path, FileChannel> channels = new HashMap<>();
    private final WalRecordDecoder decoder = new WalRecordDecoder();

    private WalReader(Path directory, List<WalLayout.Placed> placed, OptionalLong ackIndex) {
        this.directory = directory;
        this.placed = placed;
        List<WalSegment> infos = new ArrayList<>();
        for (WalLayout.Placed p : placed) {
            infos.add(p.info());
        }
        this.segments = Collections.unmodifiableList(infos);
        this.ackIndex = ackIndex;
        this.firstStoredIndex = placed.isEmpty() ? 0 : placed.get(0).startIndex();
        this.nextIndex = placed.isEmpty() ? 0 : infos.get(infos.size() - 1).endIndex();
        long last = lastIndex();
        this.firstIndex = ackIndex.isPresent() ? Math.min(Math.max(ackIndex.getAsLong(), firstStoredIndex), last)
                : firstStoredIndex;
    }

    /**
     * Opens and scans the WAL in {@code walDirectory}. A missing directory is an empty WAL, as for
     * Qdrant Edge, which creates it on load.
     */
    public static WalReader open(Path walDirectory) {
        if (!Files.exists(walDirectory)) {
            return new WalReader(walDirectory, List.of(), OptionalLong.empty());
        }
        if (!Files.isDirectory(walDirectory)) {
            throw new EdgeFormatException(walDirectory, "the WAL must be a directory");
        }
        List<ScannedSegment> scanned = new ArrayList<>();
        try (DirectoryStream<Path> files = Files.newDirectoryStream(walDirectory)) {
            for (Path file : files) {
                if (!Files.isRegularFile(file)) {
                    continue;
                }
                WalSegmentName name = WalSegmentName.parse(file);
                if (name != null) {
                    scanned.add(WalSegmentScanner.scan(file, name));
                }
            }
        } catch (IOException e) {
            throw new EdgeFormatException(walDirectory, "cannot list the WAL directory: " + e.getMessage(), e);
        }
        List<WalLayout.Placed> placed = WalLayout.place(walDirectory, scanned);
        return new WalReader(walDirectory, placed, WalFirstIndexFile.read(walDirectory));
    }

    public Path directory() {
        return directory;
    }

    /** The segments holding entries or the current open segment, in index order (spare segments left out). */
    public List<WalSegment> segments() {
        return segments;
    }

    /** The {@code ack_index} of the {@code first-index} file, if the file exists. */
    public OptionalLong ackIndex() {
        return ackIndex;
    }

    /** Index of the first entry still stored (the first closed segment's start, else 0). */
    public long firstStoredIndex() {
        return firstStoredIndex;
    }

    /**
     * Index of the first entry that still counts: where a loader starts replaying. See the class
     * documentation for the rule.
     */
    public long firstIndex() {
        return firstIndex;
    }

    /** Index of the last stored entry; equals {@link #firstStoredIndex()} when the WAL is empty (as in Qdrant). */
    public long lastIndex() {
        return nextIndex > firstStoredIndex ? nextIndex - 1 : firstStoredIndex;
    }

    /** The index the next appended entry gets: one past the last stored entry. */
    public long nextIndex() {
        return nextIndex;
    }

    /** Number of stored entries, acknowledged or not. */
    public long storedCount() {
        return nextIndex - firstStoredIndex;
    }

    /** Whether no entry counts any more (nothing stored, or nothing from {@link #firstIndex()} on). */
    public boolean isEmpty() {
        return nextIndex <= firstIndex;
    }

    /** Whether the data ends with a torn entry, as after a crash during a write. */
    public boolean hasTornTail() {
        return segments.stream().anyMatch(WalSegment::tornTail);
    }

    /** The entries that count: from {@link #firstIndex()} to the last one. */
    public Iterable<WalEntry> entries() {
        return entries(firstIndex);
    }

    /** The stored entries from {@code from} (clamped to the stored range) to the last one. */
    public Iterable<WalEntry> entries(long from) {
        long start = Math.max(from, firstStoredIndex);
        return () -> new Iterator<>() {
            private long next = start;

            @Override
            public boolean hasNext() {
                return next < nextIndex;
            }

            @Override
            public WalEntry next() {
                if (!hasNext()) {
                    throw new NoSuchElementException();
                }
                return entry(next++);
            }
        };
    }

    /** The records that count, decoded: what a loader replays, in order. */
    public Iterable<WalRecord> records() {
        return records(firstIndex);
    }

    /** The stored records from {@code from} on, decoded. */
    public Iterable<WalRecord> records(long from) {
        Iterable<WalEntry> entries = entries(from);
        return () -> new Iterator<>() {
            private final Iterator<WalEntry> it = entries.iterator();

            @Override
            public boolean hasNext() {
                return it.hasNext();
            }

            @Override
            public WalRecord next() {
                return decoder.decode(it.next());
            }
        };
    }

    /** The stored entry with this index. */
    public WalEntry entry(long index) {
        if (index < firstStoredIndex || index >= nextIndex) {
            throw new NoSuchElementException("WAL entry " + index + " is not stored (stored: " + firstStoredIndex
                    + " to " + (nextIndex - 1) + ")");
        }
        for (WalLayout.Placed p : placed) {
            long k = index - p.startIndex();
            if (k >= 0 && k < p.segment().entryCount()) {
                ScannedSegment s = p.segment();
                long offset = s.offsets[(int) k];
                ByteBuffer data = read(s.file, offset + WalSegmentScanner.HEADER_LEN, s.lengths[(int) k]);
                return new WalEntry(index, s.file, offset, data.array());
            }
        }
        throw new IllegalStateException("no segment holds WAL entry " + index);
    }

    private ByteBuffer read(Path file, long position, int length) {
        try {
            FileChannel channel = channels.get(file);
            if (channel == null) {
                channel = FileChannel.open(file, StandardOpenOption.READ);
                channels.put(file, channel);
            }
            return WalSegmentScanner.read(channel, file, position, length);
        } catch (NoSuchFileException e) {
            throw new EdgeFormatException(file, "WAL segment disappeared while being read", e);
        } catch (IOException e) {
            throw new EdgeFormatException(file, "cannot read WAL segment: " + e.getMessage(), e);
        }
    }

    @Override
    public void close() {
        for (FileChannel channel : channels.values()) {
            try {
                channel.close();
            } catch (IOException ignored) {
                // read-only channel: nothing to lose
            }
        }
        channels.clear();
    }

    @Override
    public String toString() {
        return "WalReader[" + directory + ", stored " + firstStoredIndex + ".." + nextIndex + ", first " + firstIndex
                + ", segments " + segments.size() + "]";
    }
}
