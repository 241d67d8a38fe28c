package dev.qdrantedge.engine.sync;

import dev.qdrantedge.engine.EdgeException;
import dev.qdrantedge.engine.EdgeFormatException;
import dev.qdrantedge.engine.idtracker.PointId;
import dev.qdrantedge.engine.operation.UpdateOperation;
import dev.qdrantedge.engine.snapshot.FileSync;
import dev.qdrantedge.engine.wal.Crc32c;
import dev.qdrantedge.engine.wal.OperationEncoder;
import dev.qdrantedge.engine.wal.WalEntry;
import dev.qdrantedge.engine.wal.WalRecordDecoder;
import java.io.BufferedInputStream;
import java.io.DataInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.NavigableSet;
import java.util.Objects;
import java.util.Optional;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.ReentrantLock;

/**
 * A durable, append-only log of operations waiting to be delivered to a server, with each entry's delivery
 * state. One file ({@value #FILE}) in its own directory holds CRC-framed records ({@link OutboxRecords}): an
 * entry is appended once with its operation (encoded as a WAL record, by {@link OperationEncoder}); every
 * later change of its state is another small record, never a rewrite in place.
 *
 * <p><b>Opening</b> replays the records in order. A record cut short or failing its CRC ends the log: it and
 * everything after it are cut off (a crash in the middle of an append leaves exactly that), and the log goes
 * on from the last whole record. Entries that were {@link OutboxState#IN_FLIGHT} come back as
 * {@link OutboxState#PENDING}: their delivery was never acknowledged. An entry keeps for good that it was
 * {@linkplain OutboxEntry#handedOver() handed over} to the sink once.
 *
 * <p><b>Durability</b> follows {@link OutboxOptions#fsync()}: with {@code perOperation} every record that
 * matters (appends and every state change but "pending again" after an abandoned delivery, which reopening
 * infers anyway) is forced to the device before the method returns;
 * with {@code grouped(interval)} a background thread forces the file every interval. Either way a record is in
 * the file (and survives the death of the process) when the method returns.
 *
 * <p><b>Compaction</b> rewrites the log without the entries the mirror reflects and those purged, keeping
 * each live entry as its append record and one state record: into a temporary file that is forced, renamed
 * over the log and followed by a sync of the directory, so a crash leaves either the old or the new log. It
 * runs when the file is at least {@link OutboxOptions#compactionMinBytes()} long and at least
 * {@link OutboxOptions#compactionGarbageRatio()} of it is garbage, and on {@link #compact()}.
 *
 * <p>Thread-safe: one lock orders all reads and writes. One process at a time: opening takes an OS lock on
 * {@value #LOCK_FILE} in the directory.
 */
public final class OutboxLog implements AutoCloseable {

    /** The log file's name in the directory. */
    public static final String FILE = "outbox.log";
    static final String COMPACTING = "outbox.log.compacting";
    static final String LOCK_FILE = "outbox.lock";

    private static final System.Logger LOG = System.getLogger(OutboxLog.class.getName());
    private static final int COMPACTION_CHUNK = 1 << 20;

    private final Path directory;
    private final Path file;
    private final OutboxOptions options;
    private final Clock clock;
    private final ReentrantLock lock = new ReentrantLock();
    private final FileChannel lockChannel;
    private final FileLock fileLock;
    private final TreeMap<Long, Entry> entries = new TreeMap<>();
    private final NavigableSet<Long> pending = new TreeSet<>();
    private final NavigableSet<Long> inFlight = new TreeSet<>();
    private final long[] counts = new long[OutboxState.values().length];
    private final List<Runnable> listeners = new CopyOnWriteArrayList<>();
    private final ScheduledExecutorService syncer;
    private FileChannel channel;
    /** The end of the last whole record: where the next one goes. */
    private long end;
    /** Bytes that are not entry records and never garbage: the header, and what compaction wrote first. */
    private long overheadBytes = OutboxRecords.HEADER_LEN;
    /** Bytes of the append record and latest state record of every entry that is not reflected. */
    private long liveBytes;
    private long nextSeq = 1;
    /** While opening: the sequence number of the last append record read. */
    private long lastReplayedSeq;
    private long reflected;
    private long deliveredSinceOpen;
    private long deadSinceOpen;
    private boolean dirty;
    private boolean closed;
    /** The format version of the file as opened (compaction writes the current one). */
    private int fileVersion = OutboxRecords.VERSION;

    /** One entry's place in the file and its current state. */
    private static final class Entry {
        final long seq;
        final long createdMillis;
        final long localOperation;
        /** The touched point ids, or {@code null} when none were recorded. */
        final List<PointId> ids;
        long operationOffset;
        int operationLength;
        int appendBytes;
        int stateBytes;
        OutboxState state = OutboxState.PENDING;
        int attempts;
        long nextAttemptMillis;
        long deliveredMillis = -1;
        String error;
        boolean reflected;
        /** Whether the entry was ever handed to the sink (so the receiver may hold its effect already). */
        boolean handedOver;

        Entry(long seq, long createdMillis, long localOperation, List<PointId> ids) {
            this.seq = seq;
            this.createdMillis = createdMillis;
            this.localOperation = localOperation;
            this.ids = ids;
            this.nextAttemptMillis = createdMillis;
        }

        OutboxEntry view() {
            return new OutboxEntry(seq, Instant.ofEpochMilli(createdMillis), state, attempts,
                    Instant.ofEpochMilli(nextAttemptMillis), Optional.ofNullable(error),
                    deliveredMillis < 0 ? Optional.empty() : Optional.of(Instant.ofEpochMilli(deliveredMillis)),
                    reflected, localOperation, ids == null ? List.of() : ids, ids != null, handedOver);
        }
    }

    private OutboxLog(Path directory, OutboxOptions options, Clock clock, FileChannel lockChannel, FileLock fileLock) {
        this.directory = directory;
        this.file = directory.resolve(FILE);
        this.options = options;
        this.clock = clock;
        this.lockChannel = lockChannel;
        this.fileLock = fileLock;
        this.syncer = options.fsync().isPerOperation() ? null : Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "edge-outbox-sync-" + directory.getFileName());
            t.setDaemon(true);
            return t;
        });
    }

    /** Opens (or creates) the outbox log in {@code directory} with the default options and the system clock. */
    public static OutboxLog open(Path directory) {
        return open(directory, OutboxOptions.defaults(), Clock.systemUTC());
    }

    /**
     * Opens the outbox log in {@code directory}, creating the directory and an empty log when missing.
     *
     * @param clock the source of creation, attempt and delivery times
     * @throws EdgeFormatException naming the file when it is not an outbox log or a whole record in it is
     *     malformed (a damaged tail is cut off instead)
     * @throws EdgeException when the log is open elsewhere or cannot be read or written
     */
    public static OutboxLog open(Path directory, OutboxOptions options, Clock clock) {
        Objects.requireNonNull(options, "options");
        Objects.requireNonNull(clock, "clock");
        FileChannel lockChannel = null;
        try {
            Files.createDirectories(directory);
            Path lockFile = directory.resolve(LOCK_FILE);
            lockChannel = FileChannel.open(lockFile, StandardOpenOption.CREATE, StandardOpenOption.WRITE);
            FileLock fileLock;
            try {
                fileLock = lockChannel.tryLock();
            } catch (OverlappingFileLockException e) {
                throw new EdgeException("the outbox in " + directory + " is already open in this process", e);
            }
            if (fileLock == null) {
                throw new EdgeException("the outbox in " + directory + " is already open in another process");
            }
            OutboxLog log = new OutboxLog(directory, options, clock, lockChannel, fileLock);
            try {
                log.load();
            } catch (RuntimeException | IOException e) {
                log.closeQuietly();
                throw e;
            }
            log.startSyncer();
            return log;
        } catch (IOException e) {
            closeQuietly(lockChannel);
            throw new EdgeException("cannot open the outbox in " + directory + ": " + e.getMessage(), e);
        } catch (RuntimeException e) {
            closeQuietly(lockChannel);
            throw e;
        }
    }

    private void load() throws IOException {
        Files.deleteIfExists(directory.resolve(COMPACTING)); // a compaction that never got to its rename
        if (!Files.exists(file)) {
            FileSync.writeAtomically(file, OutboxRecords.header());
        }
        channel = FileChannel.open(file, StandardOpenOption.READ, StandardOpenOption.WRITE);
        long size = channel.size();
        if (size < OutboxRecords.HEADER_LEN) {
            throw new EdgeFormatException(file, "not an outbox log: " + size + " bytes, shorter than its header");
        }
        ByteBuffer header = ByteBuffer.allocate(OutboxRecords.HEADER_LEN);
        readFully(channel, header, 0);
        byte[] magic = Arrays.copyOf(header.array(), OutboxRecords.MAGIC.length);
        if (!Arrays.equals(magic, OutboxRecords.MAGIC)) {
            throw new EdgeFormatException(file, "not an outbox log: it does not start with "
                    + OutboxRecords.MAGIC_TEXT);
        }
        int version = header.getInt(OutboxRecords.MAGIC.length);
        if (version < OutboxRecords.OLDEST_VERSION || version > OutboxRecords.VERSION) {
            throw new EdgeFormatException(file, "outbox log format version " + version + " is not supported (this"
                    + " engine reads versions " + OutboxRecords.OLDEST_VERSION + " to " + OutboxRecords.VERSION + ")");
        }
        fileVersion = version;
        long pos = replay(size);
        if (pos < size) {
            LOG.log(System.Logger.Level.WARNING, "outbox log " + file + ": cutting off " + (size - pos)
                    + " bytes of a torn or damaged tail at offset " + pos);
            channel.truncate(pos);
            channel.force(true);
        }
        end = pos;
        for (Long seq : new ArrayList<>(inFlight)) {
            setState(entries.get(seq), OutboxState.PENDING); // never acknowledged
        }
    }

    /** Applies every whole record; returns the end of the last one. */
    private long replay(long size) throws IOException {
        channel.position(OutboxRecords.HEADER_LEN);
        InputStream raw = Channels.newInputStream(channel);
        DataInputStream in = new DataInputStream(new BufferedInputStream(raw, 1 << 16));
        long pos = OutboxRecords.HEADER_LEN;
        while (pos < size) {
            if (size - pos < OutboxRecords.FRAME_HEADER_LEN) {
                break;
            }
            int length = in.readInt();
            int crc = in.readInt();
            if (length < 1 || length > OutboxRecords.MAX_BODY || length > size - pos - OutboxRecords.FRAME_HEADER_LEN) {
                break;
            }
            byte[] body = new byte[length];
            in.readFully(body);
            if (Crc32c.of(body) != crc) {
                break;
            }
            OutboxRecords.Record record;
            try {
                record = OutboxRecords.decode(body);
                apply(record, pos, length);
            } catch (IllegalArgumentException e) {
                throw new EdgeFormatException(file, "record at offset " + pos + ": " + e.getMessage(), e);
            }
            pos += OutboxRecords.FRAME_HEADER_LEN + length;
        }
        return pos;
    }

    private void apply(OutboxRecords.Record record, long recordOffset, int bodyLength) {
        if (record instanceof OutboxRecords.Append a) {
            if (a.seq() <= lastReplayedSeq) {
                throw new IllegalArgumentException("entry " + a.seq() + " follows entry " + lastReplayedSeq
                        + ": sequence numbers must increase");
            }
            lastReplayedSeq = a.seq();
            List<PointId> ids = a.ids() == null ? null : List.copyOf(a.ids());
            if (fileVersion == 1 && ids.isEmpty() && a.localOperation() < 0) {
                ids = null; // version 1 could not tell "none recorded" from "none touched"
            }
            Entry e = new Entry(a.seq(), a.createdMillis(), a.localOperation(), ids);
            e.operationOffset = recordOffset + OutboxRecords.FRAME_HEADER_LEN + a.operationOffset();
            e.operationLength = a.operationLength();
            e.appendBytes = OutboxRecords.FRAME_HEADER_LEN + bodyLength;
            add(e);
        } else if (record instanceof OutboxRecords.State s) {
            Entry e = entries.get(s.seq());
            if (e == null) {
                throw new IllegalArgumentException("a state record for entry " + s.seq() + ", which the log does"
                        + " not hold");
            }
            e.attempts = s.attempts();
            e.nextAttemptMillis = s.nextAttemptMillis();
            e.deliveredMillis = s.deliveredMillis();
            e.error = s.error();
            e.handedOver |= s.state() == OutboxState.IN_FLIGHT || s.attempts() > 0;
            setStateBytes(e, OutboxRecords.FRAME_HEADER_LEN + bodyLength);
            setState(e, s.state());
        } else if (record instanceof OutboxRecords.Reflected r) {
            for (long[] range : r.ranges()) {
                for (Entry e : new ArrayList<>(entries.subMap(range[0], true, range[1], true).values())) {
                    markReflected(e);
                }
            }
        } else if (record instanceof OutboxRecords.Purge p) {
            Entry e = entries.get(p.seq());
            if (e == null) {
                throw new IllegalArgumentException("a purge of entry " + p.seq() + ", which the log does not hold");
            }
            remove(e);
        } else if (record instanceof OutboxRecords.NextSeq n) {
            nextSeq = Math.max(nextSeq, n.seq());
        }
    }

    private void startSyncer() {
        if (syncer != null) {
            long nanos = options.fsync().interval().toNanos();
            syncer.scheduleWithFixedDelay(this::syncQuietly, nanos, nanos, TimeUnit.NANOSECONDS);
        }
    }

    private void syncQuietly() {
        lock.lock();
        try {
            if (!closed && dirty) {
                dirty = false;
                channel.force(false);
            }
        } catch (IOException e) {
            LOG.log(System.Logger.Level.ERROR, "cannot sync the outbox log " + file, e);
        } finally {
            lock.unlock();
        }
    }

    // ---------------------------------------------------------------------------------------------
    // appending

    /**
     * Appends {@code operation} with no local effect and no touched points recorded; returns its sequence
     * number. Such an entry is always delivered as it is.
     */
    public long append(UpdateOperation operation) {
        return append(operation, -1, null);
    }

    /**
     * Appends {@code operation} as a new {@link OutboxState#PENDING} entry, durable as the options say when
     * this returns.
     *
     * @param localOperation the operation number its effect gets in the local shard, or -1
     * @param pointIds the points the operation touches, as its local effect resolved them (for an operation by
     *     filter or condition, exactly the points it selected): a redelivery may send the operation restricted
     *     to them (see {@link OutboxPublisher}); {@code null} when not known
     * @return the entry's sequence number, larger than every earlier one
     */
    public long append(UpdateOperation operation, long localOperation, Collection<PointId> pointIds) {
        Objects.requireNonNull(operation, "operation");
        List<PointId> ids = pointIds == null ? null : List.copyOf(pointIds);
        byte[] encoded = OperationEncoder.encode(operation);
        long seq;
        lock.lock();
        try {
            ensureOpen();
            seq = nextSeq;
            long now = clock.millis();
            byte[] body = OutboxRecords.append(seq, now, localOperation, ids, encoded);
            long at = write(List.of(body), true);
            Entry e = new Entry(seq, now, localOperation, ids);
            e.operationOffset = at + OutboxRecords.FRAME_HEADER_LEN + body.length - encoded.length;
            e.operationLength = encoded.length;
            e.appendBytes = OutboxRecords.FRAME_HEADER_LEN + body.length;
            add(e);
        } finally {
            lock.unlock();
        }
        changed();
        return seq;
    }

    // ---------------------------------------------------------------------------------------------
    // inspection

    /** The entry with sequence number {@code seq}, if the log holds it. */
    public Optional<OutboxEntry> get(long seq) {
        lock.lock();
        try {
            ensureOpen();
            Entry e = entries.get(seq);
            return e == null ? Optional.empty() : Optional.of(e.view());
        } finally {
            lock.unlock();
        }
    }

    /**
     * The operation of entry {@code seq}, read from the file.
     *
     * @throws IllegalArgumentException when the log holds no such entry
     * @throws EdgeFormatException when its stored operation cannot be decoded
     */
    public UpdateOperation operation(long seq) {
        lock.lock();
        try {
            ensureOpen();
            return decode(require(seq));
        } finally {
            lock.unlock();
        }
    }

    /** Up to {@code limit} entries in {@code state} with sequence numbers from {@code fromSeq}, in order. */
    public List<OutboxEntry> list(OutboxState state, long fromSeq, int limit) {
        Objects.requireNonNull(state, "state");
        if (limit < 1) {
            throw new IllegalArgumentException("limit must be at least 1, was " + limit);
        }
        lock.lock();
        try {
            ensureOpen();
            List<OutboxEntry> out = new ArrayList<>();
            Collection<Long> seqs = state == OutboxState.PENDING ? pending.tailSet(fromSeq, true)
                    : state == OutboxState.IN_FLIGHT ? inFlight.tailSet(fromSeq, true)
                    : entries.tailMap(fromSeq, true).keySet();
            for (Long seq : seqs) {
                Entry e = entries.get(seq);
                if (e.state == state) {
                    out.add(e.view());
                    if (out.size() == limit) {
                        break;
                    }
                }
            }
            return out;
        } finally {
            lock.unlock();
        }
    }

    /** Every entry the mirror does not reflect yet (whatever its state), in sequence order. */
    public List<OutboxEntry> unreflected() {
        lock.lock();
        try {
            ensureOpen();
            List<OutboxEntry> out = new ArrayList<>(entries.size());
            for (Entry e : entries.values()) {
                if (!e.reflected) {
                    out.add(e.view());
                }
            }
            return out;
        } finally {
            lock.unlock();
        }
    }

    /** The sequence numbers of the delivered entries the mirror does not reflect yet, ascending. */
    public List<Long> deliveredUnreflected() {
        lock.lock();
        try {
            ensureOpen();
            List<Long> out = new ArrayList<>();
            for (Entry e : entries.values()) {
                if (e.state == OutboxState.DELIVERED && !e.reflected) {
                    out.add(e.seq);
                }
            }
            return out;
        } finally {
            lock.unlock();
        }
    }

    /** Entries still to deliver: pending and in flight. */
    public long backlog() {
        lock.lock();
        try {
            return pending.size() + inFlight.size();
        } finally {
            lock.unlock();
        }
    }

    /** How long the oldest pending or in-flight entry has waited; empty when none waits. */
    public Optional<Duration> oldestPendingAge() {
        lock.lock();
        try {
            return oldestPendingAgeLocked();
        } finally {
            lock.unlock();
        }
    }

    private Optional<Duration> oldestPendingAgeLocked() {
        Long oldest = pending.isEmpty() ? null : pending.first();
        if (!inFlight.isEmpty() && (oldest == null || inFlight.first() < oldest)) {
            oldest = inFlight.first();
        }
        if (oldest == null) {
            return Optional.empty();
        }
        long age = clock.millis() - entries.get(oldest).createdMillis;
        return Optional.of(Duration.ofMillis(Math.max(0, age)));
    }

    /** The number of dead entries. */
    public long deadCount() {
        lock.lock();
        try {
            return counts[OutboxState.DEAD.ordinal()];
        } finally {
            lock.unlock();
        }
    }

    public OutboxStats stats() {
        lock.lock();
        try {
            return new OutboxStats(counts[OutboxState.PENDING.ordinal()], counts[OutboxState.IN_FLIGHT.ordinal()],
                    counts[OutboxState.DELIVERED.ordinal()], counts[OutboxState.DEAD.ordinal()], reflected,
                    oldestPendingAgeLocked(), nextSeq, end, deliveredSinceOpen, deadSinceOpen);
        } finally {
            lock.unlock();
        }
    }

    public Path directory() {
        return directory;
    }

    /** Whether the log is open (not closed yet). */
    public boolean isOpen() {
        lock.lock();
        try {
            return !closed;
        } finally {
            lock.unlock();
        }
    }

    // ---------------------------------------------------------------------------------------------
    // delivery (the publisher's side)

    /**
     * The pending entries that go next, in sequence order: the lowest pending one and those after it, up to
     * {@code maxEntries} (delivered and dead entries in between are passed over). Empty while entries are in
     * flight, so that a batch never overtakes another.
     */
    public List<OutboxEntry> nextBatch(int maxEntries) {
        if (maxEntries < 1) {
            throw new IllegalArgumentException("maxEntries must be at least 1, was " + maxEntries);
        }
        lock.lock();
        try {
            ensureOpen();
            List<OutboxEntry> batch = new ArrayList<>();
            if (!inFlight.isEmpty()) {
                return batch;
            }
            for (Long seq : pending) {
                batch.add(entries.get(seq).view());
                if (batch.size() == maxEntries) {
                    break;
                }
            }
            return batch;
        } finally {
            lock.unlock();
        }
    }

    /**
     * Marks pending entries as handed to the sink, durably: reopening reads them as pending, and as {@linkplain
     * OutboxEntry#handedOver() handed over} for good.
     */
    public void markInFlight(List<Long> seqs) {
        transition(seqs, true, e -> {
            requireState(e, "put in flight", OutboxState.PENDING);
            e.state = OutboxState.IN_FLIGHT;
            e.handedOver = true;
        });
    }

    /** Marks entries as acknowledged by the sink. */
    public void markDelivered(List<Long> seqs) {
        transition(seqs, true, e -> {
            requireState(e, "mark delivered", OutboxState.PENDING, OutboxState.IN_FLIGHT);
            e.deliveredMillis = clock.millis();
            e.state = OutboxState.DELIVERED;
        });
    }

    /**
     * Records a failed delivery attempt of entries: each one's attempts grow by one, the error is kept, and
     * they are pending again, due at {@code nextAttemptAt}.
     */
    public void markFailed(List<Long> seqs, String error, Instant nextAttemptAt) {
        Objects.requireNonNull(nextAttemptAt, "nextAttemptAt");
        transition(seqs, true, e -> {
            requireState(e, "mark failed", OutboxState.PENDING, OutboxState.IN_FLIGHT);
            e.attempts++;
            e.handedOver = true;
            e.error = error;
            e.nextAttemptMillis = nextAttemptAt.toEpochMilli();
            e.state = OutboxState.PENDING;
        });
    }

    /** Makes in-flight entries pending again, unchanged otherwise (a delivery abandoned, not failed). */
    public void markPending(List<Long> seqs) {
        transition(seqs, false, e -> {
            requireState(e, "mark pending", OutboxState.PENDING, OutboxState.IN_FLIGHT);
            e.state = OutboxState.PENDING;
        });
    }

    /** Dead-letters an entry the sink refused permanently: its attempts grow by one and the error is kept. */
    public void markDead(long seq, String error) {
        transition(List.of(seq), true, e -> {
            requireState(e, "mark dead", OutboxState.PENDING, OutboxState.IN_FLIGHT);
            e.attempts++;
            e.handedOver = true;
            e.error = error;
            e.state = OutboxState.DEAD;
        });
    }

    /**
     * Makes a dead entry pending again, with its attempts reset and due at once. It is delivered in
     * sequence order among the pending entries, so before every pending entry appended after it.
     *
     * @throws IllegalStateException when the entry is not dead
     */
    public void resubmit(long seq) {
        transition(List.of(seq), true, e -> {
            requireState(e, "resubmit", OutboxState.DEAD);
            e.attempts = 0;
            e.nextAttemptMillis = clock.millis();
            e.state = OutboxState.PENDING;
        });
    }

    /** Resubmits every dead entry; returns how many there were. */
    public int resubmitAllDead() {
        List<Long> dead = new ArrayList<>();
        lock.lock();
        try {
            ensureOpen();
            for (Entry e : entries.values()) {
                if (e.state == OutboxState.DEAD) {
                    dead.add(e.seq);
                }
            }
        } finally {
            lock.unlock();
        }
        if (dead.isEmpty()) {
            return 0;
        }
        long now = clock.millis();
        transition(dead, true, e -> {
            if (e.state == OutboxState.DEAD) {
                e.attempts = 0;
                e.nextAttemptMillis = now;
                e.state = OutboxState.PENDING;
            }
        });
        return dead.size();
    }

    /**
     * Removes a dead entry from the log for good: it is never delivered.
     *
     * @throws IllegalStateException when the entry is not dead
     */
    public void purge(long seq) {
        lock.lock();
        try {
            ensureOpen();
            Entry e = require(seq);
            requireState(e, "purge", OutboxState.DEAD);
            write(List.of(OutboxRecords.purge(seq)), true);
            remove(e);
            maybeCompact();
        } finally {
            lock.unlock();
        }
        changed();
    }

    /**
     * Records that the mirror reflects the given entries; only those delivered are marked (others are left
     * as they are). Compaction removes marked entries.
     *
     * @return the sequence numbers marked, ascending
     */
    public List<Long> markReflected(Collection<Long> seqs) {
        List<Long> marked = new ArrayList<>();
        lock.lock();
        try {
            ensureOpen();
            for (Long seq : new TreeSet<>(seqs)) {
                Entry e = entries.get(seq);
                if (e != null && e.state == OutboxState.DELIVERED && !e.reflected) {
                    marked.add(seq);
                }
            }
            if (!marked.isEmpty()) {
                write(List.of(OutboxRecords.reflected(marked)), true);
                for (Long seq : marked) {
                    markReflected(entries.get(seq));
                }
                maybeCompact();
            }
        } finally {
            lock.unlock();
        }
        if (!marked.isEmpty()) {
            changed();
        }
        return marked;
    }

    /** Rewrites the log without reflected and purged entries, now. */
    public void compact() {
        lock.lock();
        try {
            ensureOpen();
            compactLocked();
        } finally {
            lock.unlock();
        }
    }

    /** Runs {@code listener} after every change of the log (from the thread that made it). */
    public void addChangeListener(Runnable listener) {
        listeners.add(Objects.requireNonNull(listener, "listener"));
    }

    public void removeChangeListener(Runnable listener) {
        listeners.remove(listener);
    }

    /** Forces the file and releases it and the directory lock. */
    @Override
    public void close() {
        lock.lock();
        try {
            if (closed) {
                return;
            }
            closed = true;
            if (syncer != null) {
                syncer.shutdownNow();
            }
            try {
                channel.force(false);
            } catch (IOException e) {
                throw new EdgeException("cannot sync the outbox log " + file + ": " + e.getMessage(), e);
            } finally {
                closeQuietly();
            }
        } finally {
            lock.unlock();
        }
        changed();
    }

    // ---------------------------------------------------------------------------------------------
    // internals (under the lock)

    /** Sets the new state fields of a detached copy of an entry (or throws to refuse the change). */
    @FunctionalInterface
    private interface Change {
        void apply(Entry copy);
    }

    /**
     * Works out each entry's new state on a detached copy (so that a refused change leaves every entry as it
     * was), writes one state record per entry in one write, then applies the new states.
     */
    private void transition(List<Long> seqs, boolean durable, Change change) {
        if (seqs.isEmpty()) {
            return;
        }
        lock.lock();
        try {
            ensureOpen();
            List<Entry> targets = new ArrayList<>(seqs.size());
            List<Entry> after = new ArrayList<>(seqs.size());
            List<byte[]> bodies = new ArrayList<>(seqs.size());
            for (Long seq : seqs) {
                Entry e = require(seq);
                Entry c = copy(e);
                change.apply(c);
                targets.add(e);
                after.add(c);
                bodies.add(OutboxRecords.state(c.seq, c.state, c.attempts, c.nextAttemptMillis, c.deliveredMillis,
                        c.error));
            }
            write(bodies, durable);
            for (int i = 0; i < targets.size(); i++) {
                Entry e = targets.get(i);
                Entry c = after.get(i);
                if (c.state == OutboxState.DELIVERED && e.state != OutboxState.DELIVERED) {
                    deliveredSinceOpen++;
                } else if (c.state == OutboxState.DEAD && e.state != OutboxState.DEAD) {
                    deadSinceOpen++;
                }
                e.attempts = c.attempts;
                e.nextAttemptMillis = c.nextAttemptMillis;
                e.deliveredMillis = c.deliveredMillis;
                e.error = c.error;
                e.handedOver = c.handedOver;
                setStateBytes(e, OutboxRecords.FRAME_HEADER_LEN + bodies.get(i).length);
                setState(e, c.state);
            }
            maybeCompact();
        } finally {
            lock.unlock();
        }
        changed();
    }

    private void add(Entry e) {
        entries.put(e.seq, e);
        nextSeq = Math.max(nextSeq, e.seq + 1);
        counts[e.state.ordinal()]++;
        pending.add(e.seq);
        liveBytes += e.appendBytes;
    }

    private void remove(Entry e) {
        entries.remove(e.seq);
        counts[e.state.ordinal()]--;
        pending.remove(e.seq);
        inFlight.remove(e.seq);
        if (e.reflected) {
            reflected--;
        } else {
            liveBytes -= e.appendBytes + e.stateBytes;
        }
    }

    private void markReflected(Entry e) {
        if (!e.reflected) {
            e.reflected = true;
            reflected++;
            liveBytes -= e.appendBytes + e.stateBytes;
        }
    }

    private void setStateBytes(Entry e, int bytes) {
        if (!e.reflected) {
            liveBytes += bytes - e.stateBytes;
        }
        e.stateBytes = bytes;
    }

    /** Moves an entry to {@code state}, keeping the counts and the pending and in-flight sets in step. */
    private void setState(Entry e, OutboxState state) {
        counts[e.state.ordinal()]--;
        pending.remove(e.seq);
        inFlight.remove(e.seq);
        e.state = state;
        counts[state.ordinal()]++;
        if (state == OutboxState.PENDING) {
            pending.add(e.seq);
        } else if (state == OutboxState.IN_FLIGHT) {
            inFlight.add(e.seq);
        }
    }

    /** A detached copy: changing its fields touches neither the entry nor the log's sets and counts. */
    private static Entry copy(Entry e) {
        Entry c = new Entry(e.seq, e.createdMillis, e.localOperation, e.ids);
        c.state = e.state;
        c.attempts = e.attempts;
        c.nextAttemptMillis = e.nextAttemptMillis;
        c.deliveredMillis = e.deliveredMillis;
        c.error = e.error;
        c.reflected = e.reflected;
        c.handedOver = e.handedOver;
        return c;
    }

    private Entry require(long seq) {
        Entry e = entries.get(seq);
        if (e == null) {
            throw new IllegalArgumentException("the outbox holds no entry " + seq);
        }
        return e;
    }

    private static void requireState(Entry e, String action, OutboxState... allowed) {
        for (OutboxState s : allowed) {
            if (e.state == s) {
                return;
            }
        }
        throw new IllegalStateException("cannot " + action + " outbox entry " + e.seq + ": it is " + e.state
                + (allowed.length == 1 ? ", not " + allowed[0] : ", not one of " + Arrays.toString(allowed)));
    }

    private UpdateOperation decode(Entry e) {
        ByteBuffer buffer = ByteBuffer.allocate(e.operationLength);
        try {
            readFully(channel, buffer, e.operationOffset);
        } catch (IOException ex) {
            throw new EdgeException("cannot read outbox entry " + e.seq + " from " + file + ": " + ex.getMessage(), ex);
        }
        return new WalRecordDecoder().decode(new WalEntry(e.seq, file, e.operationOffset, buffer.array()))
                .operation();
    }

    /** Writes whole frames at the end; returns where the first one starts. */
    private long write(List<byte[]> bodies, boolean durable) {
        ByteBuffer frames = OutboxRecords.frames(bodies);
        long start = end;
        try {
            long at = start;
            while (frames.hasRemaining()) {
                at += channel.write(frames, at);
            }
            if (durable && options.fsync().isPerOperation()) {
                channel.force(false);
            } else {
                dirty = true;
            }
            end = at;
        } catch (IOException e) {
            throw new EdgeException("cannot write to the outbox log " + file + ": " + e.getMessage(), e);
        }
        return start;
    }

    private void maybeCompact() {
        long garbage = end - overheadBytes - liveBytes;
        if (garbage > 0 && end >= options.compactionMinBytes()
                && garbage >= options.compactionGarbageRatio() * end) {
            compactLocked();
        }
    }

    private void compactLocked() {
        Path tmp = directory.resolve(COMPACTING);
        FileChannel out = null;
        Map<Long, long[]> placed = new TreeMap<>(); // seq -> {operationOffset, appendBytes, stateBytes}
        long pos;
        try {
            Files.deleteIfExists(tmp);
            out = FileChannel.open(tmp, StandardOpenOption.CREATE_NEW, StandardOpenOption.READ,
                    StandardOpenOption.WRITE);
            ByteBuffer chunk = ByteBuffer.allocate(COMPACTION_CHUNK);
            pos = 0;
            pos = put(out, chunk, pos, ByteBuffer.wrap(OutboxRecords.header()));
            pos = put(out, chunk, pos, OutboxRecords.frames(List.of(OutboxRecords.nextSeq(nextSeq))));
            long overhead = pos;
            for (Entry e : entries.values()) {
                if (e.reflected) {
                    continue;
                }
                ByteBuffer op = ByteBuffer.allocate(e.operationLength);
                readFully(channel, op, e.operationOffset);
                byte[] body = OutboxRecords.append(e.seq, e.createdMillis, e.localOperation, e.ids, op.array());
                long[] where = new long[3];
                where[0] = pos + OutboxRecords.FRAME_HEADER_LEN + body.length - e.operationLength;
                where[1] = OutboxRecords.FRAME_HEADER_LEN + body.length;
                pos = put(out, chunk, pos, OutboxRecords.frames(List.of(body)));
                if (e.stateBytes > 0) {
                    List<byte[]> states = new ArrayList<>(2);
                    if (e.handedOver && e.state != OutboxState.IN_FLIGHT) {
                        // keeps the record that it was handed to the sink
                        states.add(OutboxRecords.state(e.seq, OutboxState.IN_FLIGHT, e.attempts,
                                e.nextAttemptMillis, e.deliveredMillis, e.error));
                    }
                    states.add(OutboxRecords.state(e.seq, e.state, e.attempts, e.nextAttemptMillis,
                            e.deliveredMillis, e.error));
                    ByteBuffer frames = OutboxRecords.frames(states);
                    where[2] = frames.remaining();
                    pos = put(out, chunk, pos, frames);
                }
                placed.put(e.seq, where);
            }
            flushChunk(out, chunk, pos);
            out.force(true);
            FileSync.rename(tmp, file); // the commit point: from here on the new file is the log
            overheadBytes = overhead;
            fileVersion = OutboxRecords.VERSION;
        } catch (IOException e) {
            closeQuietly(out);
            try {
                Files.deleteIfExists(tmp);
            } catch (IOException ignored) {
                // removed on the next open
            }
            throw new EdgeException("cannot compact the outbox log " + file + ": " + e.getMessage(), e);
        }
        closeQuietly(channel);
        channel = out;
        end = pos;
        dirty = false;
        entries.values().removeIf(e -> {
            if (e.reflected) {
                counts[e.state.ordinal()]--;
                pending.remove(e.seq);
                inFlight.remove(e.seq);
                return true;
            }
            return false;
        });
        reflected = 0;
        liveBytes = 0;
        for (Entry e : entries.values()) {
            long[] where = placed.get(e.seq);
            e.operationOffset = where[0];
            e.appendBytes = (int) where[1];
            e.stateBytes = (int) where[2];
            liveBytes += e.appendBytes + e.stateBytes;
        }
        try {
            FileSync.syncDirectory(directory); // makes the rename durable
        } catch (IOException e) {
            throw new EdgeException("cannot sync the outbox directory " + directory + " after compacting: "
                    + e.getMessage(), e);
        }
    }

    /** Adds {@code data} to the chunk, writing the chunk out when full; returns the position after it. */
    private static long put(FileChannel out, ByteBuffer chunk, long pos, ByteBuffer data) throws IOException {
        long written = pos - chunk.position();
        while (data.hasRemaining()) {
            if (!chunk.hasRemaining()) {
                written = flushChunk(out, chunk, written + chunk.position());
            }
            int n = Math.min(chunk.remaining(), data.remaining());
            ByteBuffer slice = data.slice();
            slice.limit(n);
            chunk.put(slice);
            data.position(data.position() + n);
        }
        return written + chunk.position();
    }

    /** Writes the chunk's content so that it ends at {@code pos}; returns {@code pos}. */
    private static long flushChunk(FileChannel out, ByteBuffer chunk, long pos) throws IOException {
        chunk.flip();
        long at = pos - chunk.remaining();
        while (chunk.hasRemaining()) {
            at += out.write(chunk, at);
        }
        chunk.clear();
        return pos;
    }

    private static void readFully(FileChannel channel, ByteBuffer buffer, long position) throws IOException {
        long at = position;
        while (buffer.hasRemaining()) {
            int n = channel.read(buffer, at);
            if (n < 0) {
                throw new IOException("unexpected end of file at offset " + at);
            }
            at += n;
        }
        buffer.flip();
    }

    private void ensureOpen() {
        if (closed) {
            throw new EdgeException("the outbox log " + file + " is closed");
        }
    }

    private void changed() {
        for (Runnable listener : listeners) {
            try {
                listener.run();
            } catch (RuntimeException e) {
                LOG.log(System.Logger.Level.WARNING, "an outbox change listener failed", e);
            }
        }
    }

    private void closeQuietly() {
        closeQuietly(channel);
        try {
            fileLock.release();
        } catch (IOException ignored) {
            // closing the channel releases it
        }
        closeQuietly(lockChannel);
    }

    private static void closeQuietly(java.nio.channels.Channel c) {
        if (c == null) {
            return;
        }
        try {
            c.close();
        } catch (IOException ignored) {
            // nothing left to release
        }
    }
}
