package dev.qdrantedge.engine.vectors;

import dev.qdrantedge.engine.gridstore.GridstoreConfig;
import dev.qdrantedge.engine.gridstore.WritableGridstore;
import java.nio.file.Path;

/**
 * A sparse vector storage, {@code vector_storage-<name>/}, opened for writing with Qdrant's semantics: a
 * gridstore {@code store/} (no compression) holding each vector as {@link SparseVectorEncoder} encodes it,
 * and {@code deleted/} flags ({@link DynamicStoredFlagsWriter}).
 *
 * <ul>
 *   <li>{@link #put} clears the point's deleted flag (only when the point is below the storage's point count,
 *       as Qdrant does: flags never grow on insert) and stores the vector.</li>
 *   <li>{@link #delete} sets the deleted flag (growing the flags to cover the point) and empties the slot.</li>
 *   <li>{@link #flush()} writes the flags first, then the gridstore, Qdrant's order.</li>
 * </ul>
 * Not thread-safe.
 */
public final class SparseVectorStorageWriter implements VectorStorage {

    private final WritableGridstore store;
    private final DynamicStoredFlagsWriter deleted;
    private long pointCount;

    private SparseVectorStorageWriter(WritableGridstore store, DynamicStoredFlagsWriter deleted) {
        this.store = store;
        this.deleted = deleted;
        this.pointCount = Math.max(deleted.lastSetPlusOne(), store.pointerCount());
    }

    /**
     * Opens the storage of the sparse vector {@code name} in the segment directory {@code segmentDir}, creating
     * it when it has no {@code deleted/} directory yet (Qdrant's test for existence).
     */
    public static SparseVectorStorageWriter openOrCreate(Path segmentDir, String name) {
        return openOrCreate(segmentDir.resolve(SparseVectorStorage.directoryName(name)));
    }

    /** As {@link #openOrCreate(Path, String)} for the storage directory itself. */
    public static SparseVectorStorageWriter openOrCreate(Path storageDir) {
        WritableGridstore store = WritableGridstore.openOrCreate(
                storageDir.resolve(SparseVectorStorage.STORE_DIRECTORY), GridstoreConfig.SPARSE_VECTORS);
        try {
            return new SparseVectorStorageWriter(store,
                    DynamicStoredFlagsWriter.open(storageDir.resolve(DynamicStoredFlags.DIRECTORY)));
        } catch (RuntimeException e) {
            store.close();
            throw e;
        }
    }

    /** The underlying gridstore. */
    public WritableGridstore store() {
        return store;
    }

    /** One past the highest point offset with a stored vector or a deleted flag. */
    public long pointCount() {
        return pointCount;
    }

    /** Stores the point's vector (indices in any order; they are stored sorted) and clears its deleted flag. */
    public void put(int internalId, SparseVector vector) {
        if (Integer.toUnsignedLong(internalId) < pointCount) {
            deleted.set(Integer.toUnsignedLong(internalId), false);
        }
        store.put(internalId, SparseVectorEncoder.encode(vector));
        pointCount = Math.max(pointCount, Integer.toUnsignedLong(internalId) + 1);
    }

    /** Marks the point's vector deleted and empties its slot; whether it had a vector. */
    public boolean delete(int internalId) {
        boolean wasDeleted = deleted.set(Integer.toUnsignedLong(internalId), true);
        store.delete(internalId);
        pointCount = Math.max(pointCount, Integer.toUnsignedLong(internalId) + 1);
        return !wasDeleted;
    }

    @Override
    public int slotCount() {
        return (int) Math.min(Integer.MAX_VALUE, pointCount);
    }

    /** The point's vector, or {@code null} when deleted or never stored; includes unflushed changes. */
    @Override
    public SparseVector get(int internalId) {
        if (internalId < 0 || deleted.isSet(Integer.toUnsignedLong(internalId))) {
            return null;
        }
        return store.get(internalId, SparseVectorCodec::decode);
    }

    /** Makes all changes durable: the deleted flags, then the gridstore. */
    public void flush() {
        deleted.flush();
        store.flush();
    }

    /** Flushes and releases the files. */
    @Override
    public void close() {
        try {
            deleted.close();
        } finally {
            store.close();
        }
    }
}
