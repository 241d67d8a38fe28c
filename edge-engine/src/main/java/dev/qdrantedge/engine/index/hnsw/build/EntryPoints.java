package dev.qdrantedge.engine.index.hnsw.build;

import java.util.ArrayList;
import java.util.List;

/**
 * Qdrant's {@code EntryPoints} for an unfiltered build: the highest point seen so far, and a bounded set of the
 * highest-level points it replaced or that joined below it ("extra" entry points). Thread-safe.
 */
final class EntryPoints {

    private final List<EntryPoint> entryPoints = new ArrayList<>();
    private final List<EntryPoint> extra = new ArrayList<>();
    private final int extraCapacity;

    EntryPoints(int extraCapacity) {
        this.extraCapacity = extraCapacity;
    }

    synchronized EntryPoint entryPoint() {
        if (!entryPoints.isEmpty()) {
            return entryPoints.get(0);
        }
        EntryPoint best = null;
        for (EntryPoint e : extra) {
            if (best == null || e.level() > best.level()) {
                best = e;
            }
        }
        return best;
    }

    synchronized void newPoint(int pointId, int level) {
        EntryPoint added = new EntryPoint(pointId, level);
        if (entryPoints.isEmpty()) {
            entryPoints.add(added);
            return;
        }
        EntryPoint current = entryPoints.get(0);
        if (current.level() >= level) {
            pushExtra(added);
        } else {
            entryPoints.set(0, added);
            pushExtra(current);
        }
    }

    /** Qdrant's fixed-length priority queue: keeps the {@code extraCapacity} highest levels. */
    private void pushExtra(EntryPoint point) {
        if (extra.size() < extraCapacity) {
            extra.add(point);
            return;
        }
        int lowest = 0;
        for (int i = 1; i < extra.size(); i++) {
            if (extra.get(i).level() < extra.get(lowest).level()) {
                lowest = i;
            }
        }
        if (point.level() > extra.get(lowest).level()) {
            extra.set(lowest, point);
        }
    }

    synchronized List<EntryPoint> main() {
        return List.copyOf(entryPoints);
    }

    synchronized List<EntryPoint> extra() {
        return List.copyOf(extra);
    }

    int extraCapacity() {
        return extraCapacity;
    }
}
