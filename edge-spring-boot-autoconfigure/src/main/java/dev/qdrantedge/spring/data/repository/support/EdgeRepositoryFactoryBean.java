package dev.qdrantedge.spring.data.repository.support;

import dev.qdrantedge.spring.data.core.EdgeTemplate;
import org.springframework.data.repository.Repository;
import org.springframework.data.repository.core.support.RepositoryFactoryBeanSupport;
import org.springframework.data.repository.core.support.RepositoryFactorySupport;
import org.springframework.util.Assert;

/**
 * The factory bean of one edge shard repository; {@link #setEdgeTemplate} is required.
 *
 * @param <T> the repository interface
 * @param <S> the entity class
 * @param <ID> the id type
 */
public class EdgeRepositoryFactoryBean<T extends Repository<S, ID>, S, ID> extends RepositoryFactoryBeanSupport<T, S, ID> {

    private EdgeTemplate edgeTemplate;

    public EdgeRepositoryFactoryBean(Class<? extends T> repositoryInterface) {
        super(repositoryInterface);
    }

    /** The template the repository reads and writes through; its mapping context is the repository's. */
    public void setEdgeTemplate(EdgeTemplate edgeTemplate) {
        this.edgeTemplate = edgeTemplate;
        setMappingContext(edgeTemplate.getMappingContext());
    }

    @Override
    protected RepositoryFactorySupport createRepositoryFactory() {
        return new EdgeRepositoryFactory(edgeTemplate);
    }

    @Override
    public void afterPropertiesSet() {
        Assert.state(edgeTemplate != null, "an EdgeTemplate is required (setEdgeTemplate)");
        super.afterPropertiesSet();
    }
}
