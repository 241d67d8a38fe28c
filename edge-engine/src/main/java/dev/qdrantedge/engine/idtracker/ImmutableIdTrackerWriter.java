package dev.qdrantedge.engine.idtracker;

import dev.qdrantedge.engine.EdgeFormatException;
import dev.qdrantedge.engine.io.BinaryFiles;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.BitSet;
import java.util.HashMap;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * Persists point removals in a non-appendable segment's id tracker ({@code id_tracker.mappings},
 * {@code id_tracker.versions}, {@code id_tracker.deleted}), the only writes Qdrant makes there: the
 * mappings file is never rewritten; a removed point gets its {@code id_tracker.deleted} bit set and its
 * version set to {@link MutableIdTrackerWriter#DELETED_POINT_VERSION}, both in place. Versions can be
 * changed only for internal ids that already have one (the array never grows).
 *
 * <p>Changes are visible through {@link IdTracker} at once; {@link #flush()} (or {@link #flushDeleted()}
 * then {@link #flushVersions()}, the order of a segment flush) writes the changed bytes at their positions
 * and forces each file.
 */
public final class ImmutableIdTrackerWriter implements WritableIdTracker {

    private final Path deletedFile;
    private final Path versionsFile;
    private final PointId[] externalIds;
    private final BitSet deleted;
    private final long[] versions;
    private final Map<PointId, Integer> internalIds = new HashMap<>();
    private final TreeSet<Integer> pendingDeleted = new TreeSet<>();
    private final TreeMap<Integer, Long> pendingVersions = new TreeMap<>();

    private ImmutableIdTrackerWriter(Path segmentDir, PointId[] externalIds, BitSet deleted, long[] versions) {
        this.deletedFile = segmentDir.resolve(ImmutableIdTrackerReader.DELETED_FILE);
        this.versionsFile = segmentDir.resolve(ImmutableIdTrackerReader.VERSIONS_FILE);
        this.externalIds = externalIds;
        this.deleted = deleted;
        this.versions = versions;
        for (int i = 0; i < externalIds.length; i++) {
            if (externalIds[i] != null && !deleted.get(i)) {
                internalIds.put(externalIds[i], i);
            }
        }
    }

    /**
     * Opens the tracker files of the segment in {@code segmentDir}, in either non-appendable layout:
     * {@code id_tracker.mappings} or the disk tracker's {@code id_tracker.i2e}; each file must be present
     * and well-formed.
     */
    public static ImmutableIdTrackerWriter open(Path segmentDir) {
        PointId[] externalIds = Files.exists(segmentDir.resolve(DiskIdTrackerReader.I2E_FILE))
                ? DiskIdTrackerReader.externalIds(segmentDir) : readMappings(segmentDir);
        int count = externalIds.length;
        ByteBuffer versionBytes = BinaryFiles.readAll(segmentDir.resolve(ImmutableIdTrackerReader.VERSIONS_FILE));
        long[] versions = new long[versionBytes.remaining() / Long.BYTES];
        versionBytes.asLongBuffer().get(versions);
        BitSet deleted = BitSet.valueOf(BinaryFiles.readAll(segmentDir.resolve(ImmutableIdTrackerReader.DELETED_FILE)));
        if (deleted.length() > count) {
            deleted.clear((int) count, deleted.length());
        }
        return new ImmutableIdTrackerWriter(segmentDir, externalIds, deleted, versions);
    }

    private static PointId[] readMappings(Path segmentDir) {
        Path mappingsFile = segmentDir.resolve(ImmutableIdTrackerReader.MAPPINGS_FILE);
        ByteBuffer mappings = BinaryFiles.readAll(mappingsFile);
        if (mappings.remaining() < Long.BYTES) {
            throw new EdgeFormatException(mappingsFile, "truncated: no entry count");
        }
        long count = mappings.getLong();
        if (count < 0 || count > mappings.remaining() / 13) {
            throw new EdgeFormatException(mappingsFile, "entry count " + Long.toUnsignedString(count)
                    + " does not fit the file size");
        }
        PointId[] externalIds = new PointId[(int) count];
        for (int entry = 0; entry < count; entry++) {
            int start = mappings.position();
            byte kind = mappings.get();
            int size = kind == 0 ? 12 : kind == 1 ? 20 : -1;
            if (size < 0) {
                throw new EdgeFormatException(mappingsFile, "unknown id kind " + kind + " at byte " + start);
            }
            if (mappings.remaining() < size) {
                throw new EdgeFormatException(mappingsFile, "truncated at entry " + entry);
            }
            PointId external = kind == 0 ? PointId.of(mappings.getLong())
                    : PointId.of(BinaryFiles.readCanonicalUuid(mappings));
            long internal = Integer.toUnsignedLong(mappings.getInt());
            if (internal >= count) {
                throw new EdgeFormatException(mappingsFile, "internal id " + internal + " beyond the entry count "
                        + count + " at byte " + start);
            }
            externalIds[(int) internal] = external;
        }
        return externalIds;
    }

    /**
     * Removes {@code external} from the segment: sets its deleted bit and its version to
     * {@link MutableIdTrackerWriter#DELETED_POINT_VERSION}. Returns its internal id, or -1 when it is not
     * present (nothing changes then).
     */
    @Override
    public int drop(PointId external) {
        Integer internal = internalIds.remove(external);
        if (internal == null) {
            return -1;
        }
        markDeleted(internal);
        return internal;
    }

    /** Removes whatever occupies {@code internal}, as {@link #drop} does; the bit is set even when clear. */
    public void dropInternal(int internal) {
        if (internal < 0 || internal >= externalIds.length) {
            throw new IllegalArgumentException("internal id " + internal + " outside 0.." + externalIds.length);
        }
        PointId external = externalIds[internal];
        if (external != null && Integer.valueOf(internal).equals(internalIds.get(external))) {
            internalIds.remove(external);
        }
        markDeleted(internal);
    }

    private void markDeleted(int internal) {
        deleted.set(internal);
        pendingDeleted.add(internal);
        setInternalVersion(internal, MutableIdTrackerWriter.DELETED_POINT_VERSION);
    }

    /** Sets the version of {@code internal} when it has one; ids without a version are left alone. */
    @Override
    public void setInternalVersion(int internal, long version) {
        if (internal >= 0 && internal < versions.length) {
            versions[internal] = version;
            pendingVersions.put(internal, version);
        }
    }

    @Override
    public boolean hasPendingChanges() {
        return !pendingDeleted.isEmpty() || !pendingVersions.isEmpty();
    }

    /** The deleted bits are this tracker's mappings step. */
    @Override
    public void flushMappings() {
        flushDeleted();
    }

    /** Persists deleted bits, then versions. */
    public void flush() {
        flushDeleted();
        flushVersions();
    }

    /** Writes the bytes of {@code id_tracker.deleted} holding changed bits and forces the file. */
    public void flushDeleted() {
        if (pendingDeleted.isEmpty()) {
            return;
        }
        try (FileChannel channel = FileChannel.open(deletedFile, StandardOpenOption.WRITE)) {
            long lastByte = -1;
            for (int internal : pendingDeleted) {
                long byteIndex = internal >>> 3;
                if (byteIndex == lastByte) {
                    continue;
                }
                lastByte = byteIndex;
                int value = 0;
                for (int bit = 0; bit < 8; bit++) {
                    if (deleted.get((int) byteIndex * 8 + bit)) {
                        value |= 1 << bit;
                    }
                }
                ByteBuffer one = ByteBuffer.wrap(new byte[] {(byte) value});
                while (one.hasRemaining()) {
                    channel.write(one, byteIndex);
                }
            }
            channel.force(true);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot persist " + deletedFile, e);
        }
        pendingDeleted.clear();
    }

    /** Writes changed versions at their positions and forces {@code id_tracker.versions}. */
    @Override
    public void flushVersions() {
        if (pendingVersions.isEmpty()) {
            return;
        }
        try (FileChannel channel = FileChannel.open(versionsFile, StandardOpenOption.WRITE)) {
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
            throw new UncheckedIOException("cannot persist " + versionsFile, e);
        }
        pendingVersions.clear();
    }

    @Override
    public int totalPointCount() {
        return externalIds.length;
    }

    @Override
    public boolean isLive(int internalId) {
        return internalId >= 0 && internalId < externalIds.length && externalIds[internalId] != null
                && !deleted.get(internalId) && internalId < versions.length;
    }

    @Override
    public PointId externalId(int internalId) {
        requireLive(internalId);
        return externalIds[internalId];
    }

    @Override
    public long version(int internalId) {
        requireLive(internalId);
        return versions[internalId];
    }

    @Override
    public int internalId(PointId externalId) {
        Integer internal = internalIds.get(externalId);
        return internal != null && isLive(internal) ? internal : -1;
    }

    @Override
    public int liveCount() {
        int count = 0;
        for (int internal : internalIds.values()) {
            if (isLive(internal)) {
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
