package dev.qdrantedge.spring.data.repository;

import org.springframework.data.repository.ListCrudRepository;
import org.springframework.data.repository.ListPagingAndSortingRepository;
import org.springframework.data.repository.NoRepositoryBean;

/**
 * A repository of entities stored as the points of an edge shard. Beyond the CRUD, paging and sorting
 * methods, an interface extending it declares derived queries ({@code findByCityAndAgeGreaterThan}) and vector
 * searches ({@code searchByEmbeddingNear(Vector vector, Score threshold, Limit limit)}) that run on the
 * shard's filters and exact search.
 *
 * @param <T> the entity class
 * @param <ID> the type of its {@code @Id}: {@code Long}, {@code UUID} or {@code String}
 */
@NoRepositoryBean
public interface EdgeShardRepository<T, ID> extends ListCrudRepository<T, ID>, ListPagingAndSortingRepository<T, ID> {
}
