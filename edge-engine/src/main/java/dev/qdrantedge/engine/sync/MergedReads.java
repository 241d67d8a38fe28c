package dev.qdrantedge.engine.sync;

import dev.qdrantedge.engine.config.EdgeConfig;
import dev.qdrantedge.engine.config.VectorParams;
import dev.qdrantedge.engine.facet.FacetHit;
import dev.qdrantedge.engine.facet.FacetIndexKind;
import dev.qdrantedge.engine.facet.FacetRequest;
import dev.qdrantedge.engine.facet.FacetResponse;
import dev.qdrantedge.engine.facet.FacetValue;
import dev.qdrantedge.engine.filter.Filter;
import dev.qdrantedge.engine.idtracker.PointId;
import dev.qdrantedge.engine.query.ScrollRequest;
import dev.qdrantedge.engine.search.ScoredPoint;
import dev.qdrantedge.engine.search.SearchRequest;
import dev.qdrantedge.engine.search.WithPayload;
import dev.qdrantedge.engine.search.WithVector;
import dev.qdrantedge.engine.shard.EdgeShard;
import dev.qdrantedge.engine.shard.Record;
import dev.qdrantedge.engine.shard.ScrollPage;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Reads over the union of a local shard and a server mirror: the local copy of a point (or its deletion
 * mark) wins over the mirror's. The mirror is asked with the shadowed ids excluded by its filter (a
 * {@code must_not has_id} condition), so the two answers never share a point and merge by their order:
 *
 * <ul>
 *   <li>retrieve: the local copy of each id, else the mirror's unless shadowed, in the order asked;</li>
 *   <li>scroll: both id-ordered pages merged by id; the next offset is the smallest id not returned, so
 *       pages are stable;</li>
 *   <li>count: the sum;</li>
 *   <li>search: each side's best {@code offset + limit}, merged best first (equal scores in Qdrant's order
 *       across shards: by id, larger first for similarities, smaller first for distances), then offset and
 *       limit applied. With IDF-weighted sparse vectors each side weighs by its own statistics, so scores
 *       across the two sides are an approximation of one shard's;</li>
 *   <li>facet: every value's count from both sides (with the mirror's payload index kind, so that both
 *       count the same values), summed, then the top {@code limit}: exact.</li>
 * </ul>
 * {@code mirror} may be {@code null} (not bootstrapped): reads are then the local shard's.
 */
final class MergedReads {

    private static final int ID_PAGE = 1024;

    private final EdgeShard local;
    private final EdgeShard mirror;
    private final ShadowSet shadow;

    MergedReads(EdgeShard local, EdgeShard mirror, ShadowSet shadow) {
        this.local = local;
        this.mirror = mirror;
        this.shadow = shadow;
    }

    List<Record> retrieve(Collection<PointId> ids, boolean withPayload, boolean withVector) {
        Map<PointId, Record> found = new HashMap<>();
        for (Record r : local.retrieve(ids, withPayload, withVector)) {
            found.put(r.id(), r);
        }
        if (mirror != null) {
            List<PointId> rest = new ArrayList<>();
            for (PointId id : new LinkedHashSet<>(ids)) {
                if (!found.containsKey(id) && !shadow.contains(id)) {
                    rest.add(id);
                }
            }
            if (!rest.isEmpty()) {
                for (Record r : mirror.retrieve(rest, withPayload, withVector)) {
                    found.put(r.id(), r);
                }
            }
        }
        List<Record> out = new ArrayList<>(found.size());
        Set<PointId> seen = new HashSet<>();
        for (PointId id : ids) {
            Record r = found.get(id);
            if (r != null && seen.add(id)) {
                out.add(r);
            }
        }
        return out;
    }

    /** Whether the merged view holds {@code id}. */
    Set<PointId> existing(Collection<PointId> ids) {
        Set<PointId> out = new HashSet<>();
        for (Record r : retrieve(ids, false, false)) {
            out.add(r.id());
        }
        return out;
    }

    ScrollPage scroll(ScrollRequest request) {
        ScrollPage localPage = local.scroll(request);
        if (mirror == null) {
            return localPage;
        }
        ScrollPage mirrorPage = mirror.scroll(new ScrollRequest(request.offset(), request.limit(),
                shadow.excludeFrom(request.filter()), request.withPayload(), request.withVector()));
        List<Record> a = localPage.points();
        List<Record> b = mirrorPage.points();
        List<Record> out = new ArrayList<>(request.limit());
        int i = 0;
        int j = 0;
        while (out.size() < request.limit() && (i < a.size() || j < b.size())) {
            if (j >= b.size() || (i < a.size() && a.get(i).id().compareTo(b.get(j).id()) < 0)) {
                out.add(a.get(i++));
            } else {
                out.add(b.get(j++));
            }
        }
        // the next page starts at the smallest id of either side not returned yet
        PointId nextLocal = i < a.size() ? a.get(i).id() : localPage.nextOffset();
        PointId nextMirror = j < b.size() ? b.get(j).id() : mirrorPage.nextOffset();
        PointId next = nextLocal == null ? nextMirror
                : nextMirror == null ? nextLocal : nextLocal.compareTo(nextMirror) <= 0 ? nextLocal : nextMirror;
        return new ScrollPage(out, next);
    }

    long count(Filter filter) {
        long n = local.count(filter);
        if (mirror != null) {
            n += mirror.count(shadow.excludeFrom(filter));
        }
        return n;
    }

    List<ScoredPoint> search(SearchRequest request, EdgeConfig config) {
        int k = (int) Math.min(Integer.MAX_VALUE - 8, (long) request.offset() + request.limit());
        SearchRequest both = new SearchRequest(request.using(), request.query(), request.filter(), k, 0,
                request.scoreThreshold(), request.withPayload(), request.withVector(), request.params());
        List<ScoredPoint> a = local.search(both);
        List<ScoredPoint> b = mirror == null ? List.of()
                : mirror.search(both.withFilter(shadow.excludeFrom(request.filter())));
        VectorParams dense = config.vectors().get(request.using());
        boolean smallerIsBetter = dense != null && dense.distance().smallerIsBetter();
        List<ScoredPoint> out = new ArrayList<>(Math.min(request.limit(), a.size() + b.size()));
        int i = 0;
        int j = 0;
        int skipped = 0;
        while (out.size() < request.limit() && (i < a.size() || j < b.size())) {
            ScoredPoint next;
            if (j >= b.size() || (i < a.size() && ahead(a.get(i), b.get(j), smallerIsBetter))) {
                next = a.get(i++);
            } else {
                next = b.get(j++);
            }
            if (skipped < request.offset()) {
                skipped++;
            } else {
                out.add(next);
            }
        }
        return out;
    }

    /**
     * Whether {@code x} comes before {@code y}: by score, then, as Qdrant orders equal scores across shards,
     * by id (the larger first for similarities, the smaller first for distances).
     */
    private static boolean ahead(ScoredPoint x, ScoredPoint y, boolean smallerIsBetter) {
        int byScore = x.score() < y.score() ? -1 : x.score() > y.score() ? 1 : 0;
        int c = byScore != 0 ? byScore : x.id().compareTo(y.id());
        return smallerIsBetter ? c < 0 : c > 0;
    }

    FacetResponse facet(FacetRequest request) {
        Optional<FacetIndexKind> kind = mirror == null ? Optional.empty() : mirror.facetIndex(request.key());
        if (kind.isEmpty()) {
            kind = local.facetIndex(request.key());
        }
        if (kind.isEmpty()) {
            return local.facet(request); // refused as Qdrant refuses a field without a facetable index
        }
        FacetRequest all = new FacetRequest(request.key(), Integer.MAX_VALUE, request.filter(), request.exact());
        Map<FacetValue, Long> counts = new HashMap<>();
        for (FacetHit hit : local.facet(all, kind.get()).hits()) {
            counts.merge(hit.value(), hit.count(), Long::sum);
        }
        if (mirror != null) {
            FacetRequest mirrored = new FacetRequest(request.key(), Integer.MAX_VALUE,
                    shadow.excludeFrom(request.filter()), request.exact());
            for (FacetHit hit : mirror.facet(mirrored, kind.get()).hits()) {
                counts.merge(hit.value(), hit.count(), Long::sum);
            }
        }
        List<FacetHit> hits = new ArrayList<>(counts.size());
        counts.forEach((value, count) -> hits.add(new FacetHit(value, count)));
        hits.sort((x, y) -> x.count() != y.count() ? Long.compare(y.count(), x.count())
                : x.value().compareTo(y.value()));
        return new FacetResponse(hits.subList(0, Math.min(request.limit(), hits.size())));
    }

    /** The ids of every point of the merged view matching {@code filter}, local ones first. */
    List<PointId> matching(Filter filter) {
        List<PointId> ids = new ArrayList<>();
        collectIds(local, filter, ids);
        if (mirror != null) {
            collectIds(mirror, shadow.excludeFrom(filter), ids);
        }
        return ids;
    }

    private static void collectIds(EdgeShard shard, Filter filter, List<PointId> into) {
        PointId offset = null;
        do {
            ScrollPage page = shard.scroll(new ScrollRequest(offset, ID_PAGE, filter, WithPayload.NONE,
                    WithVector.NONE));
            for (Record r : page.points()) {
                into.add(r.id());
            }
            offset = page.nextOffset();
        } while (offset != null);
    }

    /** The mirror's copies of those of {@code ids} that the merged view takes from the mirror. */
    List<Record> mirrorOnly(Collection<PointId> ids) {
        if (mirror == null) {
            return List.of();
        }
        List<PointId> candidates = new ArrayList<>();
        for (PointId id : new LinkedHashSet<>(ids)) {
            if (!shadow.contains(id)) {
                candidates.add(id);
            }
        }
        return candidates.isEmpty() ? List.of() : mirror.retrieve(candidates, true, true);
    }
}
