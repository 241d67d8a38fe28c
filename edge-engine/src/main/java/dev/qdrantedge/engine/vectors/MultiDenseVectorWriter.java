package dev.qdrantedge.engine.vectors;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Path;

/**
 * The multi-vector layout opened for writing: {@code vectors/} (inner vectors), {@code offsets/} (one
 * {@code u32 offset, u32 count, u32 capacity} record per internal id) and {@code deleted/}, created where
 * missing. Reads through {@link VectorStorage} see writes at once; {@link #flush()} makes them durable.
 *
 * <p>Placement follows Qdrant: a point whose new inner-vector count fits the capacity of its current slot
 * is rewritten in place (count updated, capacity kept); otherwise its inner vectors are appended after the
 * last stored inner vector, moved to the start of the next chunk when they would not fit in the current
 * one, with capacity equal to the count.
 */
public final class MultiDenseVectorWriter implements VectorStorage {

    private final VectorDatatype datatype;
    private ChunkedVectorsWriter vectors;
    private ChunkedVectorsWriter offsets;
    private DynamicStoredFlagsWriter deleted;

    private MultiDenseVectorWriter(VectorDatatype datatype, ChunkedVectorsWriter vectors, ChunkedVectorsWriter offsets,
            DynamicStoredFlagsWriter deleted) {
        this.datatype = datatype;
        this.vectors = vectors;
        this.offsets = offsets;
        this.deleted = deleted;
    }

    /**
     * Opens the storage in {@code storageDir} for inner vectors of {@code dim} elements of {@code datatype},
     * creating an empty storage (exactly the files Qdrant creates) where there is none.
     */
    public static MultiDenseVectorWriter open(Path storageDir, int dim, VectorDatatype datatype) {
        ChunkedVectorsWriter vectors = ChunkedVectorsWriter.open(
                storageDir.resolve(MultiDenseVectorStorage.VECTORS_DIR), dim, datatype.bytes());
        ChunkedVectorsWriter offsets = null;
        try {
            offsets = ChunkedVectorsWriter.open(storageDir.resolve(MultiDenseVectorStorage.OFFSETS_DIR), 1,
                    MultiDenseVectorStorage.OFFSET_RECORD_BYTES);
            DynamicStoredFlagsWriter deleted = DynamicStoredFlagsWriter.open(
                    storageDir.resolve(DynamicStoredFlags.DIRECTORY));
            return new MultiDenseVectorWriter(datatype, vectors, offsets, deleted);
        } catch (RuntimeException e) {
            vectors.close();
            if (offsets != null) {
                offsets.close();
            }
            throw e;
        }
    }

    /** Elements per inner vector. */
    public int dim() {
        return vectors.dim();
    }

    /**
     * Stores the inner vectors of {@code internalId}, each already preprocessed and of {@link #dim()}
     * elements.
     */
    public void put(int internalId, float[][] storedValues) {
        requireId(internalId);
        ChunkedVectorsWriter inner = open();
        int dim = inner.dim();
        int count = storedValues.length;
        ByteBuffer flat = ByteBuffer.allocate(count * dim * datatype.bytes());
        for (float[] row : storedValues) {
            if (row.length != dim) {
                throw new IllegalArgumentException("inner vector of " + row.length + " elements, storage dim is " + dim);
            }
            flat.put(VectorEncoding.encode(row, datatype));
        }
        if (flat.capacity() >= inner.chunkSizeBytes()) {
            throw new IllegalArgumentException("multivector of " + flat.capacity() + " bytes is too large; the "
                    + "maximum is below " + inner.chunkSizeBytes());
        }
        long[] slot = internalId < offsets.length() ? readOffset(internalId) : new long[3];
        long first;
        long capacity;
        if (count > slot[2]) {
            first = inner.length();
            long left = inner.remainingChunkKeys(first);
            if (count > left) {
                first += left;
            }
            capacity = count;
        } else {
            first = slot[0];
            capacity = slot[2];
        }
        inner.write(first, flat.array(), count);
        ByteBuffer record = ByteBuffer.allocate(MultiDenseVectorStorage.OFFSET_RECORD_BYTES)
                .order(ByteOrder.LITTLE_ENDIAN);
        record.putInt((int) first).putInt(count).putInt((int) capacity);
        offsets.write(internalId, record.array(), 1);
        setDeleted(internalId, false);
    }

    /** Marks the point's multivector deleted; returns whether it was present (not flagged) before. */
    public boolean delete(int internalId) {
        requireId(internalId);
        open();
        return !setDeleted(internalId, true);
    }

    /**
     * Records that {@code internalId} has no multivector here, as Qdrant does for a point upserted without
     * it: a slot beyond the stored ones first gets a placeholder of one inner vector of zeros, then is flagged.
     */
    public void putAbsent(int internalId) {
        requireId(internalId);
        open();
        if (internalId >= offsets.length()) {
            put(internalId, new float[][] {new float[vectors.dim()]});
        }
        delete(internalId);
    }

    private boolean setDeleted(int internalId, boolean value) {
        // As in Qdrant, clearing compares the id with the number of stored inner vectors.
        if (!value && internalId >= vectors.length()) {
            return false;
        }
        return deleted.set(internalId, value);
    }

    private long[] readOffset(int internalId) {
        ByteBuffer record = offsets.read(internalId, 1);
        return new long[] {Integer.toUnsignedLong(record.getInt(0)), Integer.toUnsignedLong(record.getInt(4)),
            Integer.toUnsignedLong(record.getInt(8))};
    }

    /** Writes inner vectors, offsets, then deleted flags, forcing each to disk. */
    public void flush() {
        open().flush();
        offsets.flush();
        deleted.flush();
    }

    @Override
    public int slotCount() {
        open();
        return (int) Math.min(Integer.MAX_VALUE, offsets.length());
    }

    @Override
    public MultiDenseVector get(int internalId) {
        ChunkedVectorsWriter inner = open();
        if (internalId < 0 || internalId >= offsets.length() || deleted.isSet(internalId)) {
            return null;
        }
        long[] slot = readOffset(internalId);
        int count = (int) slot[1];
        int dim = inner.dim();
        float[][] rows = new float[count][];
        if (count > 0) {
            ByteBuffer data = inner.read(slot[0], count);
            int rowBytes = dim * datatype.bytes();
            for (int row = 0; row < count; row++) {
                rows[row] = VectorElements.decode(data.slice(row * rowBytes, rowBytes), datatype, dim);
            }
        }
        return new MultiDenseVector(rows);
    }

    /** Releases the files without flushing. */
    @Override
    public void close() {
        if (vectors != null) {
            vectors.close();
            offsets.close();
            deleted.close();
            vectors = null;
            offsets = null;
            deleted = null;
        }
    }

    private ChunkedVectorsWriter open() {
        if (vectors == null) {
            throw new IllegalStateException("storage is closed");
        }
        return vectors;
    }

    private static void requireId(int internalId) {
        if (internalId < 0) {
            throw new IllegalArgumentException("negative internal id " + internalId);
        }
    }
}
