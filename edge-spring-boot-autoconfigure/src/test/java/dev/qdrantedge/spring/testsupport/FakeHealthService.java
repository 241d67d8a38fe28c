package dev.qdrantedge.spring.testsupport;

import io.grpc.stub.StreamObserver;
import io.qdrant.client.grpc.QdrantGrpc;
import io.qdrant.client.grpc.QdrantOuterClass.HealthCheckReply;
import io.qdrant.client.grpc.QdrantOuterClass.HealthCheckRequest;

/** Qdrant's health check, which clients call to compare versions; never failed or delayed. */
final class FakeHealthService extends QdrantGrpc.QdrantImplBase {

    private final FakeQdrantServer server;

    FakeHealthService(FakeQdrantServer server) {
        this.server = server;
    }

    @Override
    public void healthCheck(HealthCheckRequest request, StreamObserver<HealthCheckReply> observer) {
        server.unary(request, observer, false, r -> HealthCheckReply.newBuilder()
                .setTitle("qdrant - vector search engine").setVersion(server.version()).build());
    }
}
