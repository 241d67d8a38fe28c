package dev.qdrantedge.engine.sync;

import dev.qdrantedge.engine.filter.Condition;
import dev.qdrantedge.engine.filter.Filter;
import dev.qdrantedge.engine.idtracker.PointId;
import java.util.Collection;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * The ids whose mirror copy the merged view hides: the points the local shard holds, and the points touched
 * by an outbox entry the mirror does not reflect yet ("pinned"). A pinned id the local shard lacks is a
 * deletion mark (tombstone): the application deleted the point, and the mirror's copy must not show.
 *
 * <p>Not synchronized: the store changes it only while holding its write lock, and reads it under its read
 * lock (or while holding the update lock, which excludes every change). The exclusion filter built from the
 * ids is cached until the next change.
 */
final class ShadowSet {

    private final Set<PointId> local = new HashSet<>();
    private final Set<PointId> pinned = new HashSet<>();
    private final Object cacheLock = new Object();
    private volatile Condition.HasId cached;

    /** Whether the mirror's copy of {@code id} is hidden. */
    boolean contains(PointId id) {
        return local.contains(id) || pinned.contains(id);
    }

    boolean isLocal(PointId id) {
        return local.contains(id);
    }

    /** The ids the local shard holds (a live view; copy it before changing the set). */
    Set<PointId> localIds() {
        return local;
    }

    /** The ids pinned by unreflected outbox entries (a live view). */
    Set<PointId> pinnedIds() {
        return pinned;
    }

    int size() {
        synchronized (cacheLock) {
            return condition() == null ? 0 : cached.ids().size();
        }
    }

    void setLocal(PointId id, boolean present) {
        boolean changed = present ? local.add(id) : local.remove(id);
        if (changed) {
            invalidate();
        }
    }

    void pin(Collection<PointId> ids) {
        if (pinned.addAll(ids)) {
            invalidate();
        }
    }

    /** Replaces both sets (after a refresh dropped what the mirror reflects). */
    void reset(Collection<PointId> localIds, Collection<PointId> pinnedIds) {
        local.clear();
        local.addAll(localIds);
        pinned.clear();
        pinned.addAll(pinnedIds);
        invalidate();
    }

    /**
     * {@code filter} restricted to the points whose mirror copy shows: {@code filter} and not {@code has_id}
     * any shadowed id. {@code null} stands for no filter, as in the read requests.
     */
    Filter excludeFrom(Filter filter) {
        Condition.HasId hidden = condition();
        if (hidden == null) {
            return filter;
        }
        return new Filter(filter == null ? null : List.of(filter), null, List.of(hidden), null);
    }

    private Condition.HasId condition() {
        Condition.HasId c = cached;
        if (c != null) {
            return c.ids().isEmpty() ? null : c;
        }
        synchronized (cacheLock) {
            if (cached == null) {
                Set<PointId> all = new HashSet<>(local);
                all.addAll(pinned);
                cached = new Condition.HasId(all);
            }
            return cached.ids().isEmpty() ? null : cached;
        }
    }

    private void invalidate() {
        cached = null;
    }
}
