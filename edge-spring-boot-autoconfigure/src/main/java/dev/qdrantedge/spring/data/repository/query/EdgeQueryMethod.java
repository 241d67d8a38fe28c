package dev.qdrantedge.spring.data.repository.query;

import java.lang.reflect.Method;
import org.springframework.data.domain.SearchResult;
import org.springframework.data.projection.ProjectionFactory;
import org.springframework.data.repository.core.RepositoryMetadata;
import org.springframework.data.repository.query.QueryMethod;

/** A query method of an edge shard repository, with {@link EdgeParameters}. */
public class EdgeQueryMethod extends QueryMethod {

    private final Method method;

    public EdgeQueryMethod(Method method, RepositoryMetadata metadata, ProjectionFactory factory) {
        super(method, metadata, factory, EdgeParameters::new);
        this.method = method;
    }

    @Override
    public EdgeParameters getParameters() {
        return (EdgeParameters) super.getParameters();
    }

    /** The declared return type of the method, e.g. {@code long} for a derived delete that counts. */
    public Class<?> getReturnType() {
        return method.getReturnType();
    }

    /**
     * Whether the method returns {@code SearchResults}, a collection or stream of {@code SearchResult}, or a
     * single {@code SearchResult}.
     */
    public boolean returnsSearchResults() {
        return isSearchQuery() || SearchResult.class.isAssignableFrom(method.getReturnType());
    }

    /** {@code Repository.method}, for messages. */
    public String describe() {
        return method.getDeclaringClass().getSimpleName() + "." + method.getName();
    }
}
