package dev.qdrantedge.demo.status;

import static org.assertj.core.api.Assertions.assertThat;

import dev.qdrantedge.demo.Api;
import dev.qdrantedge.demo.Api.Answer;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import tools.jackson.databind.JsonNode;

/** {@code GET /api/status} on the embedded default: the local shard, no server, and the notes it holds. */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
class StatusApiTest {

    @TempDir
    static Path temp;

    @DynamicPropertySource
    static void shardPath(DynamicPropertyRegistry registry) {
        registry.add("qdrant.edge.path", () -> temp.resolve("shard").toString());
    }

    @Value("${local.server.port}")
    int port;

    @Test
    void reportsTheLocalShardAndThatNothingSyncs() {
        Api api = new Api(port);
        Answer empty = api.get("/api/status");
        assertThat(empty.status()).isEqualTo(200);
        JsonNode status = empty.json();
        assertThat(status.get("mode").asString()).isEqualTo("embedded");
        assertThat(status.get("shard").get("path").asString())
                .isEqualTo(temp.resolve("shard").toAbsolutePath().normalize().toString());
        assertThat(status.get("shard").get("points").asLong()).isZero();
        assertThat(status.get("server").isNull()).isTrue();
        assertThat(status.get("sync").get("state").asString()).isEqualTo("local-only");
        assertThat(status.get("sync").get("detail").asString()).contains("QDRANT_EDGE_SERVER_URL");

        String id = api.addNote(Map.of("text", "Water the tomatoes every evening")).json().get("id").asString();
        api.addNote(Map.of("text", "Renew the passport before June"));
        assertThat(api.get("/api/status").json().get("shard").get("points").asLong()).isEqualTo(2);
        api.delete("/api/notes/" + id);
        assertThat(api.get("/api/status").json().get("shard").get("points").asLong()).isEqualTo(1);
    }
}
