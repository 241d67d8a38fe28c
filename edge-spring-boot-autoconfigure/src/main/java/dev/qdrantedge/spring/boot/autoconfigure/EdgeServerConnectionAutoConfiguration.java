package dev.qdrantedge.spring.boot.autoconfigure;

import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Conditional;

/**
 * The server connection: a {@link QdrantEdgeConnectionDetails} bean from {@code qdrant.edge.server.*} when
 * {@code url} or {@code host} is set and no other connection details are defined (a {@code @ServiceConnection}
 * container or the application's own bean wins). Without either, no server is configured and the application runs
 * on the local shard alone. The gRPC client ({@link QdrantClientAutoConfiguration}) and the snapshot sync use these
 * details.
 */
@AutoConfiguration
@Conditional(OnServerAddressCondition.class)
@EnableConfigurationProperties(EdgeProperties.class)
public class EdgeServerConnectionAutoConfiguration {

    @Bean
    @ConditionalOnMissingBean(QdrantEdgeConnectionDetails.class)
    PropertiesQdrantEdgeConnectionDetails qdrantEdgeConnectionDetails(EdgeProperties properties) {
        return new PropertiesQdrantEdgeConnectionDetails(properties.getServer());
    }
}
