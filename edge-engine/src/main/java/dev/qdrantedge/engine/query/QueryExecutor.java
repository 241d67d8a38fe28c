package dev.qdrantedge.engine.query;

import dev.qdrantedge.engine.EdgeOperations;
import dev.qdrantedge.engine.filter.Condition;
import dev.qdrantedge.engine.filter.Filter;
import dev.qdrantedge.engine.idtracker.PointId;
import dev.qdrantedge.engine.search.InvalidSearchException;
import dev.qdrantedge.engine.search.ScoredPoint;
import dev.qdrantedge.engine.search.SearchParams;
import dev.qdrantedge.engine.search.SearchRequest;
import dev.qdrantedge.engine.search.WithPayload;
import dev.qdrantedge.engine.search.WithVector;
import dev.qdrantedge.engine.shard.Record;
import dev.qdrantedge.engine.shard.ScrollPage;
import dev.qdrantedge.engine.vectors.VectorValue;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Runs a {@link QueryRequest} on anything holding points ({@link EdgeOperations}: a shard, or a store merging
 * a local shard with a server mirror), as Qdrant Edge plans a query:
 * <ul>
 * <li>without prefetches, the query runs on the points matching the filter: a vector is a nearest search
 * (a point id searches near that point's vector and leaves the point out), {@code order_by} orders by a
 * payload field, MMR picks among the {@code candidates_limit} nearest points, no query lists points in id
 * order with score 1; fusion and formulas need prefetches;</li>
 * <li>with prefetches (each resolved the same way, recursively, under the request's filter and its own), the
 * query rescores the points they found: a vector searches among them, {@code order_by} orders them, fusion
 * (RRF, DBSF) merges the lists, a formula scores them, MMR searches the {@code candidates_limit} nearest of
 * them and picks among those.</li>
 * </ul>
 * Each stage keeps its best {@code limit} results ({@code limit + offset} at the top, where the offset is then
 * skipped); payload and vectors are read for the final results only.
 */
public final class QueryExecutor {

    private static final int PAGE = 1024;

    private QueryExecutor() {
    }

    public static List<ScoredPoint> run(EdgeOperations ops, QueryRequest request) {
        int wanted = (int) Math.min(Integer.MAX_VALUE, (long) request.limit() + request.offset());
        List<ScoredPoint> found;
        if (request.query() == null && request.prefetches().isEmpty()) {
            found = byId(ops, request.filter(), wanted);
        } else {
            found = resolve(ops, request.prefetches(), request.query(), request.using(), request.filter(), wanted,
                    request.scoreThreshold(), request.params(), true);
        }
        List<ScoredPoint> page = found.size() <= request.offset() ? List.of()
                : found.subList(request.offset(), Math.min(found.size(), wanted));
        return fill(ops, page, request.withPayload(), request.withVector());
    }

    private static List<ScoredPoint> resolve(EdgeOperations ops, List<Prefetch> prefetches, ScoringQuery query,
            String using, Filter filter, int limit, Float threshold, SearchParams params, boolean root) {
        if (prefetches.isEmpty()) {
            return leaf(ops, query, using, filter, limit, threshold, params, root);
        }
        if (query == null) {
            throw new InvalidSearchException("A query with prefetches needs a query to rescore them with");
        }
        List<List<ScoredPoint>> sources = new ArrayList<>();
        for (Prefetch p : prefetches) {
            sources.add(resolve(ops, p.prefetches(), p.query(), p.using(), and(filter, p.filter()), p.limit(),
                    p.scoreThreshold(), p.params(), false));
        }
        if (query instanceof ScoringQuery.Fusion) {
            ScoringQuery.Fusion fusion = (ScoringQuery.Fusion) query;
            List<ScoredPoint> fused = fusion.method() == ScoringQuery.FusionMethod.RRF
                    ? ScoreFusion.rrf(sources, fusion.k(), fusion.weights()) : ScoreFusion.dbsf(sources);
            List<ScoredPoint> out = new ArrayList<>();
            for (ScoredPoint p : fused) {
                if (out.size() >= limit || (threshold != null && p.score() < threshold)) {
                    break;
                }
                out.add(p);
            }
            return out;
        }
        Filter among = amongIds(sources);
        if (query instanceof ScoringQuery.OrderBy) {
            return PayloadOrder.top(ops, (ScoringQuery.OrderBy) query, among, limit);
        }
        if (query instanceof ScoringQuery.Formula) {
            return FormulaScorer.top(ops, (ScoringQuery.Formula) query, sources, limit, threshold);
        }
        if (query instanceof ScoringQuery.Mmr) {
            ScoringQuery.Mmr mmr = (ScoringQuery.Mmr) query;
            if (!root) {
                List<ScoredPoint> all = new ArrayList<>();
                sources.forEach(all::addAll);
                return pickMmr(ops, mmr, using, all, limit);
            }
            int candidates = mmr.candidatesLimit() == null ? limit : mmr.candidatesLimit();
            return pickMmr(ops, mmr, using, nearest(ops, mmr.vector(), using, among, candidates, threshold, params),
                    limit);
        }
        return nearest(ops, (VectorInput) query, using, among, limit, threshold, params);
    }

    private static List<ScoredPoint> leaf(EdgeOperations ops, ScoringQuery query, String using, Filter filter,
            int limit, Float threshold, SearchParams params, boolean root) {
        if (query == null) {
            return byId(ops, filter, limit);
        }
        if (query instanceof VectorInput) {
            return nearest(ops, (VectorInput) query, using, filter, limit, threshold, params);
        }
        if (query instanceof ScoringQuery.OrderBy) {
            return PayloadOrder.top(ops, (ScoringQuery.OrderBy) query, filter, limit);
        }
        if (query instanceof ScoringQuery.Mmr) {
            ScoringQuery.Mmr mmr = (ScoringQuery.Mmr) query;
            int candidates = mmr.candidatesLimit() == null ? limit : mmr.candidatesLimit();
            List<ScoredPoint> near = nearest(ops, mmr.vector(), using, filter, candidates, threshold, params);
            // as Qdrant: an MMR prefetch without prefetches of its own passes its candidates on unpicked
            return root ? pickMmr(ops, mmr, using, near, limit) : near;
        }
        String what = query instanceof ScoringQuery.Fusion ? "Fusion" : "Formula";
        throw new InvalidSearchException("Cannot apply " + what + " without prefetches");
    }

    private static List<ScoredPoint> pickMmr(EdgeOperations ops, ScoringQuery.Mmr mmr, String using,
            List<ScoredPoint> candidates, int limit) {
        VectorValue vector = vectorOf(ops, mmr.vector(), using);
        return new MaximalMarginalRelevance(ops, using).pick(candidates, vector, 1.0f - mmr.diversity(), limit);
    }

    private static List<ScoredPoint> nearest(EdgeOperations ops, VectorInput query, String using, Filter filter,
            int limit, Float threshold, SearchParams params) {
        if (limit < 1) {
            return List.of();
        }
        VectorValue vector = vectorOf(ops, query, using);
        if (query instanceof VectorInput.Point) {
            Filter notSelf = Filter.mustNot(new Condition.HasId(Set.of(((VectorInput.Point) query).id())));
            filter = and(filter, notSelf);
        }
        return ops.search(new SearchRequest(using, vector, filter, limit, 0, threshold, WithPayload.NONE,
                WithVector.NONE, params));
    }

    private static VectorValue vectorOf(EdgeOperations ops, VectorInput query, String using) {
        if (query instanceof VectorInput.Vector) {
            return ((VectorInput.Vector) query).value();
        }
        PointId id = ((VectorInput.Point) query).id();
        List<Record> found = ops.retrieve(List.of(id), false, true);
        if (found.isEmpty()) {
            throw new InvalidSearchException("No point with id " + id + " found");
        }
        VectorValue vector = found.get(0).vectors().get(using);
        if (vector == null) {
            throw new InvalidSearchException("Vector '" + using + "' not found for point " + id);
        }
        return vector;
    }

    /** Points matching the filter in id order, each with score 1 and version 0, as Qdrant Edge lists them. */
    private static List<ScoredPoint> byId(EdgeOperations ops, Filter filter, int limit) {
        List<ScoredPoint> out = new ArrayList<>();
        ScrollRequest page = new ScrollRequest(null, Math.max(1, Math.min(PAGE, limit)), filter, WithPayload.NONE,
                WithVector.NONE);
        while (out.size() < limit) {
            ScrollPage result = ops.scroll(page);
            for (Record r : result.points()) {
                if (out.size() < limit) {
                    out.add(new ScoredPoint(r.id(), 0, 1.0f, null, null));
                }
            }
            if (result.nextOffset() == null) {
                break;
            }
            page = page.from(result.nextOffset());
        }
        return out;
    }

    /** The results with the selected payload and vectors, read now; points deleted meanwhile are dropped. */
    private static List<ScoredPoint> fill(EdgeOperations ops, List<ScoredPoint> points, WithPayload withPayload,
            WithVector withVector) {
        boolean payload = !(withPayload instanceof WithPayload.None);
        boolean vectors = !(withVector instanceof WithVector.None);
        if (!payload && !vectors) {
            return new ArrayList<>(points);
        }
        Set<PointId> ids = new LinkedHashSet<>();
        points.forEach(p -> ids.add(p.id()));
        Map<PointId, Record> records = new HashMap<>();
        for (Record r : ops.retrieve(ids, payload, vectors)) {
            records.put(r.id(), r);
        }
        List<ScoredPoint> out = new ArrayList<>(points.size());
        for (ScoredPoint p : points) {
            Record r = records.get(p.id());
            if (r != null) {
                out.add(new ScoredPoint(p.id(), p.version(), p.score(),
                        payload ? withPayload.select(r.payload()) : null,
                        vectors ? withVector.select(r.vectors()) : null));
            }
        }
        return out;
    }

    private static Filter amongIds(List<List<ScoredPoint>> sources) {
        Set<PointId> ids = new LinkedHashSet<>();
        sources.forEach(source -> source.forEach(p -> ids.add(p.id())));
        return Filter.must(new Condition.HasId(ids));
    }

    private static Filter and(Filter a, Filter b) {
        if (a == null) {
            return b;
        }
        if (b == null) {
            return a;
        }
        return new Filter(List.of(a, b), null, null, null);
    }
}
