package dev.qdrantedge.spring.boot.autoconfigure;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.qdrant.client.QdrantClient;
import io.qdrant.client.QdrantGrpcClient;
import io.qdrant.client.grpc.QdrantOuterClass.HealthCheckReply;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.FilteredClassLoader;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

/** The server connection details and the gRPC client, against a real gRPC server on a loopback port. */
class QdrantClientAutoConfigurationTest {

    private final ApplicationContextRunner runner = new ApplicationContextRunner().withConfiguration(
            AutoConfigurations.of(EdgeServerConnectionAutoConfiguration.class, QdrantClientAutoConfiguration.class));

    private LoopbackQdrant server;

    @BeforeEach
    void startServer() throws Exception {
        server = LoopbackQdrant.start();
    }

    @AfterEach
    void stopServer() throws Exception {
        server.close();
    }

    private String[] loopback(String... more) {
        String[] base = {"qdrant.edge.server.host=" + InetAddress.getLoopbackAddress().getHostAddress(),
            "qdrant.edge.server.grpc-port=" + server.port(), "qdrant.edge.server.collection-name=docs"};
        String[] all = new String[base.length + more.length];
        System.arraycopy(base, 0, all, 0, base.length);
        System.arraycopy(more, 0, all, base.length, more.length);
        return all;
    }

    @Test
    void withoutAServerThereIsNoConnectionAndNoClient() {
        runner.run(context -> {
            assertThat(context).hasNotFailed();
            assertThat(context).doesNotHaveBean(QdrantEdgeConnectionDetails.class);
            assertThat(context).doesNotHaveBean(QdrantClient.class);
        });
        runner.withPropertyValues("qdrant.edge.server.host= ", "qdrant.edge.server.collection-name=docs").run(context ->
                assertThat(context).as("a blank host is no server").doesNotHaveBean(QdrantClient.class));
    }

    @Test
    void aConfiguredServerGetsAClientThatReachesIt() {
        runner.withPropertyValues(loopback("qdrant.edge.server.api-key=s3cret", "qdrant.edge.server.request-timeout=45s"))
                .run(context -> {
                    assertThat(context).hasSingleBean(QdrantEdgeConnectionDetails.class);
                    assertThat(context).hasSingleBean(QdrantClient.class);
                    assertThat(server.calls()).as("nothing is called at start-up").isEmpty();

                    HealthCheckReply reply = context.getBean(QdrantClient.class).healthCheckAsync().get(30, TimeUnit.SECONDS);
                    assertThat(reply.getVersion()).isEqualTo(LoopbackQdrant.VERSION);
                    assertThat(server.calls()).singleElement().satisfies(call -> {
                        assertThat(call.apiKey()).isEqualTo("s3cret");
                        assertThat(call.deadline()).as("request-timeout is the call's deadline").isNotNull();
                        long remaining = call.deadline().timeRemaining(TimeUnit.SECONDS);
                        assertThat(remaining).isPositive().isLessThanOrEqualTo(45);
                    });
                });
    }

    @Test
    void withoutAnApiKeyNoneIsSent() {
        runner.withPropertyValues(loopback()).run(context -> {
            context.getBean(QdrantClient.class).healthCheckAsync().get(30, TimeUnit.SECONDS);
            assertThat(server.calls()).singleElement().satisfies(call -> assertThat(call.apiKey()).isNull());
        });
    }

    @Test
    void aUrlGivesHostTlsAndTheRestPortTheGrpcPortStaysItsOwn() {
        runner.withPropertyValues("qdrant.edge.server.url=http://127.0.0.1:16333/",
                "qdrant.edge.server.grpc-port=" + server.port(), "qdrant.edge.server.collection-name=docs").run(context -> {
                    QdrantEdgeConnectionDetails details = context.getBean(QdrantEdgeConnectionDetails.class);
                    assertThat(details.getHost()).isEqualTo("127.0.0.1");
                    assertThat(details.getHttpPort()).isEqualTo(16333);
                    assertThat(details.getGrpcPort()).isEqualTo(server.port());
                    assertThat(details.isUseTls()).isFalse();
                    assertThat(details.getRestBaseUri()).isEqualTo(URI.create("http://127.0.0.1:16333"));
                    assertThat(context.getBean(QdrantClient.class).healthCheckAsync().get(30, TimeUnit.SECONDS).getVersion())
                            .isEqualTo(LoopbackQdrant.VERSION);
                });
    }

    @Test
    void tlsIsUsedWhenAsked() {
        // The loopback server speaks plain text: a client using TLS cannot complete a call with it.
        runner.withPropertyValues(loopback("qdrant.edge.server.use-tls=true")).run(context -> {
            assertThat(context.getBean(QdrantEdgeConnectionDetails.class).isUseTls()).isTrue();
            Throwable failure = catchThrowable(() ->
                    context.getBean(QdrantClient.class).healthCheckAsync().get(30, TimeUnit.SECONDS));
            assertThat(failure).isInstanceOf(ExecutionException.class).cause().isInstanceOf(StatusRuntimeException.class);
            assertThat(Status.fromThrowable(failure.getCause()).getCode()).isEqualTo(Status.Code.UNAVAILABLE);
        });
    }

    @Test
    void anUnreachableServerDoesNotStopTheApplicationFromStarting() throws Exception {
        int closedPort;
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            closedPort = socket.getLocalPort();
        }
        runner.withPropertyValues("qdrant.edge.server.host=127.0.0.1", "qdrant.edge.server.grpc-port=" + closedPort,
                "qdrant.edge.server.collection-name=docs").run(context -> {
                    assertThat(context).hasNotFailed().hasSingleBean(QdrantClient.class);
                    Throwable failure = catchThrowable(() ->
                            context.getBean(QdrantClient.class).healthCheckAsync().get(30, TimeUnit.SECONDS));
                    assertThat(Status.fromThrowable(failure.getCause()).getCode()).isEqualTo(Status.Code.UNAVAILABLE);
                });
    }

    @Test
    void theClientIsClosedWithTheContext() {
        AtomicReference<QdrantGrpcClient> grpc = new AtomicReference<>();
        runner.withPropertyValues(loopback()).run(context -> {
            grpc.set(context.getBean(QdrantClient.class).grpcClient());
            assertThat(grpc.get().channel().isShutdown()).isFalse();
        });
        assertThat(grpc.get().channel().isShutdown()).isTrue();
    }

    @Test
    void withoutTheClientLibraryTheConnectionDetailsStillExist() {
        runner.withClassLoader(new FilteredClassLoader(QdrantClient.class)).withPropertyValues(loopback()).run(context -> {
            assertThat(context).hasSingleBean(QdrantEdgeConnectionDetails.class);
            assertThat(context).doesNotHaveBean("qdrantClient");
        });
    }

    @Test
    void userDefinedConnectionDetailsWinAndNeedNoProperties() {
        QdrantEdgeConnectionDetails own = new FixedDetails("127.0.0.1", server.port(), "from-bean");
        runner.withBean(QdrantEdgeConnectionDetails.class, () -> own).run(context -> {
            assertThat(context.getBean(QdrantEdgeConnectionDetails.class)).isSameAs(own);
            context.getBean(QdrantClient.class).healthCheckAsync().get(30, TimeUnit.SECONDS);
            assertThat(server.calls()).singleElement().satisfies(call -> assertThat(call.apiKey()).isEqualTo("from-bean"));
        });
        runner.withBean(QdrantEdgeConnectionDetails.class, () -> own)
                .withPropertyValues("qdrant.edge.server.host=elsewhere.invalid", "qdrant.edge.server.collection-name=docs")
                .run(context -> assertThat(context.getBean(QdrantEdgeConnectionDetails.class)).isSameAs(own));
    }

    @Test
    void aUserDefinedClientWins() {
        runner.withPropertyValues(loopback())
                .withBean("ownClient", QdrantClient.class, () -> new QdrantClient(
                        QdrantGrpcClient.newBuilder("127.0.0.1", server.port(), false, false).build()))
                .run(context -> {
                    assertThat(context).hasSingleBean(QdrantClient.class);
                    assertThat(context).hasBean("ownClient").doesNotHaveBean("qdrantClient");
                });
    }

    /** Connection details an application defines itself. */
    private record FixedDetails(String host, int grpcPort, String apiKey) implements QdrantEdgeConnectionDetails {

        @Override
        public String getHost() {
            return host;
        }

        @Override
        public int getGrpcPort() {
            return grpcPort;
        }

        @Override
        public int getHttpPort() {
            return 6333;
        }

        @Override
        public String getApiKey() {
            return apiKey;
        }

        @Override
        public boolean isUseTls() {
            return false;
        }
    }
}
