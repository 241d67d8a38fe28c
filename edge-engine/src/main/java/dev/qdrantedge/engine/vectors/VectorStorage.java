package dev.qdrantedge.engine.vectors;

/**
 * One named vector's storage in one segment, opened for reading. Implementations memory-map their files
 * where Qdrant does, so opening a storage does not copy its vectors onto the heap.
 */
public interface VectorStorage extends AutoCloseable {

    /** Internal ids below this have a slot (which may be deleted). */
    int slotCount();

    /** The point's vector, or {@code null} when the slot is deleted, empty or beyond {@link #slotCount()}. */
    VectorValue get(int internalId);

    /** Releases mapped files. */
    @Override
    void close();
}
