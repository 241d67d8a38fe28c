package dev.qdrantedge.spring.client;

import com.google.common.util.concurrent.ListenableFuture;
import com.google.protobuf.Message;
import dev.qdrantedge.engine.idtracker.PointId;
import dev.qdrantedge.engine.operation.UpdateOperation;
import dev.qdrantedge.engine.sync.DeliveryException;
import dev.qdrantedge.engine.sync.OutboxSink;
import io.grpc.Status;
import io.qdrant.client.QdrantClient;
import io.qdrant.client.grpc.Points;
import io.qdrant.client.grpc.PointsGrpc;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

/**
 * Delivers outbox operations to a Qdrant server collection over gRPC.
 *
 * <p>Every operation is first converted (see {@link GrpcFilterMapper}, {@link GrpcPayloadMapper}); one that has
 * no gRPC form fails the whole delivery as permanent before anything is sent, naming the operation and the
 * JSON path at fault. Then the operations go out in order: each run of consecutive point operations in one
 * {@code UpdateBatch} request (one round trip; the server applies them in order), each payload-index or
 * vector-name operation in a request of its own. Every request has {@code wait=true} (the call returns once
 * the server applied it), the configured write ordering and shard key selector, and a deadline of the
 * configured call timeout. Each answer must report every operation {@code Completed}.
 *
 * <p>Failures are classified by {@link GrpcFailures}. A request that failed may have been applied in part
 * (an {@code UpdateBatch} is applied operation by operation); the message says which operations had been
 * acknowledged before it.
 *
 * <p><b>Missing points.</b> Qdrant answers {@code NOT_FOUND} to a payload change, vector update or vector
 * delete of listed points when one of them is missing (having applied it to the points before that one). An
 * edge store sends only operations on points it holds, so a missing point was deleted on the server since: by
 * another writer, or by a later operation of this same outbox when a batch is delivered again after its
 * acknowledgement was lost (a crash, a timeout), and {@link OutboxSink} requires every operation to be safe to
 * apply again. So when a request carrying such an operation alone fails with {@code NOT_FOUND},
 * the sink reads which of its points the server has ({@code Get}) and, when some are missing, applies the
 * operation to the others (if any) and counts it delivered, as Qdrant Edge applies it around missing points
 * (a warning names them); the mirror then shows the points deleted. A larger request failing so stays a
 * permanent failure: an {@link dev.qdrantedge.engine.sync.OutboxPublisher} then delivers its operations one by
 * one. A missing collection stays a permanent failure.
 *
 * <p>The calls use the stubs of the given client ({@link QdrantClient#grpcClient()}, with its API key and
 * headers), not its convenience methods, which log every failure at error level; the sink reports failures
 * to its caller instead. The sink does not own the client: closing the client is the caller's job. It is
 * thread-safe, but the outbox calls it from one thread, since delivery order matters.
 */
public final class QdrantOutboxSink implements OutboxSink {

    private static final System.Logger LOG = System.getLogger(QdrantOutboxSink.class.getName());

    private final QdrantClient client;
    private final QdrantSinkOptions options;
    private final GrpcOperationMapper mapper;

    public QdrantOutboxSink(QdrantClient client, QdrantSinkOptions options) {
        this.client = Objects.requireNonNull(client, "client");
        this.options = Objects.requireNonNull(options, "options");
        this.mapper = new GrpcOperationMapper(options);
    }

    public QdrantSinkOptions options() {
        return options;
    }

    @Override
    public void deliver(List<UpdateOperation> operations) throws DeliveryException {
        int n = operations.size();
        List<GrpcOperationMapper.Mapped> mapped = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            UpdateOperation op = Objects.requireNonNull(operations.get(i), "operation");
            try {
                mapped.add(mapper.map(op));
            } catch (GrpcMappingException e) {
                throw DeliveryException.permanentFailure("operation " + (i + 1) + " of " + n + " (" + op.variant()
                        + ") cannot be sent to Qdrant collection '" + options.collectionName() + "', nothing was sent: "
                        + e.getMessage(), e);
            }
        }
        int i = 0;
        while (i < n) {
            if (mapped.get(i) instanceof GrpcOperationMapper.Batchable) {
                int end = i;
                Points.UpdateBatchPoints.Builder batch = Points.UpdateBatchPoints.newBuilder()
                        .setCollectionName(options.collectionName()).setWait(true).setOrdering(mapper.ordering());
                while (end < n && mapped.get(end) instanceof GrpcOperationMapper.Batchable b) {
                    batch.addOperations(b.operation());
                    end++;
                }
                String what = "UpdateBatch of " + describe(operations, i, end);
                Points.UpdateBatchResponse response;
                try {
                    response = call(stub -> stub.updateBatch(batch.build()), what, i);
                } catch (DeliveryException e) {
                    if (end - i == 1 && isNotFound(e) && deliveredAroundMissingPoints(operations, i, e)) {
                        i = end;
                        continue;
                    }
                    throw e;
                }
                if (response.getResultCount() != end - i) {
                    throw DeliveryException.permanentFailure(what + ": Qdrant answered " + response.getResultCount()
                            + " results for " + (end - i) + " operations", null);
                }
                for (int k = 0; k < response.getResultCount(); k++) {
                    requireCompleted(response.getResult(k), describe(operations, i + k, i + k + 1));
                }
                i = end;
            } else {
                Message request = ((GrpcOperationMapper.Standalone) mapped.get(i)).request();
                String what = request.getDescriptorForType().getName() + " of " + describe(operations, i, i + 1);
                Points.PointsOperationResponse response = call(stub -> standalone(stub, request), what, i);
                requireCompleted(response.getResult(), what);
                i++;
            }
        }
    }

    /**
     * After a request carrying operation {@code index} alone failed with {@code NOT_FOUND}: when the operation
     * changes listed points and the server lacks some of them, applies it to those it has (if any) and returns
     * true; returns false when the failure stands (another kind of operation, no listed point missing, or the
     * server's points cannot be read for a permanent reason, added to {@code failure} as suppressed).
     *
     * @throws DeliveryException when reading the server's points fails transiently, or the restricted
     *     operation fails
     */
    private boolean deliveredAroundMissingPoints(List<UpdateOperation> operations, int index, DeliveryException failure)
            throws DeliveryException {
        UpdateOperation op = operations.get(index);
        Optional<List<PointId>> listed = ListedPoints.of(op);
        if (listed.isEmpty()) {
            return false;
        }
        Points.GetPoints.Builder get = Points.GetPoints.newBuilder().setCollectionName(options.collectionName())
                .setWithPayload(Points.WithPayloadSelector.newBuilder().setEnable(false))
                .setWithVectors(Points.WithVectorsSelector.newBuilder().setEnable(false));
        listed.get().forEach(id -> get.addIds(GrpcFilterMapper.pointId(id)));
        options.shardKeySelector().ifPresent(get::setShardKeySelector);
        Points.GetResponse found;
        try {
            found = call(stub -> stub.get(get.build()), "Get of the points of " + describe(operations, index,
                    index + 1), index);
        } catch (DeliveryException e) {
            if (e.isTransient()) {
                throw e;
            }
            failure.addSuppressed(e);
            return false;
        }
        Set<PointId> present = new HashSet<>();
        for (Points.RetrievedPoint p : found.getResultList()) {
            present.add(p.getId().hasUuid() ? PointId.of(UUID.fromString(p.getId().getUuid()))
                    : PointId.of(p.getId().getNum()));
        }
        List<PointId> missing = listed.get().stream().filter(id -> !present.contains(id)).toList();
        if (missing.isEmpty()) {
            return false;
        }
        if (listed.get().stream().anyMatch(present::contains)) {
            UpdateOperation restricted = ListedPoints.restrict(op, present);
            Points.UpdateBatchPoints.Builder batch = Points.UpdateBatchPoints.newBuilder()
                    .setCollectionName(options.collectionName()).setWait(true).setOrdering(mapper.ordering())
                    .addOperations(((GrpcOperationMapper.Batchable) mapper.map(restricted)).operation());
            String what = "UpdateBatch of " + describe(operations, index, index + 1) + " without the points "
                    + missing + " the server does not have";
            Points.UpdateBatchResponse response = call(stub -> stub.updateBatch(batch.build()), what, index);
            if (response.getResultCount() != 1) {
                throw DeliveryException.permanentFailure(what + ": Qdrant answered " + response.getResultCount()
                        + " results for 1 operation", null);
            }
            requireCompleted(response.getResult(0), what);
        }
        String outcome = missing.size() == listed.get().size() ? "nothing left to change" : "applied to the others";
        LOG.log(System.Logger.Level.WARNING, () -> describe(operations, index, index + 1) + " names points "
                + missing + " that Qdrant collection '" + options.collectionName() + "' does not have; " + outcome);
        return true;
    }

    private static boolean isNotFound(DeliveryException e) {
        return e.getCause() != null && Status.fromThrowable(e.getCause()).getCode() == Status.Code.NOT_FOUND;
    }

    private static ListenableFuture<Points.PointsOperationResponse> standalone(PointsGrpc.PointsFutureStub stub,
            Message request) {
        if (request instanceof Points.CreateFieldIndexCollection create) {
            return stub.createFieldIndex(create);
        }
        if (request instanceof Points.DeleteFieldIndexCollection delete) {
            return stub.deleteFieldIndex(delete);
        }
        if (request instanceof Points.CreateVectorNameRequest create) {
            return stub.createVectorName(create);
        }
        return stub.deleteVectorName((Points.DeleteVectorNameRequest) request);
    }

    private interface Call<T> {
        ListenableFuture<T> start(PointsGrpc.PointsFutureStub stub);
    }

    private <T> T call(Call<T> call, String what, int acknowledged) throws DeliveryException {
        String context = acknowledged == 0 ? what : what + ", after " + acknowledged + " acknowledged";
        ListenableFuture<T> future;
        try {
            PointsGrpc.PointsFutureStub stub = client.grpcClient().points()
                    .withDeadlineAfter(options.callTimeout().toNanos(), TimeUnit.NANOSECONDS);
            future = call.start(stub);
        } catch (RuntimeException e) {
            throw GrpcFailures.classify(e, context);
        }
        try {
            return future.get();
        } catch (ExecutionException e) {
            throw GrpcFailures.classify(e, context);
        } catch (InterruptedException e) {
            future.cancel(true);
            Thread.currentThread().interrupt();
            throw DeliveryException.transientFailure(context + ": interrupted while waiting for Qdrant", e);
        }
    }

    private static void requireCompleted(Points.UpdateResult result, String what) throws DeliveryException {
        switch (result.getStatus()) {
            case Completed:
                return;
            case Acknowledged:
            case WaitTimeout:
                throw DeliveryException.transientFailure(what + ": Qdrant did not confirm that it applied the"
                        + " operation (status " + result.getStatus() + ")", null);
            default:
                throw DeliveryException.permanentFailure(what + ": Qdrant answered the unexpected update status "
                        + result.getStatus(), null);
        }
    }

    private static String describe(List<UpdateOperation> operations, int from, int to) {
        int n = operations.size();
        if (to - from == 1) {
            return "operation " + (from + 1) + " of " + n + " (" + operations.get(from).variant() + ")";
        }
        return "operations " + (from + 1) + "-" + to + " of " + n;
    }
}
