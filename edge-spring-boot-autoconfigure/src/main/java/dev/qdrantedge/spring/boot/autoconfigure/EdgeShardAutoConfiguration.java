package dev.qdrantedge.spring.boot.autoconfigure;

import dev.qdrantedge.engine.shard.EdgeShard;
import dev.qdrantedge.engine.shard.WriteOptions;
import java.nio.file.Files;
import java.nio.file.Path;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;

/**
 * The local edge shard: loads the shard at {@code qdrant.edge.path}, or creates it from {@code qdrant.edge.vectors}
 * and {@code sparse-vectors} when the directory holds none. When vectors are configured and the shard exists, they
 * must agree with what it stores; unset tunables keep the stored values. Durability follows {@code fsync},
 * {@code fsync-interval} and {@code flush-interval}.
 *
 * <p>The shard is closed when the context closes, after every bean that uses it (the web server's graceful
 * shutdown included): closing flushes the segments, truncates the WAL and releases the directory lock.
 */
@AutoConfiguration
@EnableConfigurationProperties(EdgeProperties.class)
public class EdgeShardAutoConfiguration {

    @Bean(destroyMethod = "close")
    @ConditionalOnMissingBean
    public EdgeShard edgeShard(EdgeProperties properties) {
        Path path = properties.getPath();
        WriteOptions options = properties.writeOptions();
        if (Files.isDirectory(path.resolve(EdgeShard.SEGMENTS_DIR))) {
            return EdgeShard.load(path, properties.hasVectors() ? properties.edgeConfig() : null, options);
        }
        if (!properties.hasVectors()) {
            throw new IllegalStateException("qdrant.edge.path (" + path + ") holds no shard, and qdrant.edge.vectors"
                    + " is empty, as is qdrant.edge.sparse-vectors: configure at least one vector, e.g. "
                    + "qdrant.edge.vectors.text.size=384 and qdrant.edge.vectors.text.distance=Cosine");
        }
        return EdgeShard.create(path, properties.edgeConfig(), options);
    }
}
