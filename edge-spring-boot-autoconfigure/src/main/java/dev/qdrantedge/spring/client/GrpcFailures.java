package dev.qdrantedge.spring.client;

import dev.qdrantedge.engine.sync.DeliveryException;
import io.grpc.Status;
import java.util.concurrent.ExecutionException;

/**
 * Classifies failed gRPC calls to Qdrant by their status code, for {@link DeliveryException}s.
 *
 * <p>Transient (retry with backoff): {@code UNAVAILABLE}, {@code DEADLINE_EXCEEDED}, {@code RESOURCE_EXHAUSTED}
 * (rate limits, a node out of storage), {@code ABORTED}, {@code CANCELLED}, {@code INTERNAL} and {@code UNKNOWN}
 * (Qdrant's service errors, which it retries itself between replicas, and what proxies and HTTP/2 resets
 * produce), {@code FAILED_PRECONDITION} (Qdrant: storage locked for writes by an operator, or the system "not in
 * the state to perform the operation", which Qdrant itself treats as transient), and {@code UNAUTHENTICATED}
 * and {@code PERMISSION_DENIED}: a missing, expired or read-only API key is a fault of the configuration, not
 * of the operations, and retrying them once an operator has fixed the key succeeds; calling them permanent would
 * make the outbox give up on every queued operation during a key rotation. A failure that carries no gRPC status
 * is transient too.
 *
 * <p>Permanent (the operation itself is refused; sending it again cannot help): {@code INVALID_ARGUMENT},
 * {@code NOT_FOUND} (a missing collection, or a payload or vector operation naming a point the server does not
 * have), {@code ALREADY_EXISTS}, {@code OUT_OF_RANGE}, {@code UNIMPLEMENTED} (a server without the RPC, or one
 * running standalone for a cluster operation) and {@code DATA_LOSS}.
 */
public final class GrpcFailures {

    private GrpcFailures() {
    }

    /** Whether a call that failed with {@code code} is worth repeating. */
    public static DeliveryException.Kind kindOf(Status.Code code) {
        switch (code) {
            case INVALID_ARGUMENT:
            case NOT_FOUND:
            case ALREADY_EXISTS:
            case OUT_OF_RANGE:
            case UNIMPLEMENTED:
            case DATA_LOSS:
                return DeliveryException.Kind.PERMANENT;
            default:
                return DeliveryException.Kind.TRANSIENT;
        }
    }

    /**
     * The delivery failure for a failed call.
     *
     * @param failure what the call failed with ({@link ExecutionException}s are unwrapped)
     * @param what the call, for the message, e.g. {@code "operations 1-3 of 3 (UpdateBatch)"}
     */
    public static DeliveryException classify(Throwable failure, String what) {
        Throwable cause = failure instanceof ExecutionException && failure.getCause() != null
                ? failure.getCause() : failure;
        Status status = Status.fromThrowable(cause);
        DeliveryException.Kind kind = kindOf(status.getCode());
        StringBuilder message = new StringBuilder(what).append(": Qdrant call failed with ")
                .append(status.getCode());
        if (status.getDescription() != null) {
            message.append(" (").append(status.getDescription()).append(')');
        } else if (status.getCode() == Status.Code.UNKNOWN && status.getCause() != null) {
            message.append(" (").append(status.getCause()).append(')');
        }
        message.append(hint(status.getCode()));
        return new DeliveryException(kind, message.toString(), cause);
    }

    private static String hint(Status.Code code) {
        switch (code) {
            case DEADLINE_EXCEEDED:
                return "; no answer within the call timeout, the server may still apply the operations";
            case UNAUTHENTICATED:
            case PERMISSION_DENIED:
                return "; check the API key; delivery is retried until the key is accepted";
            case FAILED_PRECONDITION:
                return "; the server refuses writes for now (e.g. storage locked), delivery is retried";
            default:
                return "";
        }
    }
}
