package dev.qdrantedge.engine.shard;

/**
 * Summary of a loaded shard.
 *
 * @param segmentsCount segments loaded
 * @param pointsCount live points (after "highest version wins" across segments)
 */
public record ShardInfo(int segmentsCount, long pointsCount) {
}
