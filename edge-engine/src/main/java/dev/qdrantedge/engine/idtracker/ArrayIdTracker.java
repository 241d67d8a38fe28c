package dev.qdrantedge.engine.idtracker;

import java.util.BitSet;
import java.util.HashMap;
import java.util.Map;

/** An {@link IdTracker} held in arrays: what both of Qdrant's id-tracker file formats load into. */
final class ArrayIdTracker implements IdTracker {

    private final PointId[] externalIds;
    private final long[] versions;
    private final BitSet live;
    private final Map<PointId, Integer> internalIds;

    /**
     * @param externalIds external id per internal id (null where none)
     * @param deleted internal ids whose mapping is deleted
     * @param versions persisted versions; internal ids at or beyond its length have none
     */
    ArrayIdTracker(PointId[] externalIds, BitSet deleted, long[] versions) {
        this.externalIds = externalIds;
        this.versions = versions;
        this.live = new BitSet(externalIds.length);
        this.internalIds = new HashMap<>();
        for (int i = 0; i < externalIds.length; i++) {
            if (externalIds[i] != null && !deleted.get(i) && i < versions.length) {
                live.set(i);
                internalIds.put(externalIds[i], i);
            }
        }
    }

    @Override
    public int totalPointCount() {
        return externalIds.length;
    }

    @Override
    public boolean isLive(int internalId) {
        return internalId >= 0 && live.get(internalId);
    }

    @Override
    public PointId externalId(int internalId) {
        requireLive(internalId);
        return externalIds[internalId];
    }

    @Override
    public long version(int internalId) {
        requireLive(internalId);
        return versions[internalId];
    }

    @Override
    public int internalId(PointId externalId) {
        Integer internal = internalIds.get(externalId);
        return internal == null ? -1 : internal;
    }

    @Override
    public int liveCount() {
        return internalIds.size();
    }

    private void requireLive(int internalId) {
        if (!isLive(internalId)) {
            throw new IllegalArgumentException("internal id " + internalId + " holds no live point");
        }
    }
}
