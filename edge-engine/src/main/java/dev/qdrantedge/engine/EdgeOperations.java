package dev.qdrantedge.engine;

import dev.qdrantedge.engine.facet.FacetRequest;
import dev.qdrantedge.engine.facet.FacetResponse;
import dev.qdrantedge.engine.filter.Filter;
import dev.qdrantedge.engine.idtracker.PointId;
import dev.qdrantedge.engine.operation.UpdateOperation;
import dev.qdrantedge.engine.query.ScrollRequest;
import dev.qdrantedge.engine.search.ScoredPoint;
import dev.qdrantedge.engine.search.SearchRequest;
import dev.qdrantedge.engine.shard.Record;
import dev.qdrantedge.engine.shard.ScrollPage;
import java.util.Collection;
import java.util.List;

/**
 * The point operations an application uses, whatever holds the points: a single {@link
 * dev.qdrantedge.engine.shard.EdgeShard}, or a store that merges a local shard with a server mirror.
 * Higher layers (repositories, templates, the CLI) are written against this type.
 */
public interface EdgeOperations {

    /** The points with the given ids that exist, in the order of {@code ids}; missing ids are skipped. */
    List<Record> retrieve(Collection<PointId> ids, boolean withPayload, boolean withVector);

    /** One page of points matching the request's filter, in id order, from the request's offset. */
    ScrollPage scroll(ScrollRequest request);

    /** The exact number of points matching {@code filter} ({@code null}: all points). */
    long count(Filter filter);

    /** The nearest points to the request's query vector, best first. */
    List<ScoredPoint> search(SearchRequest request);

    /** The most frequent values of a payload field among the points matching the request's filter. */
    FacetResponse facet(FacetRequest request);

    /**
     * Applies one operation durably.
     *
     * @return the operation number the implementation assigned to it
     */
    long update(UpdateOperation operation);
}
