package dev.qdrantedge.spring.boot.autoconfigure;

import dev.qdrantedge.engine.sync.EdgeStore;
import dev.qdrantedge.engine.sync.OutboxSink;
import dev.qdrantedge.spring.client.QdrantOutboxSink;
import dev.qdrantedge.spring.client.QdrantSinkOptions;
import io.qdrant.client.QdrantClient;
import java.time.Clock;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.util.StringUtils;

/**
 * Delivery of local writes to the server, when the application has an {@link EdgeStore} and a {@link QdrantClient}
 * (a server is configured):
 *
 * <ul>
 *   <li>a {@link QdrantOutboxSink} writing to {@code qdrant.edge.server.collection-name} (with {@code shard-key} as
 *       a keyword shard key when set, and {@code request-timeout} as every call's deadline), unless the application
 *       defines its own {@link OutboxSink};</li>
 *   <li>an {@link EdgeOutboxDelivery}: an {@code OutboxPublisher} on the store's outbox, started with the context and
 *       stopped gracefully before the store closes, batching by {@code qdrant.edge.outbox.batch-size} and
 *       {@code linger}. Each delivery is repeated quickly on transient failures ({@link RetryingOutboxSink},
 *       {@code outbox.retry.*}); when those retries are exhausted the outbox waits {@code outbox.backoff.*} before
 *       its next attempt, durably and forever.</li>
 * </ul>
 */
@AutoConfiguration(after = {EdgeStoreAutoConfiguration.class, QdrantClientAutoConfiguration.class})
@ConditionalOnClass(QdrantClient.class)
@ConditionalOnBean({EdgeStore.class, QdrantClient.class})
@EnableConfigurationProperties(EdgeProperties.class)
public class EdgeOutboxAutoConfiguration {

    @Bean
    @ConditionalOnMissingBean(OutboxSink.class)
    public QdrantOutboxSink qdrantOutboxSink(QdrantClient client, EdgeProperties properties) {
        EdgeProperties.Server server = properties.getServer();
        QdrantSinkOptions options = InvalidEdgePropertyException.converting("server", () -> {
            QdrantSinkOptions o = QdrantSinkOptions.forCollection(server.requiredCollectionName())
                    .withCallTimeout(server.getRequestTimeout());
            return StringUtils.hasText(server.getShardKey()) ? o.withShardKey(server.getShardKey().trim()) : o;
        });
        return new QdrantOutboxSink(client, options);
    }

    @Bean
    @ConditionalOnMissingBean
    public EdgeOutboxDelivery edgeOutboxDelivery(EdgeStore store, OutboxSink sink, EdgeProperties properties) {
        EdgeProperties.Outbox outbox = properties.getOutbox();
        return new EdgeOutboxDelivery(store, new RetryingOutboxSink(sink, outbox.getRetry().toRetryPolicy()),
                outbox.publisherOptions(), outbox.getDrainTimeout(), Clock.systemUTC());
    }
}
