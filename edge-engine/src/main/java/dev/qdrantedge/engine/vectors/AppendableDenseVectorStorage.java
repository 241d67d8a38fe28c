package dev.qdrantedge.engine.vectors;

import java.nio.file.Path;

/**
 * The appendable dense layout ({@code ChunkedMmap} and {@code InRamChunkedMmap}, identical on disk): a
 * {@code vectors/} chunked directory of one record per internal id and a {@code deleted/} flags directory.
 * Slot {@code i} holds a vector iff {@code i} is below the stored count and its deleted flag is clear.
 */
public final class AppendableDenseVectorStorage implements VectorStorage, DenseVectorBlocks {

    static final String VECTORS_DIR = "vectors";

    private final VectorDatatype datatype;
    private final int slotCount;
    private ChunkedVectorFiles vectors;
    private FlagBits deleted;

    private AppendableDenseVectorStorage(VectorDatatype datatype, ChunkedVectorFiles vectors, FlagBits deleted) {
        this.datatype = datatype;
        this.slotCount = StorageChecks.slotCount(vectors);
        this.vectors = vectors;
        this.deleted = deleted;
    }

    /**
     * Opens {@code storageDir} ({@code vector_storage[-<name>]}) for vectors of {@code dim} elements of
     * {@code datatype}; missing or truncated files are {@link dev.qdrantedge.engine.EdgeFormatException}s
     * naming the file.
     */
    public static AppendableDenseVectorStorage open(Path storageDir, int dim, VectorDatatype datatype) {
        ChunkedVectorFiles vectors = ChunkedVectorFiles.open(storageDir.resolve(VECTORS_DIR), dim, datatype.bytes());
        FlagBits deleted = DynamicStoredFlags.open(storageDir.resolve(DynamicStoredFlags.DIRECTORY));
        return new AppendableDenseVectorStorage(datatype, vectors, deleted);
    }

    @Override
    public int slotCount() {
        return slotCount;
    }

    @Override
    public DenseVector get(int internalId) {
        ChunkedVectorFiles v = StorageChecks.open(vectors);
        if (internalId < 0 || internalId >= slotCount || deleted.isSet(internalId)) {
            return null;
        }
        return new DenseVector(VectorElements.decode(v.read(internalId, 1), datatype, v.dim()));
    }

    @Override
    public int dim() {
        return StorageChecks.open(vectors).dim();
    }

    @Override
    public VectorDatatype datatype() {
        return datatype;
    }

    @Override
    public boolean hasVector(int internalId) {
        StorageChecks.open(vectors);
        return internalId >= 0 && internalId < slotCount && !deleted.isSet(internalId);
    }

    @Override
    public void readBlock(int first, int count, float[] out, int outOffset) {
        ChunkedVectorFiles v = StorageChecks.open(vectors);
        if (first < 0 || count < 0 || first > slotCount - count) {
            throw new IndexOutOfBoundsException("slots [" + first + ", " + (first + count) + ") beyond " + slotCount);
        }
        v.readFloats(first, count, datatype, out, outOffset);
    }

    @Override
    public void close() {
        vectors = null;
        deleted = null;
    }
}
