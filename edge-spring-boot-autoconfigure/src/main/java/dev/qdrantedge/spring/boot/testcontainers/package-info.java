/**
 * Spring Boot's {@code @ServiceConnection} support for a Testcontainers {@code QdrantContainer}: tests get
 * {@link dev.qdrantedge.spring.boot.autoconfigure.QdrantEdgeConnectionDetails} for the container, and with them a
 * configured server, without setting {@code qdrant.edge.server.*}.
 */
package dev.qdrantedge.spring.boot.testcontainers;
