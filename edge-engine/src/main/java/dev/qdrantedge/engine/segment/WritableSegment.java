package dev.qdrantedge.engine.segment;

import dev.qdrantedge.engine.EdgeFormatException;
import dev.qdrantedge.engine.idtracker.ImmutableIdTrackerReader;
import dev.qdrantedge.engine.idtracker.ImmutableIdTrackerWriter;
import dev.qdrantedge.engine.idtracker.MutableIdTrackerWriter;
import dev.qdrantedge.engine.idtracker.PointId;
import dev.qdrantedge.engine.idtracker.DiskIdTrackerReader;
import dev.qdrantedge.engine.idtracker.WritableIdTracker;
import dev.qdrantedge.engine.payload.PayloadStorageType;
import dev.qdrantedge.engine.payload.WritablePayloadStorage;
import dev.qdrantedge.engine.vectors.AppendableDenseVectorWriter;
import dev.qdrantedge.engine.vectors.DenseVector;
import dev.qdrantedge.engine.vectors.MultiDenseVector;
import dev.qdrantedge.engine.vectors.MultiDenseVectorWriter;
import dev.qdrantedge.engine.vectors.SparseVector;
import dev.qdrantedge.engine.vectors.SparseVectorStorageWriter;
import dev.qdrantedge.engine.vectors.VectorStorage;
import dev.qdrantedge.engine.vectors.VectorStorages;
import dev.qdrantedge.engine.vectors.VectorValue;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import tools.jackson.databind.node.ObjectNode;

/**
 * A segment opened for writing, with Qdrant's segment-level semantics. An appendable segment takes whole
 * points: a new point gets the next internal id, an existing one is rewritten in place, and a vector the
 * point lacks is recorded absent. A non-appendable segment only loses points: its id tracker marks them
 * deleted and the rest of its files stay as they are.
 *
 * <p>Changes are visible through {@link #view()} at once and reach the disk on {@link #flush()}, in
 * Qdrant's order: id mappings first, then vectors and payloads, then point versions (whose presence tells a
 * loader that a point's data is complete), and {@code segment.json} with the segment version last. What a
 * crash leaves half-written is repaired by replaying the WAL from the last acknowledged entry.
 *
 * <p>Not thread-safe: the shard serializes writers and keeps readers out while a write runs.
 */
public final class WritableSegment implements AutoCloseable {

    private final Segment view;
    private final WritableIdTracker tracker;
    private final Map<String, VectorStorage> writers;
    private final WritablePayloadStorage payload;
    private long version;
    private long persistedVersion;
    private boolean dirty;

    private WritableSegment(Segment view, WritableIdTracker tracker, Map<String, VectorStorage> writers,
            WritablePayloadStorage payload) {
        this.view = view;
        this.tracker = tracker;
        this.writers = writers;
        this.payload = payload;
        this.version = view.state().version().orElse(-1);
        this.persistedVersion = version;
    }

    /**
     * Opens a segment directory that {@link SegmentDirectories#scan} accepted for writing.
     *
     * @throws EdgeFormatException naming the file when a file is missing or malformed, or when an
     *     appendable segment keeps a storage in a layout this engine cannot append to
     */
    public static WritableSegment open(Path directory) {
        SegmentDirectories.checkVersion(directory);
        SegmentState state = SegmentState.read(directory);
        if (!state.appendable()) {
            WritableIdTracker tracker = hasImmutableTracker(directory) ? ImmutableIdTrackerWriter.open(directory)
                    : MutableIdTrackerWriter.open(directory);
            return new WritableSegment(Segment.open(directory, state, tracker), tracker, Map.of(), null);
        }
        checkPayloadStorage(directory, state);
        MutableIdTrackerWriter tracker = MutableIdTrackerWriter.open(directory);
        List<AutoCloseable> opened = new ArrayList<>();
        try {
            Map<String, VectorStorage> writers = new LinkedHashMap<>();
            for (Map.Entry<String, VectorDataConfig> e : state.vectorData().entrySet()) {
                VectorDataConfig c = e.getValue();
                Path storageDir = directory.resolve(VectorStorages.directoryName(e.getKey()));
                VectorStorage writer = c.multivector() ? MultiDenseVectorWriter.open(storageDir, c.size(), c.datatype())
                        : AppendableDenseVectorWriter.open(storageDir, c.size(), c.datatype());
                opened.add(writer);
                writers.put(e.getKey(), writer);
            }
            for (String name : state.sparseVectorData().keySet()) {
                VectorStorage writer = SparseVectorStorageWriter.openOrCreate(directory, name);
                opened.add(writer);
                writers.put(name, writer);
            }
            WritablePayloadStorage payload = WritablePayloadStorage.openOrCreate(directory);
            Map<String, VectorStorage> unmodifiable = Collections.unmodifiableMap(writers);
            return new WritableSegment(new Segment(directory, state, tracker, unmodifiable, payload), tracker,
                    unmodifiable, payload);
        } catch (RuntimeException e) {
            for (AutoCloseable c : opened) {
                try {
                    c.close();
                } catch (Exception suppressed) {
                    e.addSuppressed(suppressed);
                }
            }
            throw e;
        }
    }

    private static boolean hasImmutableTracker(Path directory) {
        return Files.exists(directory.resolve(ImmutableIdTrackerReader.MAPPINGS_FILE))
                || Files.exists(directory.resolve(DiskIdTrackerReader.I2E_FILE));
    }

    private static void checkPayloadStorage(Path directory, SegmentState state) {
        PayloadStorageType type;
        try {
            type = PayloadStorageType.fromJson(state.payloadStorageType());
        } catch (IllegalArgumentException e) {
            throw new EdgeFormatException(directory.resolve(SegmentState.FILE), e.getMessage(), e);
        }
        if (!type.gridstore()) {
            throw new EdgeFormatException(directory.resolve(SegmentState.FILE), "payload storage type '"
                    + type.json() + "' keeps payloads in RocksDB, which this engine cannot write");
        }
    }

    /** The segment as readers see it, including changes not yet flushed. */
    public Segment view() {
        return view;
    }

    public boolean appendable() {
        return view.appendable();
    }

    /** The number of live points. */
    public int liveCount() {
        return tracker.liveCount();
    }

    /** The highest operation number applied to the segment, or -1. */
    public long version() {
        return version;
    }

    /**
     * Stores a whole point at {@code opNum}: vectors as the storages keep them (already preprocessed; names
     * the segment lacks are ignored) and its payload; returns its internal id.
     *
     * @throws IllegalStateException when the segment is not appendable
     */
    public int upsert(PointId id, long opNum, Map<String, VectorValue> vectors, ObjectNode pointPayload) {
        if (!appendable()) {
            throw new IllegalStateException("segment " + view.id() + " is not appendable");
        }
        MutableIdTrackerWriter mutable = (MutableIdTrackerWriter) tracker;
        int internal = mutable.internalId(id);
        boolean fresh = internal < 0;
        if (fresh) {
            internal = mutable.nextInternalId();
        }
        for (Map.Entry<String, VectorStorage> e : writers.entrySet()) {
            VectorValue value = vectors.get(e.getKey());
            VectorStorage writer = e.getValue();
            if (writer instanceof AppendableDenseVectorWriter dense) {
                if (value instanceof DenseVector v) {
                    dense.put(internal, v.values());
                } else {
                    dense.putAbsent(internal);
                }
            } else if (writer instanceof MultiDenseVectorWriter multi) {
                if (value instanceof MultiDenseVector v) {
                    multi.put(internal, v.vectors());
                } else {
                    multi.putAbsent(internal);
                }
            } else {
                SparseVectorStorageWriter sparse = (SparseVectorStorageWriter) writer;
                if (value instanceof SparseVector v) {
                    sparse.put(internal, v);
                } else {
                    sparse.delete(internal);
                }
            }
        }
        if (fresh) {
            mutable.setLink(id, internal);
        }
        if (pointPayload.isEmpty()) {
            payload.delete(internal);
        } else {
            payload.set(internal, pointPayload);
        }
        mutable.setInternalVersion(internal, opNum);
        changed(opNum);
        return internal;
    }

    /**
     * Removes a point at {@code opNum}: its payload is cleared (appendable segments) and its id tracker
     * slot dropped and stamped with {@code opNum}; vectors stay, as in Qdrant. Returns whether the point was
     * here.
     */
    public boolean delete(PointId id, long opNum) {
        int internal = tracker.internalId(id);
        if (internal < 0) {
            return false;
        }
        if (payload != null) {
            payload.delete(internal);
        }
        tracker.drop(id);
        tracker.setInternalVersion(internal, opNum);
        changed(opNum);
        return true;
    }

    private void changed(long opNum) {
        version = Math.max(version, opNum);
        dirty = true;
        view.invalidateCaches();
    }

    /** Whether changes wait for {@link #flush()}. */
    public boolean hasPendingChanges() {
        return dirty;
    }

    /** Persists every change in Qdrant's flush order; nothing happens without changes. */
    public void flush() {
        if (!dirty) {
            return;
        }
        tracker.flushMappings();
        for (VectorStorage writer : writers.values()) {
            if (writer instanceof AppendableDenseVectorWriter dense) {
                dense.flush();
            } else if (writer instanceof MultiDenseVectorWriter multi) {
                multi.flush();
            } else {
                ((SparseVectorStorageWriter) writer).flush();
            }
        }
        if (payload != null) {
            payload.flush();
        }
        tracker.flushVersions();
        if (version > persistedVersion) {
            SegmentStateFile.updateVersion(view.directory(), version);
            persistedVersion = version;
        }
        dirty = false;
    }

    /** Releases the files; changes not flushed are dropped (the WAL still holds them). */
    @Override
    public void close() {
        view.close();
    }
}
