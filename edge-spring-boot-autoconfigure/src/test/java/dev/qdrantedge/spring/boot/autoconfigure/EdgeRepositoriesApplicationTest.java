package dev.qdrantedge.spring.boot.autoconfigure;

import static org.assertj.core.api.Assertions.assertThat;

import dev.qdrantedge.spring.boot.autoconfigure.repositories.places.Place;
import dev.qdrantedge.spring.boot.autoconfigure.repositories.places.PlaceRepository;
import dev.qdrantedge.spring.boot.autoconfigure.repositories.places.PlacesApplication;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.data.domain.Limit;
import org.springframework.data.domain.SearchResults;
import org.springframework.data.domain.Vector;

/**
 * A whole Spring Boot application whose code is an entity and a repository interface: the starter's
 * auto-configuration creates the shard and the repository; what it saves is there after a restart.
 */
class EdgeRepositoriesApplicationTest {

    @TempDir
    Path temp;

    private ConfigurableApplicationContext start(Path shard) {
        return new SpringApplicationBuilder(PlacesApplication.class).web(WebApplicationType.NONE)
                .properties("qdrant.edge.path=" + shard, "qdrant.edge.vectors.v.size=2",
                        "qdrant.edge.vectors.v.distance=Dot", "spring.main.banner-mode=off")
                .run();
    }

    @Test
    void aUsersRepositoryWorksEndToEndAndItsDataSurvivesARestart() {
        Path shard = temp.resolve("places");
        try (ConfigurableApplicationContext context = start(shard)) {
            PlaceRepository places = context.getBean(PlaceRepository.class);
            places.saveAll(List.of(new Place(1L, "Brandenburg Gate", "DE", new float[] {1, 0}),
                    new Place(2L, "Alexanderplatz", "DE", new float[] {0.6f, 0.4f}),
                    new Place(3L, "Belem Tower", "PT", new float[] {1, 0})));
            assertThat(places.findByCountryOrderByNameAsc("DE")).extracting(Place::name)
                    .containsExactly("Alexanderplatz", "Brandenburg Gate");
            SearchResults<Place> nearest = places.searchByCountryAndLocationNear("DE", Vector.of(0f, 1f), Limit.of(1));
            assertThat(nearest.contentStream().map(Place::id)).containsExactly(2L);
        }
        try (ConfigurableApplicationContext context = start(shard)) {
            PlaceRepository places = context.getBean(PlaceRepository.class);
            assertThat(places.count()).isEqualTo(3);
            assertThat(places.findById(3L)).map(Place::name).contains("Belem Tower");
        }
    }
}
