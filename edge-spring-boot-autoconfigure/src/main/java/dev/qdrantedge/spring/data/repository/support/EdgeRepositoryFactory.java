package dev.qdrantedge.spring.data.repository.support;

import dev.qdrantedge.spring.data.core.EdgeTemplate;
import dev.qdrantedge.spring.data.mapping.EdgePersistentEntity;
import dev.qdrantedge.spring.data.repository.query.EdgePartTreeQuery;
import dev.qdrantedge.spring.data.repository.query.EdgeQueryMethod;
import java.util.Optional;
import org.springframework.data.repository.core.EntityInformation;
import org.springframework.data.repository.core.RepositoryInformation;
import org.springframework.data.repository.core.RepositoryMetadata;
import org.springframework.data.repository.core.support.PersistentEntityInformation;
import org.springframework.data.repository.core.support.RepositoryFactorySupport;
import org.springframework.data.repository.query.QueryLookupStrategy;
import org.springframework.data.repository.query.ValueExpressionDelegate;
import org.springframework.util.ClassUtils;

/**
 * Creates repositories over an {@link EdgeTemplate}: {@link SimpleEdgeShardRepository} for the CRUD, paging
 * and sorting methods, {@link EdgePartTreeQuery} for every other method (derived from its name). The entity
 * class, the repository's id type and every query method are checked when the repository is created.
 */
public class EdgeRepositoryFactory extends RepositoryFactorySupport {

    private final EdgeTemplate template;

    public EdgeRepositoryFactory(EdgeTemplate template) {
        this.template = template;
    }

    @Override
    public EntityInformation<?, ?> getEntityInformation(RepositoryMetadata metadata) {
        EdgePersistentEntity<?> entity = template.getConverter().getRequiredEntity(metadata.getDomainType());
        Class<?> idType = ClassUtils.resolvePrimitiveIfNecessary(entity.getRequiredIdProperty().getType());
        if (!idType.equals(metadata.getIdType())) {
            throw new IllegalArgumentException(metadata.getRepositoryInterface().getName() + " declares the id type "
                    + metadata.getIdType().getName() + ", but " + entity.getRequiredIdProperty().describe()
                    + " is a " + idType.getName());
        }
        return new PersistentEntityInformation<>(entity);
    }

    @Override
    protected Object getTargetRepository(RepositoryInformation information) {
        return getTargetRepositoryViaReflection(information, getEntityInformation(information), template);
    }

    @Override
    protected Class<?> getRepositoryBaseClass(RepositoryMetadata metadata) {
        return SimpleEdgeShardRepository.class;
    }

    @Override
    protected Optional<QueryLookupStrategy> getQueryLookupStrategy(QueryLookupStrategy.Key key,
            ValueExpressionDelegate valueExpressionDelegate) {
        return Optional.of((method, metadata, projectionFactory, namedQueries) ->
                new EdgePartTreeQuery(new EdgeQueryMethod(method, metadata, projectionFactory), template));
    }
}
