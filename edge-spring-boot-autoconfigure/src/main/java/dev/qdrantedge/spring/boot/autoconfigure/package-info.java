/**
 * Auto-configuration of the edge, one class per concern, all configured by {@link
 * dev.qdrantedge.spring.boot.autoconfigure.EdgeProperties} ({@code qdrant.edge.*}):
 *
 * <ul>
 *   <li>{@link dev.qdrantedge.spring.boot.autoconfigure.EdgeShardAutoConfiguration}: the local
 *       {@code EdgeShard};</li>
 *   <li>{@link dev.qdrantedge.spring.boot.autoconfigure.EdgeServerConnectionAutoConfiguration}: the server's
 *       {@link dev.qdrantedge.spring.boot.autoconfigure.QdrantEdgeConnectionDetails} from properties;</li>
 *   <li>{@link dev.qdrantedge.spring.boot.autoconfigure.QdrantClientAutoConfiguration}: the gRPC
 *       {@code QdrantClient} for those details.</li>
 * </ul>
 *
 * <p>The sync, outbox and actuator concerns get their own classes here ({@code EdgeSyncAutoConfiguration},
 * {@code EdgeOutboxAutoConfiguration}, {@code EdgeActuatorAutoConfiguration}), ordered after the shard and the
 * server connection; their settings are already bound and validated ({@code qdrant.edge.sync.*},
 * {@code qdrant.edge.outbox.*}).
 */
package dev.qdrantedge.spring.boot.autoconfigure;
