package dev.qdrantedge.engine.vectors;

/**
 * The {@code Empty} storage type: a vector added to the collection after this immutable segment was built.
 * It has no files and no vectors; every point reads as having no vector.
 */
public final class EmptyVectorStorage implements VectorStorage {

    /** Has no slots: no internal id holds a vector. */
    @Override
    public int slotCount() {
        return 0;
    }

    /** Always {@code null}. */
    @Override
    public VectorValue get(int internalId) {
        return null;
    }

    @Override
    public void close() {
        // nothing is mapped
    }
}
