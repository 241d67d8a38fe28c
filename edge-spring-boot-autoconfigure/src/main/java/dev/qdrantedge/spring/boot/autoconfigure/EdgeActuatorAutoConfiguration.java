package dev.qdrantedge.spring.boot.autoconfigure;

import dev.qdrantedge.engine.sync.EdgeStore;
import io.micrometer.core.instrument.MeterRegistry;
import io.qdrant.client.QdrantClient;
import io.qdrant.client.grpc.QdrantOuterClass.HealthCheckRequest;
import java.time.Clock;
import java.util.concurrent.TimeUnit;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.actuate.autoconfigure.endpoint.condition.ConditionalOnAvailableEndpoint;
import org.springframework.boot.actuate.endpoint.annotation.Endpoint;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.health.autoconfigure.contributor.ConditionalOnEnabledHealthIndicator;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * Observability of the edge store, each part only when its library is on the classpath:
 *
 * <ul>
 *   <li>with {@code spring-boot-health}: the {@code qdrantEdge} {@link EdgeHealthIndicator} (thresholds
 *       {@code qdrant.edge.health.*}; turned off by {@code management.health.qdrantedge.enabled=false}), which pings
 *       the server through the {@link QdrantClient} when there is one;</li>
 *   <li>with {@code spring-boot-actuator}: the {@code qdrantedge} {@link EdgeEndpoint} (available when exposed);</li>
 *   <li>with Micrometer and a {@link MeterRegistry}: the {@link EdgeMetrics} meters, and the search timer around the
 *       repositories' operations.</li>
 * </ul>
 */
@AutoConfiguration(after = {EdgeStoreAutoConfiguration.class, EdgeOutboxAutoConfiguration.class,
    EdgeSyncAutoConfiguration.class, QdrantClientAutoConfiguration.class},
        afterName = {"org.springframework.boot.micrometer.metrics.autoconfigure.MetricsAutoConfiguration",
            "org.springframework.boot.micrometer.metrics.autoconfigure.CompositeMeterRegistryAutoConfiguration",
            "org.springframework.boot.micrometer.metrics.autoconfigure.export.simple."
                    + "SimpleMetricsExportAutoConfiguration"})
@ConditionalOnBean(EdgeStore.class)
@EnableConfigurationProperties(EdgeProperties.class)
public class EdgeActuatorAutoConfiguration {

    /** The health indicator. */
    @Configuration(proxyBeanMethods = false)
    @ConditionalOnClass(HealthIndicator.class)
    @ConditionalOnEnabledHealthIndicator("qdrantedge")
    static class HealthConfiguration {

        @Bean
        @ConditionalOnMissingBean(name = "qdrantEdgeHealthIndicator")
        EdgeHealthIndicator qdrantEdgeHealthIndicator(EdgeStore store, EdgeProperties properties,
                ObjectProvider<EdgeMirrorRefresher> refresher, ObjectProvider<EdgeHealthIndicator.ServerPing> ping) {
            return new EdgeHealthIndicator(store, properties.getHealth(), refresher.getIfAvailable(),
                    ping.getIfAvailable(), Clock.systemUTC());
        }
    }

    /** The server's health check for the health indicator, through the gRPC client. */
    @Configuration(proxyBeanMethods = false)
    @ConditionalOnClass({HealthIndicator.class, QdrantClient.class})
    @ConditionalOnBean(QdrantClient.class)
    static class ServerPingConfiguration {

        @Bean
        @ConditionalOnMissingBean
        EdgeHealthIndicator.ServerPing qdrantEdgeServerPing(QdrantClient client) {
            return timeout -> client.grpcClient().qdrant()
                    .withDeadlineAfter(timeout.toNanos(), TimeUnit.NANOSECONDS)
                    .healthCheck(HealthCheckRequest.getDefaultInstance())
                    .get(timeout.toNanos(), TimeUnit.NANOSECONDS).getVersion();
        }
    }

    /** The endpoint. */
    @Configuration(proxyBeanMethods = false)
    @ConditionalOnClass(value = Endpoint.class, name = "org.springframework.boot.actuate.autoconfigure.endpoint"
            + ".condition.ConditionalOnAvailableEndpoint")
    static class EndpointConfiguration {

        @Bean
        @ConditionalOnMissingBean
        @ConditionalOnAvailableEndpoint
        EdgeEndpoint qdrantEdgeEndpoint(EdgeStore store, ObjectProvider<EdgeOutboxDelivery> delivery,
                ObjectProvider<EdgeMirrorRefresher> refresher) {
            return new EdgeEndpoint(store, delivery.getIfAvailable(), refresher.getIfAvailable());
        }
    }

    /** The meters. */
    @Configuration(proxyBeanMethods = false)
    @ConditionalOnClass(MeterRegistry.class)
    @ConditionalOnBean(MeterRegistry.class)
    static class MetricsConfiguration {

        @Bean
        @ConditionalOnMissingBean
        EdgeMetrics qdrantEdgeMetrics(EdgeStore store, ObjectProvider<EdgeOutboxDelivery> delivery,
                ObjectProvider<EdgeMirrorRefresher> refresher) {
            return new EdgeMetrics(store, delivery.getIfAvailable(), refresher.getIfAvailable());
        }

        @Bean
        EdgeOperationsDecorator qdrantEdgeSearchTimer(EdgeMetrics metrics) {
            return metrics.decorator();
        }
    }
}
