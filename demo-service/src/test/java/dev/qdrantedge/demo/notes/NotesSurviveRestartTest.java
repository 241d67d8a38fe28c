package dev.qdrantedge.demo.notes;

import static org.assertj.core.api.Assertions.assertThat;

import dev.qdrantedge.demo.Api;
import dev.qdrantedge.demo.DemoApplication;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;

/** Notes added before the application stops are listed and found after it starts again on the same shard. */
class NotesSurviveRestartTest {

    @TempDir
    Path temp;

    private ConfigurableApplicationContext start() {
        // command-line arguments: they take precedence over application.yml, as they would for a user
        return new SpringApplicationBuilder(DemoApplication.class)
                .run("--server.port=0", "--qdrant.edge.path=" + temp.resolve("shard"));
    }

    private static Api api(ConfigurableApplicationContext context) {
        return new Api(((WebServerApplicationContext) context).getWebServer().getPort());
    }

    @Test
    void notesAreStillThereAfterARestart() {
        String id;
        try (ConfigurableApplicationContext first = start()) {
            Api api = api(first);
            id = api.addNote(Map.of("title", "Sourdough", "text", "Feed the starter twice a day and let the dough "
                    + "rise overnight before baking the loaf.", "tags", List.of("cooking"))).json().get("id")
                    .asString();
            api.addNote(Map.of("text", "The quarterly tax filing is due on the fifteenth."));
        }
        try (ConfigurableApplicationContext second = start()) {
            Api api = api(second);
            assertThat(api.get("/api/status").json().get("shard").get("path").asString())
                    .isEqualTo(temp.resolve("shard").toAbsolutePath().normalize().toString());
            assertThat(api.get("/api/notes").json().size()).isEqualTo(2);
            Api.Answer hits = api.search(Map.of("q", "how to make bread at home", "tag", "cooking"));
            assertThat(hits.json().size()).isEqualTo(1);
            assertThat(hits.json().get(0).get("note").get("id").asString()).isEqualTo(id);
            assertThat(api.get("/api/status").json().get("shard").get("points").asLong()).isEqualTo(2);
        }
    }
}
