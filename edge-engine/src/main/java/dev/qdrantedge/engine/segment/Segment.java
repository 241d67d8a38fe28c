package dev.qdrantedge.engine.segment;

import dev.qdrantedge.engine.EdgeFormatException;
import dev.qdrantedge.engine.idtracker.DiskIdTrackerReader;
import dev.qdrantedge.engine.idtracker.IdTracker;
import dev.qdrantedge.engine.idtracker.ImmutableIdTrackerReader;
import dev.qdrantedge.engine.idtracker.MutableIdTrackerReader;
import dev.qdrantedge.engine.index.hnsw.HnswGraph;
import dev.qdrantedge.engine.payload.PayloadReader;
import dev.qdrantedge.engine.payload.PayloadStorage;
import dev.qdrantedge.engine.vectors.SparseVectorStorage;
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
import java.util.Optional;
import tools.jackson.databind.node.ObjectNode;

/**
 * One segment of a shard, opened for reading: its configuration, id tracker, vector storages and payload
 * storage. Storages are memory-mapped; values are decoded when read.
 */
public final class Segment implements AutoCloseable {

    private final Path directory;
    private final SegmentState state;
    private final IdTracker idTracker;
    private final Map<String, VectorStorage> vectorStorages;
    private final PayloadReader payloadStorage;
    private volatile long indexedVectorCount = -1;
    /** HNSW graphs opened so far, by vector name ({@link Optional#empty()}: the vector has none). */
    private final Map<String, Optional<HnswGraph>> hnswGraphs = new java.util.concurrent.ConcurrentHashMap<>();

    Segment(Path directory, SegmentState state, IdTracker idTracker, Map<String, VectorStorage> vectorStorages,
            PayloadReader payloadStorage) {
        this.directory = directory;
        this.state = state;
        this.idTracker = idTracker;
        this.vectorStorages = vectorStorages;
        this.payloadStorage = payloadStorage;
    }

    /**
     * Opens a segment directory that {@link SegmentDirectories#scan} accepted. Every file the segment's
     * configuration calls for must be present and well-formed; otherwise an {@link EdgeFormatException}
     * names the file.
     */
    public static Segment open(Path directory) {
        SegmentDirectories.checkVersion(directory);
        SegmentState state = SegmentState.read(directory);
        return open(directory, state, openIdTracker(directory, state));
    }

    /** Opens the storages of a segment whose id tracker the caller has opened (for writing, say). */
    static Segment open(Path directory, SegmentState state, IdTracker idTracker) {
        List<AutoCloseable> opened = new ArrayList<>();
        try {
            Map<String, VectorStorage> storages = new LinkedHashMap<>();
            for (Map.Entry<String, VectorDataConfig> e : state.vectorData().entrySet()) {
                VectorStorage storage = VectorStorages.open(directory, e.getKey(), e.getValue());
                opened.add(storage);
                storages.put(e.getKey(), storage);
            }
            for (Map.Entry<String, SparseVectorDataConfig> e : state.sparseVectorData().entrySet()) {
                VectorStorage storage = SparseVectorStorage.open(directory, e.getKey(), e.getValue());
                opened.add(storage);
                storages.put(e.getKey(), storage);
            }
            PayloadStorage payload = PayloadStorage.open(directory, state.payloadStorageType());
            return new Segment(directory, state, idTracker, Collections.unmodifiableMap(storages), payload);
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

    /**
     * Reads a segment's id tracker, picking the format as Qdrant does: appendable segments use the mutable
     * tracker; otherwise the files present decide.
     */
    public static IdTracker openIdTracker(Path directory, SegmentState state) {
        if (state.appendable()) {
            return MutableIdTrackerReader.read(directory);
        }
        if (Files.exists(directory.resolve(DiskIdTrackerReader.I2E_FILE))) {
            return DiskIdTrackerReader.read(directory);
        }
        if (Files.exists(directory.resolve(ImmutableIdTrackerReader.MAPPINGS_FILE))) {
            return ImmutableIdTrackerReader.read(directory);
        }
        return MutableIdTrackerReader.read(directory);
    }

    public Path directory() {
        return directory;
    }

    /** The directory name: the segment's UUID. */
    public String id() {
        return directory.getFileName().toString();
    }

    public SegmentState state() {
        return state;
    }

    public IdTracker idTracker() {
        return idTracker;
    }

    public boolean appendable() {
        return state.appendable();
    }

    /** The storage of the vector {@code name}, or {@code null} when the segment has no such vector. */
    public VectorStorage vectorStorage(String name) {
        return vectorStorages.get(name);
    }

    /** The vectors a point holds, by name, in configuration order (dense, then sparse). */
    public Map<String, VectorValue> vectors(int internalId) {
        Map<String, VectorValue> vectors = new LinkedHashMap<>();
        for (Map.Entry<String, VectorStorage> e : vectorStorages.entrySet()) {
            VectorValue value = e.getValue().get(internalId);
            if (value != null) {
                vectors.put(e.getKey(), value);
            }
        }
        return vectors;
    }

    /**
     * The HNSW graph Qdrant built for the dense vector {@code name}, opened on first use, with its compressed
     * links read into memory unless the index options say {@code on_disk} (then they are read from the mapping,
     * as Qdrant does); {@code null} for appendable segments, plain indexes, and index directories without a graph. A graph whose files
     * are corrupt is an {@link EdgeFormatException} naming the file.
     */
    public HnswGraph hnswGraph(String name) {
        VectorDataConfig config = state.vectorData().get(name);
        if (appendable() || config == null || !"hnsw".equals(config.indexType())) {
            return null;
        }
        Optional<HnswGraph> graph = hnswGraphs.get(name);
        if (graph == null) {
            boolean inRam = !config.indexOptions().path("on_disk").asBoolean(false);
            graph = Optional.ofNullable(HnswGraph.open(HnswGraph.indexDirectory(directory, name), inRam));
            hnswGraphs.put(name, graph);
        }
        return graph.orElse(null);
    }

    /** A point's payload; an empty object when it has none. */
    public ObjectNode payload(int internalId) {
        return payloadStorage.get(internalId);
    }

    /**
     * Vectors held by the segment's vector indexes, as Qdrant reports them: for an HNSW index the count its
     * {@code hnsw_config.json} records; for a sparse index (rebuilt from storage on load) the live points that
     * have the sparse vector. Plain dense indexes hold none.
     */
    public long indexedVectorCount() {
        long cached = indexedVectorCount;
        if (cached < 0) {
            cached = countIndexedVectors();
            indexedVectorCount = cached;
        }
        return cached;
    }

    /** Forgets derived counts after the segment changed. */
    void invalidateCaches() {
        indexedVectorCount = -1;
    }

    private long countIndexedVectors() {
        long count = 0;
        for (Map.Entry<String, VectorDataConfig> e : state.vectorData().entrySet()) {
            if ("hnsw".equals(e.getValue().indexType())) {
                String dir = e.getKey().isEmpty() ? "vector_index" : "vector_index-" + e.getKey();
                count += HnswConfigFile.indexedVectorCount(directory.resolve(dir));
            }
        }
        for (String name : state.sparseVectorData().keySet()) {
            VectorStorage storage = vectorStorages.get(name);
            for (int i = 0; i < storage.slotCount(); i++) {
                if (idTracker.isLive(i) && storage.get(i) != null) {
                    count++;
                }
            }
        }
        return count;
    }

    @Override
    public void close() {
        for (VectorStorage storage : vectorStorages.values()) {
            storage.close();
        }
        payloadStorage.close();
    }
}
