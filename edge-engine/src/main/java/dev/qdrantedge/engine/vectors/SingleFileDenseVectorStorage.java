package dev.qdrantedge.engine.vectors;

import dev.qdrantedge.engine.EdgeFormatException;
import dev.qdrantedge.engine.io.MappedFile;
import java.nio.file.Path;

/**
 * The immutable single-file dense layout ({@code Mmap} and {@code InRamMmap}, identical on disk):
 * {@code matrix.dat} is the 4-byte ASCII header {@code data} followed by the vectors back to back, and
 * {@code deleted.dat} holds one deleted flag per vector. The vector count follows from the file length.
 */
public final class SingleFileDenseVectorStorage implements VectorStorage, DenseVectorBlocks {

    static final String MATRIX_FILE = "matrix.dat";
    static final int HEADER_BYTES = 4;
    private static final String HEADER = "data";

    private final VectorDatatype datatype;
    private final int dim;
    private final int vectorBytes;
    private final int slotCount;
    private MappedFile matrix;
    private FlagBits deleted;

    private SingleFileDenseVectorStorage(VectorDatatype datatype, int dim, int slotCount, MappedFile matrix,
            FlagBits deleted) {
        this.datatype = datatype;
        this.dim = dim;
        this.vectorBytes = dim * datatype.bytes();
        this.slotCount = slotCount;
        this.matrix = matrix;
        this.deleted = deleted;
    }

    /**
     * Opens {@code storageDir} ({@code vector_storage[-<name>]}) for vectors of {@code dim} elements of
     * {@code datatype}; missing or truncated files are {@link EdgeFormatException}s naming the file.
     */
    public static SingleFileDenseVectorStorage open(Path storageDir, int dim, VectorDatatype datatype) {
        return open(storageDir, dim, datatype, MappedFile.DEFAULT_REGION_BYTES);
    }

    /** As {@link #open(Path, int, VectorDatatype)}, mapping {@code matrix.dat} in regions of the given size. */
    static SingleFileDenseVectorStorage open(Path storageDir, int dim, VectorDatatype datatype, long regionBytes) {
        Path matrixFile = storageDir.resolve(MATRIX_FILE);
        MappedFile matrix = MappedFile.map(matrixFile, regionBytes);
        StorageChecks.requireHeader(matrix, HEADER_BYTES, HEADER, "a vector file");
        long vectorBytes = (long) dim * datatype.bytes();
        long dataBytes = matrix.size() - HEADER_BYTES;
        long count = dataBytes / vectorBytes;
        if (dataBytes % vectorBytes != 0) {
            throw new EdgeFormatException(matrixFile, "truncated: " + dataBytes + " bytes of vectors is not a "
                    + "whole number of " + vectorBytes + "-byte vectors (dim " + dim + ", " + datatype.jsonName()
                    + "); the last vector is cut short");
        }
        if (count > Integer.MAX_VALUE) {
            throw new EdgeFormatException(matrixFile, count + " vectors are more than this engine addresses");
        }
        FlagBits deleted = DeletedFile.open(storageDir.resolve(DeletedFile.FILE), count, matrixFile);
        return new SingleFileDenseVectorStorage(datatype, dim, (int) count, matrix, deleted);
    }

    @Override
    public int slotCount() {
        return slotCount;
    }

    @Override
    public DenseVector get(int internalId) {
        MappedFile m = StorageChecks.open(matrix);
        if (internalId < 0 || internalId >= slotCount || deleted.isSet(internalId)) {
            return null;
        }
        long position = HEADER_BYTES + (long) internalId * vectorBytes;
        return new DenseVector(VectorElements.decode(m.slice(position, vectorBytes), datatype, dim));
    }

    @Override
    public int dim() {
        return dim;
    }

    @Override
    public VectorDatatype datatype() {
        return datatype;
    }

    @Override
    public boolean hasVector(int internalId) {
        StorageChecks.open(matrix);
        return internalId >= 0 && internalId < slotCount && !deleted.isSet(internalId);
    }

    @Override
    public void readBlock(int first, int count, float[] out, int outOffset) {
        MappedFile m = StorageChecks.open(matrix);
        if (first < 0 || count < 0 || first > slotCount - count) {
            throw new IndexOutOfBoundsException("slots [" + first + ", " + (first + count) + ") beyond " + slotCount);
        }
        // in pieces, so one slice never exceeds what a buffer addresses
        int perPiece = Math.max(1, (1 << 24) / vectorBytes);
        for (int done = 0; done < count; done += perPiece) {
            int n = Math.min(perPiece, count - done);
            long position = HEADER_BYTES + (long) (first + done) * vectorBytes;
            if (datatype == VectorDatatype.FLOAT32) {
                m.getFloats(position, out, outOffset + done * dim, n * dim);
            } else {
                VectorElements.decodeInto(m.slice(position, n * vectorBytes), datatype, n * dim, out,
                        outOffset + done * dim);
            }
        }
    }

    @Override
    public void readSlots(int[] slots, int count, float[] out) {
        if (datatype != VectorDatatype.FLOAT32) {
            DenseVectorBlocks.super.readSlots(slots, count, out);
            return;
        }
        MappedFile m = StorageChecks.open(matrix);
        for (int i = 0; i < count; i++) {
            if (slots[i] < 0 || slots[i] >= slotCount) {
                throw new IndexOutOfBoundsException("slot " + slots[i] + " beyond " + slotCount);
            }
        }
        m.gatherFloats(HEADER_BYTES, vectorBytes, slots, count, out, dim);
    }

    @Override
    public void close() {
        matrix = null;
        deleted = null;
    }
}
