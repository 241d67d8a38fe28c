package dev.qdrantedge.engine.idtracker;

/**
 * An id tracker opened for writing: the changes a segment makes when points are removed or re-versioned,
 * persisted in the two steps of a segment flush (mappings before the storages, versions after them).
 */
public interface WritableIdTracker extends IdTracker {

    /** Removes {@code external}; returns the internal id it had, or -1 when it was not present. */
    int drop(PointId external);

    /** Sets the version of {@code internal}. */
    void setInternalVersion(int internal, long version);

    /** Whether changes wait for a flush. */
    boolean hasPendingChanges();

    /** Persists the changed mappings (or deleted bits), the first step of a segment flush. */
    void flushMappings();

    /** Persists the changed versions, the last step of a segment flush. */
    void flushVersions();
}
