package dev.qdrantedge.engine.vectors;

import dev.qdrantedge.engine.EdgeFormatException;
import dev.qdrantedge.engine.gridstore.Gridstore;
import dev.qdrantedge.engine.segment.Segment;
import dev.qdrantedge.engine.segment.SegmentState;
import dev.qdrantedge.engine.segment.SparseVectorDataConfig;
import java.nio.file.Path;

/**
 * A segment's storage of one sparse vector, {@code vector_storage-<name>/}: a gridstore {@code store/}
 * holding each point's vector ({@link SparseVectorCodec}) and {@code deleted/} flags
 * ({@link DynamicStoredFlags}). A point has a vector iff its flag is unset and its slot holds a value. A
 * sparse vector of storage type {@code empty} has no files and no vectors.
 */
public final class SparseVectorStorage implements VectorStorage {

    public static final String STORE_DIRECTORY = "store";

    private final Gridstore store;
    private final FlagBits deleted;
    private final int slotCount;

    private SparseVectorStorage(Gridstore store, FlagBits deleted) {
        this.store = store;
        this.deleted = deleted;
        long slots = store == null ? 0 : Math.max(deleted.lastSetPlusOne(), store.pointerCount());
        this.slotCount = (int) Math.min(slots, Integer.MAX_VALUE);
    }

    /** Opens the storage of the sparse vector {@code name} of an opened segment. */
    public static SparseVectorStorage open(Segment segment, String name) {
        SparseVectorDataConfig config = segment.state().sparseVectorData().get(name);
        if (config == null) {
            throw new EdgeFormatException(segment.directory().resolve(SegmentState.FILE),
                    "no sparse vector named '" + name + "'");
        }
        return open(segment.directory(), name, config);
    }

    /** Opens the storage of the sparse vector {@code name} in {@code segmentDir}, configured as {@code config}. */
    public static SparseVectorStorage open(Path segmentDir, String name, SparseVectorDataConfig config) {
        String storageType = config.storageType();
        if ("empty".equals(storageType)) {
            return new SparseVectorStorage(null, null);
        }
        if (!"mmap".equals(storageType)) {
            String why = "on_disk".equals(storageType) ? "keeps vectors in RocksDB, which is not supported"
                    : "is unknown";
            throw new EdgeFormatException(segmentDir.resolve(SegmentState.FILE), "sparse vector '" + name
                    + "': storage type '" + storageType + "' " + why);
        }
        Path dir = segmentDir.resolve(directoryName(name));
        Gridstore store = Gridstore.open(dir.resolve(STORE_DIRECTORY));
        FlagBits deleted = DynamicStoredFlags.open(dir.resolve(DynamicStoredFlags.DIRECTORY));
        return new SparseVectorStorage(store, deleted);
    }

    /** {@code vector_storage} for the unnamed vector, {@code vector_storage-<name>} otherwise. */
    public static String directoryName(String name) {
        return name.isEmpty() ? "vector_storage" : "vector_storage-" + name;
    }

    /** One past the highest point offset with a stored vector or a deleted flag. */
    @Override
    public int slotCount() {
        return slotCount;
    }

    /** The point's sparse vector, or {@code null} when deleted, never stored, or beyond {@link #slotCount()}. */
    @Override
    public SparseVector get(int internalId) {
        if (store == null || internalId < 0 || internalId >= slotCount || deleted.isSet(internalId)) {
            return null;
        }
        return store.get(internalId, SparseVectorCodec::decode);
    }

    @Override
    public void close() {
        if (store != null) {
            store.close();
        }
    }
}
