package dev.qdrantedge.spring.boot.autoconfigure;

import io.grpc.Context;
import io.grpc.Deadline;
import io.grpc.Metadata;
import io.grpc.Server;
import io.grpc.ServerCall;
import io.grpc.ServerCallHandler;
import io.grpc.ServerInterceptor;
import io.grpc.ServerInterceptors;
import io.grpc.netty.shaded.io.grpc.netty.NettyServerBuilder;
import io.grpc.stub.StreamObserver;
import io.qdrant.client.grpc.QdrantGrpc;
import io.qdrant.client.grpc.QdrantOuterClass.HealthCheckReply;
import io.qdrant.client.grpc.QdrantOuterClass.HealthCheckRequest;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

/**
 * A gRPC server on a loopback port answering Qdrant's health check, recording the API key and the deadline
 * of every call it receives.
 */
final class LoopbackQdrant implements AutoCloseable {

    static final String VERSION = "1.19.0";
    private static final Metadata.Key<String> API_KEY = Metadata.Key.of("api-key", Metadata.ASCII_STRING_MARSHALLER);

    /** What one call carried. */
    record Call(String apiKey, Deadline deadline) {
    }

    private final Server server;
    private final List<Call> calls = new CopyOnWriteArrayList<>();

    private LoopbackQdrant(Server server) {
        this.server = server;
    }

    static LoopbackQdrant start() throws IOException {
        QdrantGrpc.QdrantImplBase qdrant = new QdrantGrpc.QdrantImplBase() {
            @Override
            public void healthCheck(HealthCheckRequest request, StreamObserver<HealthCheckReply> reply) {
                reply.onNext(HealthCheckReply.newBuilder().setTitle("loopback qdrant").setVersion(VERSION).build());
                reply.onCompleted();
            }
        };
        LoopbackQdrant[] self = new LoopbackQdrant[1];
        ServerInterceptor recorder = new ServerInterceptor() {
            @Override
            public <Q, A> ServerCall.Listener<Q> interceptCall(ServerCall<Q, A> call, Metadata headers,
                    ServerCallHandler<Q, A> next) {
                self[0].calls.add(new Call(headers.get(API_KEY), Context.current().getDeadline()));
                return next.startCall(call, headers);
            }
        };
        Server server = NettyServerBuilder.forAddress(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0))
                .addService(ServerInterceptors.intercept(qdrant, recorder))
                .build();
        self[0] = new LoopbackQdrant(server);
        server.start();
        return self[0];
    }

    int port() {
        return server.getPort();
    }

    List<Call> calls() {
        return calls;
    }

    @Override
    public void close() throws InterruptedException {
        server.shutdownNow().awaitTermination(10, TimeUnit.SECONDS);
    }
}
