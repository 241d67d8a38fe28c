package dev.qdrantedge.engine.idtracker;

/**
 * A segment's map between internal ids (dense, 0-based offsets into the segment's storages) and external
 * point ids, with each point's version. Only live points are visible: a point is live iff it has a
 * mapping that is not deleted and a persisted version, as Qdrant decides on load.
 */
public interface IdTracker {

    /** Internal ids run from 0 (inclusive) to this (exclusive); some of them are not live. */
    int totalPointCount();

    /** Whether the internal id holds a live point. */
    boolean isLive(int internalId);

    /** The external id of a live internal id. */
    PointId externalId(int internalId);

    /** The version (operation number) of a live internal id. */
    long version(int internalId);

    /** The internal id of a live external id, or -1. */
    int internalId(PointId externalId);

    /** The number of live points. */
    int liveCount();
}
