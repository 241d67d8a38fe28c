package dev.qdrantedge.spring.testsupport;

import dev.qdrantedge.engine.idtracker.PointId;
import dev.qdrantedge.engine.operation.UpdateOperation;
import dev.qdrantedge.engine.shard.Record;
import io.grpc.stub.StreamObserver;
import io.qdrant.client.grpc.Common;
import io.qdrant.client.grpc.Points;
import io.qdrant.client.grpc.PointsGrpc;
import java.util.List;

/**
 * The write RPCs of Qdrant's {@code Points} service, applied to the fake's collection, and {@code Get} (which of
 * the requested points exist).
 */
final class FakePointsService extends PointsGrpc.PointsImplBase {

    private final FakeQdrantServer server;

    FakePointsService(FakeQdrantServer server) {
        this.server = server;
    }

    @Override
    public void upsert(Points.UpsertPoints request, StreamObserver<Points.PointsOperationResponse> observer) {
        server.unary(request, observer, true, r -> apply(r.getCollectionName(), GrpcOperationDecoder.upsert(r)));
    }

    @Override
    public void delete(Points.DeletePoints request, StreamObserver<Points.PointsOperationResponse> observer) {
        server.unary(request, observer, true, r -> apply(r.getCollectionName(), GrpcOperationDecoder.delete(r)));
    }

    @Override
    public void setPayload(Points.SetPayloadPoints request, StreamObserver<Points.PointsOperationResponse> observer) {
        server.unary(request, observer, true,
                r -> apply(r.getCollectionName(), GrpcOperationDecoder.setPayload(r)));
    }

    @Override
    public void overwritePayload(Points.SetPayloadPoints request,
            StreamObserver<Points.PointsOperationResponse> observer) {
        server.unary(request, observer, true,
                r -> apply(r.getCollectionName(), GrpcOperationDecoder.overwritePayload(r)));
    }

    @Override
    public void deletePayload(Points.DeletePayloadPoints request,
            StreamObserver<Points.PointsOperationResponse> observer) {
        server.unary(request, observer, true,
                r -> apply(r.getCollectionName(), GrpcOperationDecoder.deletePayload(r)));
    }

    @Override
    public void clearPayload(Points.ClearPayloadPoints request,
            StreamObserver<Points.PointsOperationResponse> observer) {
        server.unary(request, observer, true,
                r -> apply(r.getCollectionName(), GrpcOperationDecoder.clearPayload(r)));
    }

    @Override
    public void updateVectors(Points.UpdatePointVectors request,
            StreamObserver<Points.PointsOperationResponse> observer) {
        server.unary(request, observer, true,
                r -> apply(r.getCollectionName(), GrpcOperationDecoder.updateVectors(r)));
    }

    @Override
    public void deleteVectors(Points.DeletePointVectors request,
            StreamObserver<Points.PointsOperationResponse> observer) {
        server.unary(request, observer, true,
                r -> apply(r.getCollectionName(), GrpcOperationDecoder.deleteVectors(r)));
    }

    /** The requested points the collection has, each with its id only (no payload or vectors). */
    @Override
    public void get(Points.GetPoints request, StreamObserver<Points.GetResponse> observer) {
        server.unary(request, observer, true, r -> {
            server.requireCollection(r.getCollectionName());
            List<PointId> ids = r.getIdsList().stream().map(GrpcOperationDecoder::pointId).toList();
            Points.GetResponse.Builder response = Points.GetResponse.newBuilder();
            for (Record point : server.shard().retrieve(ids, false, false)) {
                Common.PointId.Builder id = Common.PointId.newBuilder();
                if (point.id() instanceof PointId.Num num) {
                    id.setNum(num.value());
                } else {
                    id.setUuid(((PointId.Uuid) point.id()).uuid().toString());
                }
                response.addResult(Points.RetrievedPoint.newBuilder().setId(id));
            }
            return response.build();
        });
    }

    @Override
    public void updateBatch(Points.UpdateBatchPoints request, StreamObserver<Points.UpdateBatchResponse> observer) {
        server.unary(request, observer, true, r -> {
            server.requireCollection(r.getCollectionName());
            Points.UpdateBatchResponse.Builder response = Points.UpdateBatchResponse.newBuilder();
            for (Points.PointsUpdateOperation op : r.getOperationsList()) {
                response.addResult(completed(server.apply(GrpcOperationDecoder.operation(op))));
            }
            return response.build();
        });
    }

    @Override
    public void createFieldIndex(Points.CreateFieldIndexCollection request,
            StreamObserver<Points.PointsOperationResponse> observer) {
        server.unary(request, observer, true, r -> {
            server.requireCollection(r.getCollectionName());
            if (r.getFieldName().isEmpty()) {
                throw new IllegalArgumentException("field name must not be empty");
            }
            server.fieldIndexCreated(r);
            return response(Points.UpdateResult.newBuilder().setStatus(Points.UpdateStatus.Completed).build());
        });
    }

    @Override
    public void deleteFieldIndex(Points.DeleteFieldIndexCollection request,
            StreamObserver<Points.PointsOperationResponse> observer) {
        server.unary(request, observer, true, r -> {
            server.requireCollection(r.getCollectionName());
            server.fieldIndexDeleted(r.getFieldName());
            return response(Points.UpdateResult.newBuilder().setStatus(Points.UpdateStatus.Completed).build());
        });
    }

    @Override
    public void createVectorName(Points.CreateVectorNameRequest request,
            StreamObserver<Points.PointsOperationResponse> observer) {
        server.unary(request, observer, true, r -> {
            server.requireCollection(r.getCollectionName());
            server.vectorNameCreated(r);
            return response(Points.UpdateResult.newBuilder().setStatus(Points.UpdateStatus.Completed).build());
        });
    }

    @Override
    public void deleteVectorName(Points.DeleteVectorNameRequest request,
            StreamObserver<Points.PointsOperationResponse> observer) {
        server.unary(request, observer, true, r -> {
            server.requireCollection(r.getCollectionName());
            server.vectorNameDeleted(r.getVectorName());
            return response(Points.UpdateResult.newBuilder().setStatus(Points.UpdateStatus.Completed).build());
        });
    }

    private Points.PointsOperationResponse apply(String collection, UpdateOperation op) {
        server.requireCollection(collection);
        return response(completed(server.apply(op)));
    }

    private static Points.UpdateResult completed(long operationNumber) {
        return Points.UpdateResult.newBuilder().setOperationId(operationNumber)
                .setStatus(Points.UpdateStatus.Completed).build();
    }

    private static Points.PointsOperationResponse response(Points.UpdateResult result) {
        return Points.PointsOperationResponse.newBuilder().setResult(result).build();
    }
}
