package dev.qdrantedge.spring.boot.autoconfigure;

import dev.qdrantedge.engine.EdgeOperations;
import dev.qdrantedge.engine.shard.EdgeShard;
import dev.qdrantedge.engine.sync.EdgeStore;
import java.nio.file.Files;
import java.nio.file.Path;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Primary;

/**
 * The edge store: an {@link EdgeStore} in {@code qdrant.edge.path}, whose {@code local/} shard is created from
 * {@code qdrant.edge.vectors} and {@code sparse-vectors} when the directory holds none. When vectors are configured
 * and the shard exists, they must agree with what it stores; unset tunables keep the stored values. Durability
 * follows {@code fsync}, {@code fsync-interval}, {@code flush-interval} and {@code outbox.fsync}.
 *
 * <p>The store is the application's {@link EdgeOperations}, marked {@link Primary} so that it is the one the
 * repositories' template and the application's own injection points get even when other {@code EdgeOperations}
 * beans exist. Without a server nothing else happens: the application reads and writes the store, and the outbox
 * keeps every write until a server is configured ({@link EdgeOutboxAutoConfiguration} delivers them then). An
 * application that defines its own {@code EdgeOperations} (an {@code EdgeStore}, or a plain {@link EdgeShard}) gets
 * none: with a plain shard there is no outbox and no sync.
 *
 * <p>The store is closed when the context closes, after every bean that uses it and after the outbox publisher and
 * the mirror refresher stopped (they are lifecycle beans): closing flushes the local shard, forces the outbox and
 * releases the directory's locks.
 */
@AutoConfiguration
@EnableConfigurationProperties(EdgeProperties.class)
public class EdgeStoreAutoConfiguration {

    @Bean(destroyMethod = "close")
    @Primary
    @ConditionalOnMissingBean(EdgeOperations.class)
    public EdgeStore edgeStore(EdgeProperties properties) {
        Path path = properties.getPath();
        if (Files.isDirectory(path.resolve(EdgeShard.SEGMENTS_DIR))) {
            throw new IllegalStateException("qdrant.edge.path (" + path + ") holds a bare shard (" + path.resolve(
                    EdgeShard.SEGMENTS_DIR) + "), not an edge store: the directory now holds the store's "
                    + EdgeStore.LOCAL_DIR + "/, " + EdgeStore.MIRROR_DIR + "/ and " + EdgeStore.OUTBOX_DIR
                    + "/. Stop the application and move the shard's files into " + path.resolve(EdgeStore.LOCAL_DIR)
                    + " to keep its points, or point qdrant.edge.path at another directory");
        }
        boolean exists = Files.isDirectory(path.resolve(EdgeStore.LOCAL_DIR).resolve(EdgeShard.SEGMENTS_DIR));
        if (!exists && !properties.hasVectors()) {
            throw new IllegalStateException("qdrant.edge.path (" + path + ") holds no store, and qdrant.edge.vectors"
                    + " is empty, as is qdrant.edge.sparse-vectors: configure at least one vector, e.g. "
                    + "qdrant.edge.vectors.text.size=384 and qdrant.edge.vectors.text.distance=Cosine");
        }
        return EdgeStore.open(path, properties.hasVectors() ? properties.edgeConfig() : null,
                properties.storeOptions());
    }
}
