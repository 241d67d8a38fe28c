package dev.qdrantedge.spring.client;

import static org.assertj.core.api.Assertions.assertThat;

import dev.qdrantedge.engine.config.EdgeConfig;
import dev.qdrantedge.engine.config.VectorParams;
import dev.qdrantedge.engine.idtracker.PointId;
import dev.qdrantedge.engine.shard.Record;
import dev.qdrantedge.engine.vectors.Distance;
import dev.qdrantedge.spring.testsupport.FakeQdrantServer;
import io.grpc.Status;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** Another JVM process reaches the fake server by host and port, as the crash tests' applications will. */
class CrossProcessDeliveryTest {

    static final EdgeConfig CONFIG = EdgeConfig.of(new VectorParams(2, Distance.EUCLID));

    @Test
    void aChildProcessDeliversOverTcp() throws Exception {
        try (FakeQdrantServer server = FakeQdrantServer.builder("items", CONFIG).tcp().start()) {
            Result result = runChild(server, 42);

            assertThat(result.output()).contains("DELIVERED");
            assertThat(result.exitCode()).isZero();
            List<Record> points = server.shard().retrieve(List.of(PointId.of(42)), true, false);
            assertThat(points).singleElement().satisfies(p -> assertThat(p.payload().get("from").asString())
                    .isEqualTo("child"));
        }
    }

    @Test
    void aChildProcessSeesAnOutageAsTransient() throws Exception {
        try (FakeQdrantServer server = FakeQdrantServer.builder("items", CONFIG).tcp().start()) {
            server.failNext(1, Status.UNAVAILABLE.withDescription("maintenance"));

            Result result = runChild(server, 43);

            assertThat(result.exitCode()).isEqualTo(2);
            assertThat(result.output()).contains("TRANSIENT").contains("maintenance");
            assertThat(server.shard().count()).isZero();
        }
    }

    private record Result(int exitCode, String output) {
    }

    private static Result runChild(FakeQdrantServer server, long id) throws IOException, InterruptedException {
        Path java = Path.of(System.getProperty("java.home"), "bin", "java");
        Process child = new ProcessBuilder(java.toString(), "-cp", System.getProperty("java.class.path"),
                ChildProcessDelivery.class.getName(), server.host(), Integer.toString(server.port()),
                server.collectionName(), Long.toString(id))
                .redirectErrorStream(true)
                .start();
        byte[] output = child.getInputStream().readAllBytes();
        if (!child.waitFor(2, TimeUnit.MINUTES)) {
            child.destroyForcibly();
            throw new AssertionError("the child process did not end");
        }
        return new Result(child.exitValue(), new String(output, StandardCharsets.UTF_8));
    }
}
