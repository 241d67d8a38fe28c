package dev.qdrantedge.spring.boot.autoconfigure;

import static org.assertj.core.api.Assertions.assertThat;

import dev.qdrantedge.engine.sync.EdgeStore;
import dev.qdrantedge.engine.sync.HttpSnapshotSource;
import dev.qdrantedge.engine.sync.OutboxSink;
import dev.qdrantedge.engine.sync.SnapshotSource;
import dev.qdrantedge.spring.client.QdrantOutboxSink;
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

    /** This module's auto-configurations among those of the classpath (actuator's are there in tests too). */
    private static List<String> imported() {
        return ImportCandidates.load(AutoConfiguration.class, EdgeAutoConfigurationsTest.class.getClassLoader())
                .getCandidates().stream().filter(name -> name.startsWith("dev.qdrantedge.")).toList();
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
        assertThat(imported()).contains(EdgeStoreAutoConfiguration.class.getName(),
                EdgeServerConnectionAutoConfiguration.class.getName(), QdrantClientAutoConfiguration.class.getName(),
                EdgeRepositoriesAutoConfiguration.class.getName(), EdgeOutboxAutoConfiguration.class.getName(),
                EdgeSyncAutoConfiguration.class.getName(), EdgeActuatorAutoConfiguration.class.getName());
    }

    @Test
    void withoutAServerTheApplicationRunsOnTheStoreAlone() throws Exception {
        runner().withPropertyValues("qdrant.edge.path=" + temp.resolve("shard"), "qdrant.edge.vectors.text.size=4")
                .run(context -> {
                    assertThat(context).hasSingleBean(EdgeStore.class);
                    assertThat(context).hasSingleBean(EdgeTemplate.class);
                    assertThat(context).doesNotHaveBean(QdrantEdgeConnectionDetails.class);
                    assertThat(context).doesNotHaveBean(QdrantClient.class);
                    assertThat(context).doesNotHaveBean(OutboxSink.class).doesNotHaveBean(EdgeOutboxDelivery.class);
                    assertThat(context).doesNotHaveBean(SnapshotSource.class)
                            .doesNotHaveBean(EdgeMirrorRefresher.class);
                });
    }

    @Test
    void withAServerTheStoreTheConnectionTheClientTheOutboxAndTheSyncAreThere() throws Exception {
        // the first refresh an hour later: nothing is asked of the address while the test runs
        runner().withPropertyValues("qdrant.edge.path=" + temp.resolve("shard"), "qdrant.edge.vectors.text.size=4",
                "qdrant.edge.server.url=http://127.0.0.1:6333", "qdrant.edge.server.collection-name=docs",
                "qdrant.edge.sync.initial-delay=1h")
                .run(context -> {
                    assertThat(context).hasSingleBean(EdgeStore.class);
                    assertThat(context).hasSingleBean(QdrantEdgeConnectionDetails.class);
                    assertThat(context).hasSingleBean(QdrantClient.class);
                    assertThat(context).hasSingleBean(QdrantOutboxSink.class).hasSingleBean(EdgeOutboxDelivery.class);
                    assertThat(context).hasSingleBean(HttpSnapshotSource.class)
                            .hasSingleBean(EdgeMirrorRefresher.class);
                    assertThat(context.getBean(EdgeOutboxDelivery.class).isRunning()).isTrue();
                    assertThat(context.getBean(EdgeMirrorRefresher.class).isRunning()).isTrue();
                });
    }
}
