package dev.qdrantedge.engine.query;

import dev.qdrantedge.engine.filter.Condition;
import dev.qdrantedge.engine.filter.Filter;
import dev.qdrantedge.engine.search.InvalidSearchException;
import dev.qdrantedge.engine.search.ScoredPoint;
import dev.qdrantedge.engine.search.SearchRequest;
import dev.qdrantedge.engine.shard.EdgeShard;
import dev.qdrantedge.engine.shard.Record;
import dev.qdrantedge.engine.shard.ScrollPage;
import dev.qdrantedge.engine.vectors.VectorValue;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * Runs a {@link QueryRequest} on a shard: a vector query is an exact search; a point id query searches
 * near that point's vector under {@code using} and leaves the point itself out (as Qdrant's query API
 * does); no query lists the matching points in id order, each with score 1 and version 0, as Qdrant Edge
 * does.
 */
public final class QueryExecutor {

    private QueryExecutor() {
    }

    public static List<ScoredPoint> run(EdgeShard shard, QueryRequest request) {
        if (request.query() == null) {
            return byId(shard, request);
        }
        VectorValue vector;
        Filter filter = request.filter();
        if (request.query() instanceof VectorInput.Point point) {
            List<Record> found = shard.retrieve(List.of(point.id()), false, true);
            if (found.isEmpty()) {
                throw new InvalidSearchException("No point with id " + point.id() + " found");
            }
            vector = found.get(0).vectors().get(request.using());
            if (vector == null) {
                throw new InvalidSearchException("Vector '" + request.using() + "' not found for point "
                        + point.id());
            }
            Filter notSelf = Filter.mustNot(new Condition.HasId(Set.of(point.id())));
            filter = filter == null ? notSelf : new Filter(List.of(filter, notSelf), null, null, null);
        } else {
            vector = ((VectorInput.Vector) request.query()).value();
        }
        return shard.search(new SearchRequest(request.using(), vector, filter, request.limit(), request.offset(),
                request.scoreThreshold(), request.withPayload(), request.withVector(), request.params()));
    }

    private static List<ScoredPoint> byId(EdgeShard shard, QueryRequest request) {
        long wanted = (long) request.offset() + request.limit();
        List<ScoredPoint> out = new ArrayList<>();
        ScrollRequest page = new ScrollRequest(null, (int) Math.min(1024, wanted), request.filter(),
                request.withPayload(), request.withVector());
        long seen = 0;
        while (seen < wanted) {
            ScrollPage result = shard.scroll(page);
            for (Record r : result.points()) {
                if (seen >= request.offset() && seen < wanted) {
                    out.add(new ScoredPoint(r.id(), 0, 1.0f, r.payload(), r.vectors()));
                }
                seen++;
            }
            if (result.nextOffset() == null) {
                break;
            }
            page = page.from(result.nextOffset());
        }
        return out;
    }
}
