package dev.qdrantedge.demo.status;

import static org.assertj.core.api.Assertions.assertThat;

import dev.qdrantedge.demo.Api;
import dev.qdrantedge.demo.Api.Answer;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import tools.jackson.databind.JsonNode;

/**
 * {@code GET /api/status} with a server configured (nothing listens there: the client connects lazily and the first
 * refresh is an hour away, so the application starts): the server and collection are named, the API key only as
 * present, and the sync waits for its first refresh.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
class ServerStatusApiTest {

    @TempDir
    static Path temp;

    @DynamicPropertySource
    static void properties(DynamicPropertyRegistry registry) {
        registry.add("qdrant.edge.path", () -> temp.resolve("shard").toString());
        registry.add("qdrant.edge.server.url", () -> "https://127.0.0.1:16333");
        registry.add("qdrant.edge.server.api-key", () -> "secret-key");
        registry.add("qdrant.edge.server.collection-name", () -> "notes");
        registry.add("qdrant.edge.sync.initial-delay", () -> "1h");
    }

    @Value("${local.server.port}")
    int port;

    @Test
    void namesTheServerButNotTheKey() {
        Answer answer = new Api(port).get("/api/status");
        assertThat(answer.status()).isEqualTo(200);
        assertThat(answer.body()).doesNotContain("secret-key");
        JsonNode status = answer.json();
        assertThat(status.get("mode").asString()).isEqualTo("server");
        assertThat(status.get("server").get("url").asString()).isEqualTo("https://127.0.0.1:16333");
        assertThat(status.get("server").get("grpcPort").asInt()).isEqualTo(6334);
        assertThat(status.get("server").get("collection").asString()).isEqualTo("notes");
        assertThat(status.get("server").get("apiKey").asBoolean()).isTrue();
        assertThat(status.get("sync").get("state").asString()).isEqualTo("connecting");
        assertThat(status.get("sync").get("detail").asString())
                .isEqualTo("Waiting for the first refresh from the server. 0 note changes wait for delivery.");
        assertThat(status.get("sync").get("waiting").asLong()).isZero();
        assertThat(status.get("shard").get("points").asLong()).isZero();
    }
}
