package dev.qdrantedge.engine.vectors;

import dev.qdrantedge.engine.EdgeFormatException;
import java.nio.ByteBuffer;
import java.nio.file.Path;

/**
 * The multi-vector layout, used for every storage type but {@code Empty}: {@code vectors/} holds the inner
 * vectors (chunked, {@code dim} elements each), {@code offsets/} one 12-byte record per internal id
 * ({@code u32 offset, u32 count, u32 capacity}: the point's {@code count} inner vectors start at inner key
 * {@code offset}), and {@code deleted/} the per-point flags.
 */
public final class MultiDenseVectorStorage implements VectorStorage {

    static final String VECTORS_DIR = "vectors";
    static final String OFFSETS_DIR = "offsets";
    /** {@code offset}, {@code count} and {@code capacity}, each a little-endian u32. */
    static final int OFFSET_RECORD_BYTES = 12;

    private final VectorDatatype datatype;
    private final int slotCount;
    private ChunkedVectorFiles vectors;
    private ChunkedVectorFiles offsets;
    private FlagBits deleted;

    private MultiDenseVectorStorage(VectorDatatype datatype, ChunkedVectorFiles vectors, ChunkedVectorFiles offsets,
            FlagBits deleted) {
        this.datatype = datatype;
        this.slotCount = StorageChecks.slotCount(offsets);
        this.vectors = vectors;
        this.offsets = offsets;
        this.deleted = deleted;
    }

    /**
     * Opens {@code storageDir} ({@code vector_storage[-<name>]}) for inner vectors of {@code dim} elements of
     * {@code datatype}; missing or truncated files are {@link EdgeFormatException}s naming the file.
     */
    public static MultiDenseVectorStorage open(Path storageDir, int dim, VectorDatatype datatype) {
        ChunkedVectorFiles vectors = ChunkedVectorFiles.open(storageDir.resolve(VECTORS_DIR), dim, datatype.bytes());
        ChunkedVectorFiles offsets = ChunkedVectorFiles.open(storageDir.resolve(OFFSETS_DIR), 1,
                OFFSET_RECORD_BYTES);
        FlagBits deleted = DynamicStoredFlags.open(storageDir.resolve(DynamicStoredFlags.DIRECTORY));
        return new MultiDenseVectorStorage(datatype, vectors, offsets, deleted);
    }

    @Override
    public int slotCount() {
        return slotCount;
    }

    /**
     * The point's inner vectors; an offsets record pointing outside the stored inner vectors, or across a
     * chunk boundary, is an {@link EdgeFormatException} naming the offsets chunk file.
     */
    @Override
    public MultiDenseVector get(int internalId) {
        ChunkedVectorFiles inner = StorageChecks.open(vectors);
        if (internalId < 0 || internalId >= slotCount || deleted.isSet(internalId)) {
            return null;
        }
        ByteBuffer record = offsets.read(internalId, 1);
        long first = Integer.toUnsignedLong(record.getInt(0));
        long count = Integer.toUnsignedLong(record.getInt(4));
        if (!inner.holds(first, count)) {
            String problem = first + count > inner.length()
                    ? "points beyond the " + inner.length() + " stored inner vectors"
                    : "crosses a chunk boundary of " + inner.directory().getFileName();
            throw new EdgeFormatException(offsets.chunkFileOf(internalId), "offsets entry of point " + internalId
                    + " (inner vectors " + first + ".." + (first + count) + ") " + problem);
        }
        int dim = inner.dim();
        float[][] rows = new float[(int) count][];
        if (count > 0) {
            ByteBuffer data = inner.read(first, (int) count);
            int rowBytes = dim * datatype.bytes();
            for (int row = 0; row < count; row++) {
                rows[row] = VectorElements.decode(data.slice(row * rowBytes, rowBytes), datatype, dim);
            }
        }
        return new MultiDenseVector(rows);
    }

    @Override
    public void close() {
        vectors = null;
        offsets = null;
        deleted = null;
    }
}
