package dev.qdrantedge.spring.boot.autoconfigure;

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
import io.micrometer.core.instrument.Timer;
import java.util.Collection;
import java.util.List;
import java.util.Objects;
import java.util.function.Supplier;

/**
 * {@link EdgeOperations} that time every {@link #search} (failed ones too) with a Micrometer {@link Timer} and
 * otherwise delegate.
 */
final class TimedEdgeOperations implements EdgeOperations {

    private final EdgeOperations delegate;
    private final Supplier<Timer> searches;

    /** @param searches the timer, looked up per search (it exists once the meters are bound) */
    TimedEdgeOperations(EdgeOperations delegate, Supplier<Timer> searches) {
        this.delegate = Objects.requireNonNull(delegate, "delegate");
        this.searches = Objects.requireNonNull(searches, "searches");
    }

    EdgeOperations delegate() {
        return delegate;
    }

    @Override
    public List<ScoredPoint> search(SearchRequest request) {
        Timer timer = searches.get();
        if (timer == null) {
            return delegate.search(request);
        }
        return timer.record(() -> delegate.search(request));
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
    public FacetResponse facet(FacetRequest request) {
        return delegate.facet(request);
    }

    @Override
    public long update(UpdateOperation operation) {
        return delegate.update(operation);
    }
}
