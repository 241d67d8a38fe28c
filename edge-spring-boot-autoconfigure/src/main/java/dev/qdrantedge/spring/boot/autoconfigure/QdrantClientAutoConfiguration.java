package dev.qdrantedge.spring.boot.autoconfigure;

import io.grpc.ManagedChannel;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import io.grpc.netty.shaded.io.netty.channel.ChannelOption;
import io.qdrant.client.QdrantClient;
import io.qdrant.client.QdrantGrpcClient;
import java.time.Duration;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;

/**
 * A gRPC {@link QdrantClient} for the configured server, when {@code io.qdrant:client} is on the classpath and
 * {@link QdrantEdgeConnectionDetails} exist (a server is configured, or a {@code @ServiceConnection} provides one).
 *
 * <p>The client uses the details' host, gRPC port, TLS setting and API key, {@code qdrant.edge.server.connect-timeout}
 * for establishing connections and {@code request-timeout} as the deadline of every call. It connects lazily and
 * checks nothing at start-up, so the application starts while the server is unreachable (an edge works offline).
 * It is closed with the context, waiting up to five seconds for calls in flight.
 */
@AutoConfiguration(after = EdgeServerConnectionAutoConfiguration.class)
@ConditionalOnClass({QdrantClient.class, NettyChannelBuilder.class})
@ConditionalOnBean(QdrantEdgeConnectionDetails.class)
@EnableConfigurationProperties(EdgeProperties.class)
public class QdrantClientAutoConfiguration {

    /** The user agent the client's channel announces, before gRPC's own. */
    static final String USER_AGENT = "qdrant-edge-jvm";

    @Bean(destroyMethod = "close")
    @ConditionalOnMissingBean
    public QdrantClient qdrantClient(QdrantEdgeConnectionDetails details, EdgeProperties properties) {
        EdgeProperties.Server server = properties.getServer();
        NettyChannelBuilder channel = NettyChannelBuilder.forAddress(details.getHost(), details.getGrpcPort())
                .withOption(ChannelOption.CONNECT_TIMEOUT_MILLIS, millis(server.getConnectTimeout()))
                .userAgent(USER_AGENT);
        if (details.isUseTls()) {
            channel.useTransportSecurity();
        } else {
            channel.usePlaintext();
        }
        ManagedChannel managed = channel.build();
        try {
            // No version check: it would call the server, and block, at start-up.
            QdrantGrpcClient.Builder grpc = QdrantGrpcClient.newBuilder(managed, true, false)
                    .withTimeout(server.getRequestTimeout());
            if (details.getApiKey() != null) {
                grpc.withApiKey(details.getApiKey());
            }
            return new QdrantClient(grpc.build());
        } catch (RuntimeException e) {
            managed.shutdownNow();
            throw e;
        }
    }

    private static int millis(Duration duration) {
        return (int) Math.min(Integer.MAX_VALUE, Math.max(1, duration.toMillis()));
    }
}
