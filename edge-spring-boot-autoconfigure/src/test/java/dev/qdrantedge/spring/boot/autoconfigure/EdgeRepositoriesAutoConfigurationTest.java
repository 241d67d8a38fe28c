package dev.qdrantedge.spring.boot.autoconfigure;

import static org.assertj.core.api.Assertions.assertThat;

import dev.qdrantedge.engine.sync.EdgeStore;
import dev.qdrantedge.spring.boot.autoconfigure.repositories.cities.City;
import dev.qdrantedge.spring.boot.autoconfigure.repositories.cities.CityRepository;
import dev.qdrantedge.spring.boot.autoconfigure.repositories.places.Place;
import dev.qdrantedge.spring.boot.autoconfigure.repositories.places.PlaceRepository;
import dev.qdrantedge.spring.data.config.EnableEdgeRepositories;
import dev.qdrantedge.spring.data.core.EdgeEntityConverter;
import dev.qdrantedge.spring.data.core.EdgeTemplate;
import dev.qdrantedge.spring.data.RecordingOperations;
import dev.qdrantedge.spring.data.mapping.EdgeMappingContext;
import dev.qdrantedge.spring.data.repository.EdgeShardRepository;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.autoconfigure.AutoConfigurationPackage;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.FilteredClassLoader;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import tools.jackson.databind.json.JsonMapper;

class EdgeRepositoriesAutoConfigurationTest {

    @TempDir
    Path temp;

    private final ApplicationContextRunner runner = new ApplicationContextRunner()
            .withConfiguration(AutoConfigurations.of(EdgeStoreAutoConfiguration.class,
                    EdgeRepositoriesAutoConfiguration.class))
            .withPropertyValues("qdrant.edge.vectors.v.size=2", "qdrant.edge.vectors.v.distance=Dot");

    /** What {@code @SpringBootApplication} in the places package declares for repository scanning. */
    @Configuration(proxyBeanMethods = false)
    @AutoConfigurationPackage(basePackageClasses = Place.class)
    static class PlacesPackage {
    }

    /** An application that configures its repositories itself, in another package. */
    @Configuration(proxyBeanMethods = false)
    @AutoConfigurationPackage(basePackageClasses = Place.class)
    @EnableEdgeRepositories(basePackageClasses = City.class)
    static class OwnRepositories {
    }

    /** An application with its own converter (and so its own Jackson settings). */
    @Configuration(proxyBeanMethods = false)
    @AutoConfigurationPackage(basePackageClasses = Place.class)
    static class OwnConverter {
        @Bean
        EdgeEntityConverter edgeEntityConverter() {
            return new EdgeEntityConverter(new EdgeMappingContext(), JsonMapper.builder().build());
        }
    }

    /** An application with its own template, recording the updates the repositories make. */
    @Configuration(proxyBeanMethods = false)
    @AutoConfigurationPackage(basePackageClasses = Place.class)
    static class OwnTemplate {
        RecordingOperations operations;

        @Bean
        EdgeTemplate notesTemplate(EdgeStore store) {
            operations = new RecordingOperations(store);
            return new EdgeTemplate(operations);
        }
    }

    private String path(String name) {
        return "qdrant.edge.path=" + temp.resolve(name);
    }

    @Test
    void repositoriesOfTheApplicationPackagesAreCreatedOnTheShard() {
        runner.withUserConfiguration(PlacesPackage.class).withPropertyValues(path("auto")).run(context -> {
            assertThat(context).hasSingleBean(EdgeTemplate.class).hasSingleBean(PlaceRepository.class)
                    .doesNotHaveBean(CityRepository.class);
            PlaceRepository places = context.getBean(PlaceRepository.class);
            places.save(new Place(1L, "Brandenburg Gate", "DE", new float[] {1, 0}));
            assertThat(places.findByCountryOrderByNameAsc("DE")).extracting(Place::name)
                    .containsExactly("Brandenburg Gate");
            assertThat(context.getBean(EdgeStore.class).count(null)).isEqualTo(1);
            assertThat(context.getBean(EdgeTemplate.class).getOperations()).isSameAs(context.getBean(EdgeStore.class));
        });
    }

    @Test
    void thePropertyTurnsTheRepositoriesOffButKeepsTheTemplate() {
        runner.withUserConfiguration(PlacesPackage.class)
                .withPropertyValues(path("off"), "qdrant.edge.repositories.enabled=false")
                .run(context -> assertThat(context).hasSingleBean(EdgeTemplate.class)
                        .doesNotHaveBean(PlaceRepository.class));
    }

    @Test
    void anApplicationsOwnEnableEdgeRepositoriesReplacesTheAutomaticOne() {
        runner.withUserConfiguration(OwnRepositories.class).withPropertyValues(path("own")).run(context -> {
            assertThat(context).hasSingleBean(CityRepository.class).doesNotHaveBean(PlaceRepository.class)
                    .hasSingleBean(EdgeTemplate.class);
            CityRepository cities = context.getBean(CityRepository.class);
            cities.save(new City(3L, "Lisbon"));
            assertThat(cities.findAll()).containsExactly(new City(3L, "Lisbon"));
        });
    }

    @Test
    void anApplicationsConverterIsUsedByTheTemplate() {
        runner.withUserConfiguration(OwnConverter.class).withPropertyValues(path("converter")).run(context ->
                assertThat(context.getBean(EdgeTemplate.class).getConverter())
                        .isSameAs(context.getBean(EdgeEntityConverter.class)));
    }

    @Test
    void anApplicationsTemplateWhateverItsNameIsTheRepositoriesTemplate() {
        runner.withUserConfiguration(OwnTemplate.class).withPropertyValues(path("template")).run(context -> {
            assertThat(context).hasSingleBean(EdgeTemplate.class).hasBean("notesTemplate");
            context.getBean(PlaceRepository.class).save(new Place(2L, "Alfama", "PT", new float[] {0, 1}));
            assertThat(context.getBean(OwnTemplate.class).operations.updates()).hasSize(1);
        });
    }

    @Test
    void nothingWithoutAnEdgeStoreOrWithoutSpringData() {
        new ApplicationContextRunner().withConfiguration(AutoConfigurations.of(EdgeRepositoriesAutoConfiguration.class))
                .withUserConfiguration(PlacesPackage.class)
                .run(context -> assertThat(context).doesNotHaveBean(EdgeTemplate.class)
                        .doesNotHaveBean(PlaceRepository.class));
        runner.withUserConfiguration(PlacesPackage.class).withPropertyValues(path("no-data"))
                .withClassLoader(new FilteredClassLoader(EdgeShardRepository.class))
                .run(context -> assertThat(context).hasSingleBean(EdgeStore.class)
                        .doesNotHaveBean(EdgeTemplate.class));
    }
}
