package dev.qdrantedge.engine.idtracker;

import dev.qdrantedge.engine.EdgeFormatException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.BitSet;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The id tracker of an appendable segment opened for writing: the in-memory state of
 * {@code mutable_id_tracker.mappings} and {@code mutable_id_tracker.versions}, with changes kept pending
 * until {@link #flush()} (or {@link #flushMappings()} then {@link #flushVersions()}). Reads through
 * {@link IdTracker} see every change at once.
 *
 * <p>Semantics are Qdrant's mutable tracker:
 * <ul>
 * <li>{@link #setLink} links an external id to an internal id; a previous internal id of that external id
 * becomes deleted; the internal-id space grows to cover it (new slots start deleted).</li>
 * <li>{@link #drop} unlinks an external id, logs a delete record (even for an unknown id) and sets the
 * version of its slot to {@link #DELETED_POINT_VERSION}.</li>
 * <li>{@link #setInternalVersion} grows the version array with zeros as needed.</li>
 * <li>A point is live when it is linked and has a version, as Qdrant decides on load.</li>
 * </ul>
 *
 * <p>Persisting: the mappings log is appended at the length it had after the last successful flush (a
 * longer file, left by an interrupted flush, is truncated first; a shorter one is an error), then forced;
 * versions are written at their positions ({@code 8 * internalId}) after truncating a partial trailing
 * element, then forced. Opening truncates a torn trailing mappings record, as Qdrant does on load.
 */
public final class MutableIdTrackerWriter implements WritableIdTracker {

    /** The version Qdrant gives a slot whose point was removed. */
    public static final long DELETED_POINT_VERSION = 0;

    private static final byte INSERT_NUM = 1;
    private static final byte INSERT_UUID = 2;
    private static final byte DELETE_NUM = 3;
    private static final byte DELETE_UUID = 4;

    private final Path mappingsFile;
    private final Path versionsFile;
    private final List<PointId> externalIds = new ArrayList<>();
    private final BitSet deleted = new BitSet();
    private final Map<PointId, Integer> links = new HashMap<>();
    private long[] versions;
    private int versionCount;
    private final List<PointId> pendingChanges = new ArrayList<>();
    private final List<Integer> pendingInternals = new ArrayList<>();
    private final TreeMap<Integer, Long> pendingVersions = new TreeMap<>();
    private long mappingsLength;

    private MutableIdTrackerWriter(Path segmentDir) {
        this.mappingsFile = segmentDir.resolve(MutableIdTrackerReader.MAPPINGS_FILE);
        this.versionsFile = segmentDir.resolve(MutableIdTrackerReader.VERSIONS_FILE);
    }

    /**
     * Loads the tracker of the segment in {@code segmentDir}; missing files are an empty tracker (Qdrant
     * creates them on the first flush). A torn trailing mappings record is cut off the file; an unknown
     * record type is an {@link EdgeFormatException} naming the file.
     */
    public static MutableIdTrackerWriter open(Path segmentDir) {
        MutableIdTrackerWriter tracker = new MutableIdTrackerWriter(segmentDir);
        tracker.loadMappings();
        tracker.loadVersions();
        return tracker;
    }

    private void loadMappings() {
        if (!Files.isRegularFile(mappingsFile)) {
            mappingsLength = 0;
            return;
        }
        ByteBuffer in;
        long fileLength;
        try {
            byte[] bytes = Files.readAllBytes(mappingsFile);
            fileLength = bytes.length;
            in = ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN);
        } catch (IOException e) {
            throw new EdgeFormatException(mappingsFile, "cannot read: " + e.getMessage(), e);
        }
        while (in.hasRemaining()) {
            int start = in.position();
            byte type = in.get();
            int size;
            if (type == INSERT_NUM) {
                size = 12;
            } else if (type == INSERT_UUID) {
                size = 20;
            } else if (type == DELETE_NUM) {
                size = 8;
            } else if (type == DELETE_UUID) {
                size = 16;
            } else {
                throw new EdgeFormatException(mappingsFile, "unknown record type " + type + " at byte " + start);
            }
            if (in.remaining() < size) {
                in.position(start);
                break;
            }
            PointId external = (type == INSERT_NUM || type == DELETE_NUM) ? PointId.of(in.getLong())
                    : PointId.of(readUuid(in));
            if (type == INSERT_NUM || type == INSERT_UUID) {
                long internal = Integer.toUnsignedLong(in.getInt());
                if (internal >= Integer.MAX_VALUE) {
                    throw new EdgeFormatException(mappingsFile, "internal id " + internal + " out of range at byte "
                            + start);
                }
                applyLink(external, (int) internal);
            } else {
                applyDrop(external);
            }
        }
        mappingsLength = in.position();
        if (mappingsLength < fileLength) {
            try (FileChannel channel = FileChannel.open(mappingsFile, StandardOpenOption.WRITE)) {
                channel.truncate(mappingsLength);
                channel.force(true);
            } catch (IOException e) {
                throw new UncheckedIOException("cannot truncate the torn tail of " + mappingsFile, e);
            }
        }
    }

    private void loadVersions() {
        long[] loaded = new long[0];
        if (Files.isRegularFile(versionsFile)) {
            try {
                byte[] bytes = Files.readAllBytes(versionsFile);
                loaded = new long[bytes.length / Long.BYTES];
                ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN).asLongBuffer().get(loaded);
            } catch (IOException e) {
                throw new EdgeFormatException(versionsFile, "cannot read: " + e.getMessage(), e);
            }
        }
        versions = loaded.length == 0 ? new long[16] : loaded;
        versionCount = loaded.length;
    }

    private static java.util.UUID readUuid(ByteBuffer in) {
        ByteOrder order = in.order();
        in.order(ByteOrder.BIG_ENDIAN);
        long msb = in.getLong();
        long lsb = in.getLong();
        in.order(order);
        return new java.util.UUID(msb, lsb);
    }

    // ---- in-memory state, shared by load and the mutators

    private void applyLink(PointId external, int internal) {
        Integer previous = links.put(external, internal);
        if (previous != null && previous != internal) {
            deleted.set(previous);
        }
        while (externalIds.size() <= internal) {
            deleted.set(externalIds.size());
            externalIds.add(null);
        }
        PointId occupant = externalIds.get(internal);
        if (!deleted.get(internal) && occupant != null && !occupant.equals(external)
                && Integer.valueOf(internal).equals(links.get(occupant))) {
            links.remove(occupant);
        }
        externalIds.set(internal, external);
        deleted.clear(internal);
    }

    private Integer applyDrop(PointId external) {
        Integer internal = links.remove(external);
        if (internal != null) {
            externalIds.set(internal, null);
            deleted.set(internal);
        }
        return internal;
    }

    // ---- mutators

    /** Links {@code external} to {@code internal}, as an upsert of a new point does. */
    public void setLink(PointId external, int internal) {
        if (internal < 0 || internal == Integer.MAX_VALUE) {
            throw new IllegalArgumentException("internal id out of range: " + internal);
        }
        applyLink(external, internal);
        pendingChanges.add(external);
        pendingInternals.add(internal);
    }

    /**
     * Unlinks {@code external}: logs a delete record and, when it was linked, sets its slot's version to
     * {@link #DELETED_POINT_VERSION}. Returns the internal id it had, or -1.
     */
    @Override
    public int drop(PointId external) {
        Integer internal = applyDrop(external);
        pendingChanges.add(external);
        pendingInternals.add(null);
        if (internal != null) {
            setInternalVersion(internal, DELETED_POINT_VERSION);
            return internal;
        }
        return -1;
    }

    /**
     * Removes whatever point occupies {@code internal} (logging a delete record when one does) and sets the
     * slot's version to {@link #DELETED_POINT_VERSION}, as Qdrant's segment-level point deletion does.
     */
    public void dropInternal(int internal) {
        if (internal < 0) {
            throw new IllegalArgumentException("negative internal id " + internal);
        }
        if (internal < externalIds.size() && !deleted.get(internal) && externalIds.get(internal) != null) {
            PointId external = externalIds.get(internal);
            applyDrop(external);
            pendingChanges.add(external);
            pendingInternals.add(null);
        }
        setInternalVersion(internal, DELETED_POINT_VERSION);
    }

    /** Sets the version of {@code internal}, growing the version array with zeros as needed. */
    @Override
    public void setInternalVersion(int internal, long version) {
        if (internal < 0) {
            throw new IllegalArgumentException("negative internal id " + internal);
        }
        if (internal >= versions.length) {
            versions = Arrays.copyOf(versions, Math.max(internal + 1, versions.length * 2));
        }
        if (internal >= versionCount) {
            versionCount = internal + 1;
        }
        versions[internal] = version;
        pendingVersions.put(internal, version);
    }

    /** The internal id a new point gets: the total point count, as Qdrant allocates it. */
    public int nextInternalId() {
        return externalIds.size();
    }

    /** Whether {@code internal} has a version (persisted or pending). */
    public boolean hasVersion(int internal) {
        return internal >= 0 && internal < versionCount;
    }

    /** The stored version of {@code internal}, live or not; the slot must have one ({@link #hasVersion}). */
    public long internalVersion(int internal) {
        if (!hasVersion(internal)) {
            throw new IllegalArgumentException("internal id " + internal + " has no version");
        }
        return versions[internal];
    }

    /** The number of version slots (persisted or pending). */
    public int versionCount() {
        return versionCount;
    }

    /** Whether changes wait for a flush. */
    @Override
    public boolean hasPendingChanges() {
        return !pendingChanges.isEmpty() || !pendingVersions.isEmpty();
    }

    // ---- persistence

    /** Persists mappings, then versions, as a segment flush orders them around its storages. */
    public void flush() {
        flushMappings();
        flushVersions();
    }

    /** Appends the pending mapping records to the log and forces it to disk. */
    @Override
    public void flushMappings() {
        if (pendingChanges.isEmpty()) {
            return;
        }
        ByteBuffer out = ByteBuffer.allocate(pendingChanges.size() * 21).order(ByteOrder.LITTLE_ENDIAN);
        for (int i = 0; i < pendingChanges.size(); i++) {
            writeRecord(out, pendingChanges.get(i), pendingInternals.get(i));
        }
        out.flip();
        try (FileChannel channel = FileChannel.open(mappingsFile, StandardOpenOption.CREATE, StandardOpenOption.WRITE)) {
            long size = channel.size();
            if (size > mappingsLength) {
                channel.truncate(mappingsLength);
            } else if (size < mappingsLength) {
                throw new EdgeFormatException(mappingsFile, "file is " + size + " bytes, shorter than the "
                        + mappingsLength + " bytes already persisted; refusing to append");
            }
            long at = mappingsLength;
            while (out.hasRemaining()) {
                at += channel.write(out, at);
            }
            channel.force(true);
            mappingsLength = at;
        } catch (IOException e) {
            truncateQuietly();
            throw new UncheckedIOException("cannot persist mappings to " + mappingsFile, e);
        }
        pendingChanges.clear();
        pendingInternals.clear();
    }

    private void truncateQuietly() {
        try (FileChannel channel = FileChannel.open(mappingsFile, StandardOpenOption.WRITE)) {
            channel.truncate(mappingsLength);
        } catch (IOException ignored) {
            // a torn tail is cut off on the next open anyway
        }
    }

    /** Writes the pending versions at their positions and forces the file to disk. */
    @Override
    public void flushVersions() {
        if (pendingVersions.isEmpty()) {
            return;
        }
        try (FileChannel channel = FileChannel.open(versionsFile, StandardOpenOption.CREATE, StandardOpenOption.WRITE)) {
            long size = channel.size();
            long whole = size / Long.BYTES * Long.BYTES;
            if (whole != size) {
                channel.truncate(whole);
            }
            ByteBuffer element = ByteBuffer.allocate(Long.BYTES).order(ByteOrder.LITTLE_ENDIAN);
            for (Map.Entry<Integer, Long> e : pendingVersions.entrySet()) {
                element.clear();
                element.putLong(0, e.getValue());
                long at = (long) e.getKey() * Long.BYTES;
                while (element.hasRemaining()) {
                    at += channel.write(element, at);
                }
            }
            channel.force(true);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot persist versions to " + versionsFile, e);
        }
        pendingVersions.clear();
    }

    static void writeRecord(ByteBuffer out, PointId external, Integer internal) {
        boolean insert = internal != null;
        if (external instanceof PointId.Num) {
            out.put(insert ? INSERT_NUM : DELETE_NUM);
            out.putLong(((PointId.Num) external).value());
        } else {
            java.util.UUID uuid = ((PointId.Uuid) external).uuid();
            out.put(insert ? INSERT_UUID : DELETE_UUID);
            out.order(ByteOrder.BIG_ENDIAN);
            out.putLong(uuid.getMostSignificantBits());
            out.putLong(uuid.getLeastSignificantBits());
            out.order(ByteOrder.LITTLE_ENDIAN);
        }
        if (insert) {
            out.putInt(internal);
        }
    }

    // ---- IdTracker

    @Override
    public int totalPointCount() {
        return externalIds.size();
    }

    @Override
    public boolean isLive(int internalId) {
        return internalId >= 0 && internalId < externalIds.size() && !deleted.get(internalId)
                && externalIds.get(internalId) != null && internalId < versionCount;
    }

    @Override
    public PointId externalId(int internalId) {
        requireLive(internalId);
        return externalIds.get(internalId);
    }

    @Override
    public long version(int internalId) {
        requireLive(internalId);
        return versions[internalId];
    }

    @Override
    public int internalId(PointId externalId) {
        Integer internal = links.get(externalId);
        return internal != null && isLive(internal) ? internal : -1;
    }

    @Override
    public int liveCount() {
        int count = 0;
        for (int internal : links.values()) {
            if (internal < versionCount) {
                count++;
            }
        }
        return count;
    }

    private void requireLive(int internalId) {
        if (!isLive(internalId)) {
            throw new IllegalArgumentException("internal id " + internalId + " holds no live point");
        }
    }
}
