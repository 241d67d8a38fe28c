/**
 * Auto-configuration of the edge, one class per concern, all configured by {@link
 * dev.qdrantedge.spring.boot.autoconfigure.EdgeProperties} ({@code qdrant.edge.*}):
 *
 * <ul>
 *   <li>{@link dev.qdrantedge.spring.boot.autoconfigure.EdgeStoreAutoConfiguration}: the {@code EdgeStore} (local
 *       shard, mirror, outbox), the application's {@code EdgeOperations};</li>
 *   <li>{@link dev.qdrantedge.spring.boot.autoconfigure.EdgeServerConnectionAutoConfiguration}: the server's
 *       {@link dev.qdrantedge.spring.boot.autoconfigure.QdrantEdgeConnectionDetails} from properties;</li>
 *   <li>{@link dev.qdrantedge.spring.boot.autoconfigure.QdrantClientAutoConfiguration}: the gRPC
 *       {@code QdrantClient} for those details;</li>
 *   <li>{@link dev.qdrantedge.spring.boot.autoconfigure.EdgeRepositoriesAutoConfiguration}: the Spring Data
 *       template and repositories over the store;</li>
 *   <li>{@link dev.qdrantedge.spring.boot.autoconfigure.EdgeOutboxAutoConfiguration}: delivery of local writes to
 *       the server ({@link dev.qdrantedge.spring.boot.autoconfigure.EdgeOutboxDelivery});</li>
 *   <li>{@link dev.qdrantedge.spring.boot.autoconfigure.EdgeSyncAutoConfiguration}: the mirror of the server's shard
 *       ({@link dev.qdrantedge.spring.boot.autoconfigure.EdgeMirrorRefresher});</li>
 *   <li>{@link dev.qdrantedge.spring.boot.autoconfigure.EdgeActuatorAutoConfiguration}: the health indicator, the
 *       {@code qdrantedge} endpoint and the meters.</li>
 * </ul>
 *
 * <p>Without a server the application runs on the store alone; each later concern adds itself when its condition
 * holds, and every bean gives way to one the application defines.
 */
package dev.qdrantedge.spring.boot.autoconfigure;
