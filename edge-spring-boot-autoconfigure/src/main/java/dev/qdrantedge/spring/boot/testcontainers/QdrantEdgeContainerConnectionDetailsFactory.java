package dev.qdrantedge.spring.boot.testcontainers;

import dev.qdrantedge.spring.boot.autoconfigure.QdrantEdgeConnectionDetails;
import java.util.Map;
import org.springframework.boot.testcontainers.service.connection.ContainerConnectionDetailsFactory;
import org.springframework.boot.testcontainers.service.connection.ContainerConnectionSource;
import org.testcontainers.qdrant.QdrantContainer;

/**
 * {@link QdrantEdgeConnectionDetails} for a {@code @ServiceConnection} {@link QdrantContainer}: the container's host,
 * its mapped gRPC (6334) and REST (6333) ports, and the API key it was started with
 * ({@link QdrantContainer#withApiKey}); plain text, as the image serves. Registered in {@code META-INF/spring.factories};
 * Spring Boot uses it only when {@code spring-boot-testcontainers} and {@code testcontainers-qdrant} are on the
 * classpath.
 */
class QdrantEdgeContainerConnectionDetailsFactory
        extends ContainerConnectionDetailsFactory<QdrantContainer, QdrantEdgeConnectionDetails> {

    static final int REST_PORT = 6333;
    static final int GRPC_PORT = 6334;
    /** The variable {@link QdrantContainer#withApiKey} sets. */
    static final String API_KEY_ENV = "QDRANT__SERVICE__API_KEY";

    QdrantEdgeContainerConnectionDetailsFactory() {
    }

    @Override
    protected QdrantEdgeConnectionDetails getContainerConnectionDetails(ContainerConnectionSource<QdrantContainer> source) {
        return new QdrantEdgeContainerConnectionDetails(source);
    }

    /** The details of a started container. */
    static final class QdrantEdgeContainerConnectionDetails extends ContainerConnectionDetails<QdrantContainer>
            implements QdrantEdgeConnectionDetails {

        QdrantEdgeContainerConnectionDetails(ContainerConnectionSource<QdrantContainer> source) {
            super(source);
        }

        @Override
        public String getHost() {
            return getContainer().getHost();
        }

        @Override
        public int getGrpcPort() {
            return getContainer().getMappedPort(GRPC_PORT);
        }

        @Override
        public int getHttpPort() {
            return getContainer().getMappedPort(REST_PORT);
        }

        @Override
        public String getApiKey() {
            Map<String, String> env = getContainer().getEnvMap();
            String key = env.get(API_KEY_ENV);
            return key == null || key.isEmpty() ? null : key;
        }

        @Override
        public boolean isUseTls() {
            return false;
        }
    }
}
