package dev.qdrantedge.spring.boot.testcontainers;

import static org.assertj.core.api.Assertions.assertThat;

import dev.qdrantedge.spring.boot.autoconfigure.EdgeServerConnectionAutoConfiguration;
import dev.qdrantedge.spring.boot.autoconfigure.QdrantClientAutoConfiguration;
import dev.qdrantedge.spring.boot.autoconfigure.QdrantEdgeConnectionDetails;
import io.qdrant.client.QdrantClient;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.autoconfigure.ImportAutoConfiguration;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.testcontainers.service.connection.ServiceConnection;
import org.springframework.context.annotation.Configuration;
import org.testcontainers.junit.jupiter.Container;
import org.testcontainers.junit.jupiter.Testcontainers;
import org.testcontainers.qdrant.QdrantContainer;

/**
 * {@code @ServiceConnection} on a real Qdrant container gives the edge its server: no {@code qdrant.edge.server.host}
 * or {@code url} is set, yet the connection details and the gRPC client point at the container, with its API key.
 * Needs a Docker engine; without one the class is skipped and says so.
 */
@ExtendWith(DockerSkipNotice.class)
@Testcontainers(disabledWithoutDocker = true)
@SpringBootTest(classes = QdrantContainerServiceConnectionTest.Application.class,
        properties = "qdrant.edge.server.collection-name=docs")
class QdrantContainerServiceConnectionTest {

    private static final String API_KEY = "service-connection-key";

    @Container
    @ServiceConnection
    static final QdrantContainer QDRANT = new QdrantContainer("qdrant/qdrant:v1.19.0").withApiKey(API_KEY);

    @Configuration(proxyBeanMethods = false)
    @ImportAutoConfiguration({EdgeServerConnectionAutoConfiguration.class, QdrantClientAutoConfiguration.class})
    static class Application {
    }

    @Autowired
    QdrantEdgeConnectionDetails details;

    @Autowired
    QdrantClient client;

    @Test
    void theContainerIsTheServer() throws Exception {
        assertThat(details).isInstanceOf(
                QdrantEdgeContainerConnectionDetailsFactory.QdrantEdgeContainerConnectionDetails.class);
        assertThat(details.getHost()).isEqualTo(QDRANT.getHost());
        assertThat(details.getGrpcPort()).isEqualTo(QDRANT.getGrpcPort());
        assertThat(details.getHttpPort()).isEqualTo(QDRANT.getMappedPort(6333));
        assertThat(details.getApiKey()).isEqualTo(API_KEY);
        assertThat(details.isUseTls()).isFalse();

        // gRPC with the API key: listing collections needs it.
        assertThat(client.listCollectionsAsync().get(60, TimeUnit.SECONDS)).isEmpty();

        // REST at the derived base URI: refused without the key, answered with it.
        HttpClient http = HttpClient.newHttpClient();
        URI collections = URI.create(details.getRestBaseUri() + "/collections");
        assertThat(http.send(HttpRequest.newBuilder(collections).build(), HttpResponse.BodyHandlers.ofString())
                .statusCode()).isEqualTo(401);
        HttpResponse<String> answer = http.send(HttpRequest.newBuilder(collections).header("api-key", API_KEY).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(answer.statusCode()).isEqualTo(200);
        assertThat(answer.body()).contains("\"collections\":[]");
    }
}
