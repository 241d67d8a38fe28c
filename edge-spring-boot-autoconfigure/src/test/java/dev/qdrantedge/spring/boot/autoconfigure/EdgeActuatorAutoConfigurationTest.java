package dev.qdrantedge.spring.boot.autoconfigure;

import static dev.qdrantedge.spring.boot.autoconfigure.EdgeOutboxAutoConfigurationTest.CONFIG;
import static org.assertj.core.api.Assertions.assertThat;

import dev.qdrantedge.engine.sync.EdgeStore;
import dev.qdrantedge.spring.boot.autoconfigure.repositories.places.Place;
import dev.qdrantedge.spring.boot.autoconfigure.repositories.places.PlaceRepository;
import dev.qdrantedge.spring.data.core.EdgeTemplate;
import dev.qdrantedge.spring.testsupport.FakeQdrantServer;
import io.micrometer.core.instrument.MeterRegistry;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.actuate.endpoint.annotation.Endpoint;
import org.springframework.boot.autoconfigure.AutoConfigurationPackage;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.boot.health.contributor.Status;
import org.springframework.boot.micrometer.metrics.autoconfigure.CompositeMeterRegistryAutoConfiguration;
import org.springframework.boot.micrometer.metrics.autoconfigure.MetricsAutoConfiguration;
import org.springframework.boot.micrometer.metrics.autoconfigure.export.simple.SimpleMetricsExportAutoConfiguration;
import org.springframework.boot.test.context.FilteredClassLoader;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.annotation.Configuration;
import org.springframework.data.domain.Limit;
import org.springframework.data.domain.Vector;

/** The health indicator, the endpoint and the meters, each only with its library. */
class EdgeActuatorAutoConfigurationTest {

    @TempDir
    Path temp;

    /** The places application's package, for its repository. */
    @Configuration(proxyBeanMethods = false)
    @AutoConfigurationPackage(basePackageClasses = Place.class)
    static class PlacesPackage {
    }

    private ApplicationContextRunner runner(String store) {
        return new ApplicationContextRunner()
                .withConfiguration(AutoConfigurations.of(EdgeStoreAutoConfiguration.class,
                        EdgeServerConnectionAutoConfiguration.class, QdrantClientAutoConfiguration.class,
                        EdgeRepositoriesAutoConfiguration.class, EdgeOutboxAutoConfiguration.class,
                        EdgeSyncAutoConfiguration.class, EdgeActuatorAutoConfiguration.class,
                        MetricsAutoConfiguration.class, CompositeMeterRegistryAutoConfiguration.class,
                        SimpleMetricsExportAutoConfiguration.class))
                .withUserConfiguration(PlacesPackage.class)
                .withPropertyValues("qdrant.edge.path=" + temp.resolve(store), "qdrant.edge.vectors.v.size=2",
                        "qdrant.edge.vectors.v.distance=Dot");
    }

    @Test
    void withoutActuatorOrMicrometerThereAreNoneOfTheirBeans() {
        new ApplicationContextRunner()
                .withConfiguration(AutoConfigurations.of(EdgeStoreAutoConfiguration.class,
                        EdgeRepositoriesAutoConfiguration.class, EdgeActuatorAutoConfiguration.class))
                .withUserConfiguration(PlacesPackage.class)
                .withPropertyValues("qdrant.edge.path=" + temp.resolve("plain"), "qdrant.edge.vectors.v.size=2",
                        "management.endpoints.web.exposure.include=qdrantedge")
                .withClassLoader(new FilteredClassLoader(HealthIndicator.class, Endpoint.class, MeterRegistry.class))
                .run(context -> {
                    assertThat(context).hasSingleBean(EdgeStore.class).hasSingleBean(EdgeTemplate.class);
                    assertThat(context).doesNotHaveBean(EdgeHealthIndicator.class)
                            .doesNotHaveBean(EdgeEndpoint.class).doesNotHaveBean(EdgeMetrics.class)
                            .doesNotHaveBean(EdgeOperationsDecorator.class);
                    assertThat(context.getBean(EdgeTemplate.class).getOperations())
                            .isSameAs(context.getBean(EdgeStore.class));
                });
    }

    @Test
    void theHealthIndicatorIsThereUnlessTurnedOff() {
        runner("health").run(context -> {
            assertThat(context).hasSingleBean(EdgeHealthIndicator.class).hasBean("qdrantEdgeHealthIndicator");
            assertThat(context).doesNotHaveBean(EdgeHealthIndicator.ServerPing.class);
            assertThat(context.getBean(EdgeHealthIndicator.class).health().getStatus()).isEqualTo(Status.UP);
        });
        runner("health-off").withPropertyValues("management.health.qdrantedge.enabled=false").run(context ->
                assertThat(context).doesNotHaveBean(EdgeHealthIndicator.class));
    }

    @Test
    void theEndpointIsThereOnceExposed() {
        runner("hidden").run(context -> assertThat(context).doesNotHaveBean(EdgeEndpoint.class));
        runner("exposed").withPropertyValues("management.endpoints.web.exposure.include=qdrantedge").run(context ->
                assertThat(context).hasSingleBean(EdgeEndpoint.class));
    }

    @Test
    void theMetersMeasureTheStoreAndTheRepositoriesSearches() {
        runner("metrics").run(context -> {
            assertThat(context).hasSingleBean(EdgeMetrics.class);
            MeterRegistry registry = context.getBean(MeterRegistry.class);
            PlaceRepository places = context.getBean(PlaceRepository.class);
            places.saveAll(List.of(new Place(1L, "Alfama", "PT", new float[] {1, 0}),
                    new Place(2L, "Belem", "PT", new float[] {0, 1})));
            assertThat(places.searchByCountryAndLocationNear("PT", Vector.of(1f, 0f), Limit.of(1))
                    .getContent()).hasSize(1);

            assertThat(registry.get(EdgeMetrics.SEARCH).timer().count()).isEqualTo(1);
            assertThat(registry.get(EdgeMetrics.OUTBOX_BACKLOG).gauge().value()).as("one saveAll, one entry")
                    .isEqualTo(1);
            assertThat(registry.get(EdgeMetrics.OUTBOX_DEAD).gauge().value()).isZero();
            assertThat(registry.get(EdgeMetrics.OUTBOX_OLDEST_PENDING_AGE).timeGauge().value()).isNotNegative();
            assertThat(registry.find(EdgeMetrics.OUTBOX_DELIVERED).meter()).as("no server, no deliveries").isNull();
            assertThat(registry.find(EdgeMetrics.REFRESH).meter()).as("no server, no refreshes").isNull();
        });
    }

    @Test
    void withAServerTheHealthPingsItAndTheMetersCountDeliveriesAndRefreshes() throws Exception {
        FakeQdrantServer server = FakeQdrantServer.builder("notes", CONFIG).tcp().http().start();
        try {
            runner("server").withPropertyValues("qdrant.edge.server.url=" + server.restBaseUri(),
                    "qdrant.edge.server.grpc-port=" + server.port(), "qdrant.edge.server.collection-name=notes",
                    "qdrant.edge.sync.initial-delay=1h").run(context -> {
                        context.getBean(EdgeStore.class).update(EdgeOutboxAutoConfigurationTest.upsert(1, 1, 1));
                        assertThat(context.getBean(EdgeOutboxDelivery.class)
                                .awaitDrained(EdgeOutboxAutoConfigurationTest.WAIT)).isTrue();
                        context.getBean(EdgeMirrorRefresher.class).triggerRefresh().get();

                        Health health = context.getBean(EdgeHealthIndicator.class).health();
                        assertThat(health.getStatus()).isEqualTo(Status.UP);
                        assertThat(health.getDetails().get("server"))
                                .isEqualTo(Map.of("version", FakeQdrantServer.DEFAULT_VERSION, "reachable", true));

                        MeterRegistry registry = context.getBean(MeterRegistry.class);
                        assertThat(registry.get(EdgeMetrics.OUTBOX_DELIVERED).functionCounter().count())
                                .isEqualTo(1);
                        assertThat(registry.get(EdgeMetrics.OUTBOX_FAILED_ATTEMPTS).functionCounter().count())
                                .isZero();
                        assertThat(registry.get(EdgeMetrics.OUTBOX_BACKLOG).gauge().value()).isZero();
                        assertThat(registry.get(EdgeMetrics.REFRESH).functionTimer().count()).isEqualTo(1);
                        assertThat(registry.get(EdgeMetrics.REFRESH_BYTES).functionCounter().count())
                                .isEqualTo(server.snapshotBytesServed());
                        assertThat(registry.get(EdgeMetrics.REFRESH_FAILURES).functionCounter().count()).isZero();

                        server.close(); // gone: its health check answers no more
                        Health away = context.getBean(EdgeHealthIndicator.class).health();
                        assertThat(away.getStatus()).isEqualTo(Status.OUT_OF_SERVICE);
                        assertThat(away.getDetails().get("server").toString()).contains("reachable=false");
                    });
        } finally {
            server.close();
        }
    }
}
