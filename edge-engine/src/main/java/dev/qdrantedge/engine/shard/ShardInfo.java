package dev.qdrantedge.engine.shard;

import dev.qdrantedge.engine.config.EdgeConfig;

/**
 * Summary of a loaded shard.
 *
 * @param segmentsCount segments loaded
 * @param pointsCount live points (after "highest version wins" across segments and WAL replay)
 * @param indexedVectorsCount vectors held by the segments' built indexes (HNSW graphs), as the indexes
 *     record it
 * @param config the shard's vector configuration, or {@code null} for a shard without any
 */
public record ShardInfo(int segmentsCount, long pointsCount, long indexedVectorsCount, EdgeConfig config) {
}
