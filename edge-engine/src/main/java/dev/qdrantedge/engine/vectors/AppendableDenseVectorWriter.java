package dev.qdrantedge.engine.vectors;

import java.nio.file.Path;
import java.util.Arrays;

/**
 * The appendable dense layout ({@code ChunkedMmap} / {@code InRamChunkedMmap}) opened for writing: a
 * {@code vectors/} chunked directory and a {@code deleted/} flags directory, created where missing. Reads
 * through the {@link VectorStorage} interface see writes at once; {@link #flush()} makes them durable.
 *
 * <p>Semantics follow Qdrant's appendable storage: {@link #put} writes the record at the internal id (the
 * stored count grows to cover it; skipped slots read as zero vectors) and clears its deleted flag;
 * {@link #delete} only sets the flag, leaving the record in place.
 */
public final class AppendableDenseVectorWriter implements VectorStorage, DenseVectorBlocks {

    private final VectorDatatype datatype;
    private ChunkedVectorsWriter vectors;
    private DynamicStoredFlagsWriter deleted;

    private AppendableDenseVectorWriter(VectorDatatype datatype, ChunkedVectorsWriter vectors,
            DynamicStoredFlagsWriter deleted) {
        this.datatype = datatype;
        this.vectors = vectors;
        this.deleted = deleted;
    }

    /**
     * Opens the storage in {@code storageDir} ({@code vector_storage[-<name>]}) for vectors of {@code dim}
     * elements of {@code datatype}, creating an empty storage (exactly the files Qdrant creates) where
     * there is none.
     */
    public static AppendableDenseVectorWriter open(Path storageDir, int dim, VectorDatatype datatype) {
        ChunkedVectorsWriter vectors = ChunkedVectorsWriter.open(
                storageDir.resolve(AppendableDenseVectorStorage.VECTORS_DIR), dim, datatype.bytes());
        try {
            DynamicStoredFlagsWriter deleted = DynamicStoredFlagsWriter.open(
                    storageDir.resolve(DynamicStoredFlags.DIRECTORY));
            return new AppendableDenseVectorWriter(datatype, vectors, deleted);
        } catch (RuntimeException e) {
            vectors.close();
            throw e;
        }
    }

    /** Elements per vector. */
    @Override
    public int dim() {
        return vectors.dim();
    }

    /**
     * Stores the vector of {@code internalId}; {@code storedValues} must already be preprocessed for the
     * distance and datatype (see {@link VectorPreprocessing}) and have {@link #dim()} elements.
     */
    public void put(int internalId, float[] storedValues) {
        requireId(internalId);
        if (storedValues.length != vectors.dim()) {
            throw new IllegalArgumentException("vector of " + storedValues.length + " elements, storage dim is "
                    + vectors.dim());
        }
        open().write(internalId, VectorEncoding.encode(storedValues, datatype), 1);
        setDeleted(internalId, false);
    }

    /**
     * Marks the vector of {@code internalId} deleted, as Qdrant does when a vector is removed; returns whether
     * it was present (not flagged) before.
     */
    public boolean delete(int internalId) {
        requireId(internalId);
        open();
        return !setDeleted(internalId, true);
    }

    /**
     * Records that {@code internalId} has no vector here, as Qdrant does for a point upserted without this
     * named vector: a slot beyond the stored ones is first filled with a vector of ones (keeping the slots
     * contiguous), then the slot is flagged deleted.
     */
    public void putAbsent(int internalId) {
        requireId(internalId);
        if (internalId >= open().length()) {
            float[] ones = new float[vectors.dim()];
            Arrays.fill(ones, 1f);
            put(internalId, ones);
        }
        delete(internalId);
    }

    private boolean setDeleted(int internalId, boolean value) {
        if (!value && internalId >= vectors.length()) {
            return false;
        }
        return deleted.set(internalId, value);
    }

    /** Writes vectors (chunks, then the stored count), then the deleted flags, forcing each to disk. */
    public void flush() {
        open().flush();
        deleted.flush();
    }

    @Override
    public int slotCount() {
        return (int) Math.min(Integer.MAX_VALUE, open().length());
    }

    @Override
    public DenseVector get(int internalId) {
        ChunkedVectorsWriter v = open();
        if (internalId < 0 || internalId >= v.length() || deleted.isSet(internalId)) {
            return null;
        }
        return new DenseVector(VectorElements.decode(v.read(internalId, 1), datatype, v.dim()));
    }

    @Override
    public VectorDatatype datatype() {
        return datatype;
    }

    @Override
    public boolean hasVector(int internalId) {
        ChunkedVectorsWriter v = open();
        return internalId >= 0 && internalId < v.length() && !deleted.isSet(internalId);
    }

    @Override
    public void readBlock(int first, int count, float[] out, int outOffset) {
        ChunkedVectorsWriter v = open();
        if (first < 0 || count < 0 || first > v.length() - count) {
            throw new IndexOutOfBoundsException("slots [" + first + ", " + (first + count) + ") beyond " + v.length());
        }
        v.readFloats(first, count, datatype, out, outOffset);
    }

    /** Releases the files without flushing. */
    @Override
    public void close() {
        if (vectors != null) {
            vectors.close();
            deleted.close();
            vectors = null;
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
