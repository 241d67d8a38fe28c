package dev.qdrantedge.spring.boot.autoconfigure;

import static org.assertj.core.api.Assertions.assertThat;

import dev.qdrantedge.engine.shard.EdgeShard;
import io.qdrant.client.QdrantClient;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.springframework.boot.autoconfigure.AutoConfigurationPackage;
import dev.qdrantedge.spring.data.core.EdgeTemplate;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.context.annotation.ImportCandidates;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

/** The auto-configurations as an application gets them: through {@code AutoConfiguration.imports}. */
class EdgeAutoConfigurationsTest {

    @TempDir
    Path temp;

    private static List<String> imported() {
        return ImportCandidates.load(AutoConfiguration.class, EdgeAutoConfigurationsTest.class.getClassLoader())
                .getCandidates();
    }

    private ApplicationContextRunner runner() throws ClassNotFoundException {
        Class<?>[] classes = new Class<?>[imported().size()];
        for (int i = 0; i < classes.length; i++) {
            classes[i] = Class.forName(imported().get(i));
        }
        return new ApplicationContextRunner().withConfiguration(AutoConfigurations.of(classes))
                .withUserConfiguration(Application.class);
    }

    /** An application's main class registers its package for repository scanning, as here. */
    @AutoConfigurationPackage
    static class Application {
    }

    @Test
    void everyConcernIsImported() {
        assertThat(imported()).contains(EdgeShardAutoConfiguration.class.getName(),
                EdgeServerConnectionAutoConfiguration.class.getName(), QdrantClientAutoConfiguration.class.getName(),
                EdgeRepositoriesAutoConfiguration.class.getName());
    }

    @Test
    void withoutAServerTheApplicationRunsOnTheLocalShardAlone() throws Exception {
        runner().withPropertyValues("qdrant.edge.path=" + temp.resolve("shard"), "qdrant.edge.vectors.text.size=4")
                .run(context -> {
                    assertThat(context).hasSingleBean(EdgeShard.class);
                    assertThat(context).hasSingleBean(EdgeTemplate.class);
                    assertThat(context).doesNotHaveBean(QdrantEdgeConnectionDetails.class);
                    assertThat(context).doesNotHaveBean(QdrantClient.class);
                });
    }

    @Test
    void withAServerTheShardTheConnectionAndTheClientAreThere() throws Exception {
        runner().withPropertyValues("qdrant.edge.path=" + temp.resolve("shard"), "qdrant.edge.vectors.text.size=4",
                "qdrant.edge.server.url=http://127.0.0.1:6333", "qdrant.edge.server.collection-name=docs")
                .run(context -> {
                    assertThat(context).hasSingleBean(EdgeShard.class);
                    assertThat(context).hasSingleBean(QdrantEdgeConnectionDetails.class);
                    assertThat(context).hasSingleBean(QdrantClient.class);
                });
    }
}
