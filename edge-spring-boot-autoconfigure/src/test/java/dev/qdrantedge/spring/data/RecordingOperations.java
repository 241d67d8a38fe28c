package dev.qdrantedge.spring.data;

import dev.qdrantedge.engine.EdgeOperations;
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
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;

/** A real shard behind {@link EdgeOperations}, remembering every update it passed on. */
public final class RecordingOperations implements EdgeOperations {

    private final EdgeOperations delegate;
    private final List<UpdateOperation> updates = new ArrayList<>();

    public RecordingOperations(EdgeOperations delegate) {
        this.delegate = delegate;
    }

    /** The updates so far, in order. */
    public List<UpdateOperation> updates() {
        return List.copyOf(updates);
    }

    @Override
    public List<Record> retrieve(Collection<PointId> ids, boolean withPayload, boolean withVector) {
        return delegate.retrieve(ids, withPayload, withVector);
    }

    @Override
    public ScrollPage scroll(ScrollRequest request) {
        return delegate.scroll(request);
    }

    @Override
    public long count(Filter filter) {
        return delegate.count(filter);
    }

    @Override
    public List<ScoredPoint> search(SearchRequest request) {
        return delegate.search(request);
    }

    @Override
    public FacetResponse facet(FacetRequest request) {
        return delegate.facet(request);
    }

    @Override
    public long update(UpdateOperation operation) {
        updates.add(operation);
        return delegate.update(operation);
    }
}
