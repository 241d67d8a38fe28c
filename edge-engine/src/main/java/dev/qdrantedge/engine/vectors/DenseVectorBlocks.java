package dev.qdrantedge.engine.vectors;

/**
 * Bulk access to a dense vector storage for exact search: vectors of consecutive internal ids decoded into
 * one {@code float} array, one after another. float16 elements are widened exactly and uint8 elements
 * become their byte values (0 to 255), as {@link VectorStorage#get} decodes them one at a time.
 */
public interface DenseVectorBlocks {

    /** Elements per vector. */
    int dim();

    /** The stored element type. */
    VectorDatatype datatype();

    /** Internal ids below this have a slot (which may be deleted). */
    int slotCount();

    /** Whether {@code internalId} holds a vector: below {@link #slotCount()} and not flagged deleted. */
    boolean hasVector(int internalId);

    /**
     * Decodes the slots {@code [first, first + count)}, which must lie below {@link #slotCount()}, into
     * {@code out} from {@code outOffset}: {@code count * dim()} floats. A deleted slot yields whatever its
     * record holds; check {@link #hasVector} first.
     */
    void readBlock(int first, int count, float[] out, int outOffset);

    /**
     * Decodes the slots {@code slots[0 .. count)}, each below {@link #slotCount()}, into {@code out} from 0, one
     * after another ({@code count * dim()} floats): the vectors a graph search scores together. Storages read
     * them with one copy each; the default reads them as blocks of one.
     */
    default void readSlots(int[] slots, int count, float[] out) {
        int dim = dim();
        for (int i = 0; i < count; i++) {
            readBlock(slots[i], 1, out, i * dim);
        }
    }
}
