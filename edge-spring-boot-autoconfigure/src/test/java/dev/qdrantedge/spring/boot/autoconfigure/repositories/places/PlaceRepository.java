package dev.qdrantedge.spring.boot.autoconfigure.repositories.places;

import dev.qdrantedge.spring.data.repository.EdgeShardRepository;
import java.util.List;
import org.springframework.data.domain.Limit;
import org.springframework.data.domain.SearchResults;
import org.springframework.data.domain.Vector;

/** The sample application's repository. */
public interface PlaceRepository extends EdgeShardRepository<Place, Long> {

    List<Place> findByCountryOrderByNameAsc(String country);

    SearchResults<Place> searchByCountryAndLocationNear(String country, Vector location, Limit limit);
}
