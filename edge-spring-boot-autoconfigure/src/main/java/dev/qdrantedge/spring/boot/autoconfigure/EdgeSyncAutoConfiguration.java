package dev.qdrantedge.spring.boot.autoconfigure;

import dev.qdrantedge.engine.sync.EdgeStore;
import dev.qdrantedge.engine.sync.HttpSnapshotOptions;
import dev.qdrantedge.engine.sync.HttpSnapshotSource;
import dev.qdrantedge.engine.sync.SnapshotSource;
import java.time.Clock;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;

/**
 * The mirror of the server's shard, when the application has an {@link EdgeStore}, a server is configured
 * ({@link QdrantEdgeConnectionDetails}) and {@code qdrant.edge.sync.enabled} is not false:
 *
 * <ul>
 *   <li>an {@link HttpSnapshotSource} for shard {@code qdrant.edge.server.shard-id} of {@code collection-name} at the
 *       details' REST base URI, with their API key and TLS ({@code https}); {@code server.connect-timeout} to
 *       connect, {@code server.request-timeout} for each answer and each piece of an archive,
 *       {@code sync.download-timeout} for a whole download, and {@code sync.max-snapshot-size} as the largest
 *       archive; unless the application defines its own {@link SnapshotSource};</li>
 *   <li>an {@link EdgeMirrorRefresher} refreshing the store from it every {@code sync.refresh-interval} on a thread
 *       of its own, bootstrapping as {@code sync.bootstrap} says.</li>
 * </ul>
 */
@AutoConfiguration(after = {EdgeStoreAutoConfiguration.class, EdgeServerConnectionAutoConfiguration.class})
@ConditionalOnBean({EdgeStore.class, QdrantEdgeConnectionDetails.class})
@ConditionalOnBooleanProperty(name = "qdrant.edge.sync.enabled", matchIfMissing = true)
@EnableConfigurationProperties(EdgeProperties.class)
public class EdgeSyncAutoConfiguration {

    @Bean
    @ConditionalOnMissingBean(SnapshotSource.class)
    public HttpSnapshotSource edgeSnapshotSource(QdrantEdgeConnectionDetails details, EdgeProperties properties) {
        EdgeProperties.Server server = properties.getServer();
        EdgeProperties.Sync sync = properties.getSync();
        String collection = server.requiredCollectionName();
        HttpSnapshotOptions options = InvalidEdgePropertyException.converting("server", () ->
                HttpSnapshotOptions.builder(details.getRestBaseUri(), collection, server.getShardId())
                        .apiKey(details.getApiKey())
                        .connectTimeout(server.getConnectTimeout())
                        .readTimeout(server.getRequestTimeout())
                        .requestTimeout(sync.getDownloadTimeout())
                        .maxArchiveBytes(sync.getMaxSnapshotSize().toBytes())
                        .build());
        return new HttpSnapshotSource(options);
    }

    @Bean
    @ConditionalOnMissingBean
    public EdgeMirrorRefresher edgeMirrorRefresher(EdgeStore store, SnapshotSource source,
            ObjectProvider<QdrantEdgeConnectionDetails> details, EdgeProperties properties) {
        String server = source instanceof HttpSnapshotSource http ? http.options().fullSnapshotUri().toString()
                : String.valueOf(details.getIfAvailable());
        return new EdgeMirrorRefresher(store, source, properties.getSync(), server, Clock.systemUTC());
    }
}
