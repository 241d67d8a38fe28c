package dev.qdrantedge.engine.sync;

import dev.qdrantedge.engine.operation.UpdateOperation;
import java.util.List;

/**
 * Where outbox entries are delivered: a server collection in production. Implementations send the
 * operations in the given order and return only once the receiver has applied all of them (Qdrant's
 * {@code wait=true}); a batch that fails may have been applied in part, so every operation must be safe to
 * apply again (Qdrant's point operations are).
 */
@FunctionalInterface
public interface OutboxSink {

    /**
     * Delivers {@code operations}, in order.
     *
     * @throws DeliveryException when the receiver did not acknowledge all of them; its {@link
     *     DeliveryException#kind()} tells whether trying again can help
     */
    void deliver(List<UpdateOperation> operations) throws DeliveryException;
}
