package dev.qdrantedge.spring.boot.autoconfigure.repositories.cities;

import dev.qdrantedge.spring.data.repository.EdgeShardRepository;

/** A repository found only through an explicit {@code @EnableEdgeRepositories}. */
public interface CityRepository extends EdgeShardRepository<City, Long> {
}
