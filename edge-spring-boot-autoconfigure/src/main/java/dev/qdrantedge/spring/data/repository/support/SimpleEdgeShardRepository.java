package dev.qdrantedge.spring.data.repository.support;

import dev.qdrantedge.spring.data.core.EdgeTemplate;
import dev.qdrantedge.spring.data.repository.EdgeShardRepository;
import java.util.List;
import java.util.Optional;
import org.springframework.data.domain.Page;
import org.springframework.data.domain.Pageable;
import org.springframework.data.domain.Sort;
import org.springframework.data.repository.core.EntityInformation;

/**
 * The implementation of {@link EdgeShardRepository}'s own methods, on an {@link EdgeTemplate}.
 *
 * @param <T> the entity class
 * @param <ID> the id type
 */
public class SimpleEdgeShardRepository<T, ID> implements EdgeShardRepository<T, ID> {

    private final EntityInformation<T, ID> entityInformation;
    private final EdgeTemplate template;

    public SimpleEdgeShardRepository(EntityInformation<T, ID> entityInformation, EdgeTemplate template) {
        this.entityInformation = entityInformation;
        this.template = template;
    }

    private Class<T> type() {
        return entityInformation.getJavaType();
    }

    @Override
    public <S extends T> S save(S entity) {
        return template.save(entity);
    }

    @Override
    public <S extends T> List<S> saveAll(Iterable<S> entities) {
        return template.saveAll(entities);
    }

    @Override
    public Optional<T> findById(ID id) {
        return template.findById(id, type());
    }

    @Override
    public boolean existsById(ID id) {
        return template.existsById(id, type());
    }

    @Override
    public List<T> findAll() {
        return template.findAll(type());
    }

    @Override
    public List<T> findAllById(Iterable<ID> ids) {
        return template.findAllById(ids, type());
    }

    @Override
    public long count() {
        return template.count(null);
    }

    @Override
    public void deleteById(ID id) {
        template.deleteById(id, type());
    }

    @Override
    public void delete(T entity) {
        template.delete(entity);
    }

    @Override
    public void deleteAllById(Iterable<? extends ID> ids) {
        template.deleteAllById(ids, type());
    }

    @Override
    public void deleteAll(Iterable<? extends T> entities) {
        template.deleteAll(entities);
    }

    /** Deletes every point of the shard. */
    @Override
    public void deleteAll() {
        template.deleteAll();
    }

    @Override
    public List<T> findAll(Sort sort) {
        return template.findAll(sort, type());
    }

    @Override
    public Page<T> findAll(Pageable pageable) {
        return template.findAll(pageable, type());
    }
}
