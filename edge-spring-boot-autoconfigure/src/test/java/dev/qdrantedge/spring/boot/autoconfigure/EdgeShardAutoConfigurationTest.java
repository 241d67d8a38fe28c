package dev.qdrantedge.spring.boot.autoconfigure;

import static org.assertj.core.api.Assertions.assertThat;

import dev.qdrantedge.engine.shard.EdgeShard;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

class EdgeShardAutoConfigurationTest {

    @TempDir
    Path temp;

    private final ApplicationContextRunner runner = new ApplicationContextRunner()
            .withConfiguration(AutoConfigurations.of(EdgeShardAutoConfiguration.class));

    @Test
    void createsTheShardOnFirstStartAndLoadsItAfterwards() {
        Path path = temp.resolve("shard");
        String[] properties = {"qdrant.edge.path=" + path, "qdrant.edge.vectors.text.size=8",
            "qdrant.edge.vectors.text.distance=Dot"};
        runner.withPropertyValues(properties).run(context -> {
            assertThat(context).hasSingleBean(EdgeShard.class);
            assertThat(context.getBean(EdgeShard.class).count()).isZero();
        });
        assertThat(path.resolve("edge_config.json")).content().contains("\"text\":{\"size\":8,\"distance\":\"Dot\"}");
        runner.withPropertyValues("qdrant.edge.path=" + path).run(context ->
                assertThat(context.getBean(EdgeShard.class).directory()).isEqualTo(path));
    }

    @Test
    void withoutVectorsANewShardFailsAtStartWithAClearMessage() {
        runner.withPropertyValues("qdrant.edge.path=" + temp.resolve("none")).run(context ->
                assertThat(context).getFailure().rootCause()
                        .hasMessageContaining("qdrant.edge.vectors is empty"));
    }

    @Test
    void anInvalidDistanceFailsAtStartNamingTheProperty() {
        runner.withPropertyValues("qdrant.edge.path=" + temp.resolve("bad"), "qdrant.edge.vectors.v.size=4",
                "qdrant.edge.vectors.v.distance=Hamming").run(context ->
                assertThat(context).getFailure().rootCause()
                        .hasMessageContaining("qdrant.edge.vectors.v.distance")
                        .hasMessageContaining("Hamming"));
    }

    @Test
    void aUserDefinedShardWins() {
        Path path = temp.resolve("own");
        runner.withPropertyValues("qdrant.edge.path=" + temp.resolve("unused"))
                .withBean(EdgeShard.class, () -> EdgeShard.create(path,
                        EdgeShardAutoConfiguration.toConfig(props(path))))
                .run(context -> assertThat(context.getBean(EdgeShard.class).directory()).isEqualTo(path));
        assertThat(temp.resolve("unused")).doesNotExist();
    }

    private static EdgeProperties props(Path path) {
        EdgeProperties p = new EdgeProperties();
        p.setPath(path);
        EdgeProperties.Vector v = new EdgeProperties.Vector();
        v.setSize(3);
        p.getVectors().put("v", v);
        return p;
    }
}
