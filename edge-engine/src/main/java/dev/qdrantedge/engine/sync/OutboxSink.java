package dev.qdrantedge.engine.sync;

import dev.qdrantedge.engine.operation.UpdateOperation;
import java.util.List;

/**
 * Where outbox entries are delivered: a server collection in production. Implementations send the
 * operations in the given order and return only once the receiver has applied all of them (Qdrant's
 * {@code wait=true}); a batch that fails may have been applied in part, and the publisher then delivers it
 * again, in order (see {@link OutboxPublisher} for the form operations by filter take then).
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
