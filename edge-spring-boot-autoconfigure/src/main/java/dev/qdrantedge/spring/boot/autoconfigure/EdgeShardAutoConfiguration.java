package dev.qdrantedge.spring.boot.autoconfigure;

import dev.qdrantedge.engine.config.EdgeConfig;
import dev.qdrantedge.engine.config.VectorParams;
import dev.qdrantedge.engine.shard.EdgeShard;
import dev.qdrantedge.engine.vectors.Distance;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import dev.qdrantedge.engine.shard.FsyncPolicy;
import dev.qdrantedge.engine.shard.WriteOptions;
import java.util.LinkedHashMap;
import java.util.Map;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;

/**
 * The local edge shard: loads the shard at {@code qdrant.edge.path}, or creates it from
 * {@code qdrant.edge.vectors} when the directory holds none.
 */
@AutoConfiguration
@EnableConfigurationProperties(EdgeProperties.class)
public class EdgeShardAutoConfiguration {

    @Bean(destroyMethod = "close")
    @ConditionalOnMissingBean
    public EdgeShard edgeShard(EdgeProperties properties) {
        Path path = properties.getPath();
        WriteOptions options = writeOptions(properties);
        if (Files.isDirectory(path.resolve(EdgeShard.SEGMENTS_DIR))) {
            return EdgeShard.load(path, null, options);
        }
        return EdgeShard.create(path, toConfig(properties), options);
    }

    static WriteOptions writeOptions(EdgeProperties properties) {
        FsyncPolicy fsync = properties.getFsync() == EdgeProperties.Fsync.GROUPED
                ? FsyncPolicy.grouped(requirePositive("qdrant.edge.fsync-interval", properties.getFsyncInterval()))
                : FsyncPolicy.perOperation();
        Duration flush = properties.getFlushInterval();
        return new WriteOptions(fsync, flush == null || flush.isZero() || flush.isNegative() ? null : flush);
    }

    private static Duration requirePositive(String property, Duration value) {
        if (value == null || value.isZero() || value.isNegative()) {
            throw new IllegalStateException(property + " must be positive, was " + value);
        }
        return value;
    }

    static EdgeConfig toConfig(EdgeProperties properties) {
        if (properties.getVectors().isEmpty()) {
            throw new IllegalStateException("qdrant.edge.path (" + properties.getPath()
                    + ") holds no shard, and qdrant.edge.vectors is empty: configure at least one vector, e.g. "
                    + "qdrant.edge.vectors.text.size=384 and qdrant.edge.vectors.text.distance=Cosine");
        }
        Map<String, VectorParams> vectors = new LinkedHashMap<>();
        properties.getVectors().forEach((name, v) -> {
            String at = "qdrant.edge.vectors." + name;
            if (v.getSize() <= 0) {
                throw new IllegalStateException(at + ".size must be a positive dimension, was " + v.getSize());
            }
            Distance distance;
            try {
                distance = Distance.fromJson(v.getDistance());
            } catch (IllegalArgumentException e) {
                throw new IllegalStateException(at + ".distance: " + e.getMessage());
            }
            vectors.put(name, new VectorParams(v.getSize(), distance));
        });
        return new EdgeConfig(vectors);
    }
}
