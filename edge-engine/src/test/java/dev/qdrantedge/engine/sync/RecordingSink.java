package dev.qdrantedge.engine.sync;

import dev.qdrantedge.engine.operation.UpdateOperation;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * A sink that keeps every call it gets (successful or not) and answers each as its {@link Behaviour} says;
 * it can hold a call until released.
 */
final class RecordingSink implements OutboxSink {

    /** Decides how a call ends: {@code null} for success, else the failure to throw. */
    @FunctionalInterface
    interface Behaviour {
        DeliveryException answer(int call, List<UpdateOperation> operations);
    }

    /** One call: its operations (as {@link SyncTestSupport#encoded} strings) and whether it succeeded. */
    record Call(List<String> operations, boolean succeeded) {
    }

    private final List<Call> calls = new ArrayList<>();
    private volatile Behaviour behaviour = (call, ops) -> null;
    private volatile CountDownLatch entered;
    /** The latch the next call waits on; taken by that call. */
    private volatile CountDownLatch hold;
    private volatile CountDownLatch release;

    void behave(Behaviour newBehaviour) {
        this.behaviour = newBehaviour;
    }

    /** Makes the next call wait, after signalling {@link #awaitEntered()}, until {@link #release()}. */
    void holdNextCall() {
        entered = new CountDownLatch(1);
        release = new CountDownLatch(1);
        hold = release;
    }

    void awaitEntered() throws InterruptedException {
        if (!entered.await(30, TimeUnit.SECONDS)) {
            throw new AssertionError("the publisher never called the sink");
        }
    }

    void release() {
        release.countDown();
    }

    @Override
    public void deliver(List<UpdateOperation> operations) throws DeliveryException {
        CountDownLatch waitFor = hold;
        if (waitFor != null) {
            hold = null;
            entered.countDown();
            try {
                waitFor.await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw DeliveryException.transientFailure("interrupted", e);
            }
        }
        int call;
        synchronized (calls) {
            call = calls.size();
        }
        DeliveryException failure = behaviour.answer(call, operations);
        synchronized (calls) {
            calls.add(new Call(SyncTestSupport.encoded(operations), failure == null));
        }
        if (failure != null) {
            throw failure;
        }
    }

    List<Call> calls() {
        synchronized (calls) {
            return List.copyOf(calls);
        }
    }

    /** The operations of the successful calls, in delivery order. */
    List<String> delivered() {
        List<String> out = new ArrayList<>();
        for (Call c : calls()) {
            if (c.succeeded()) {
                out.addAll(c.operations());
            }
        }
        return out;
    }
}
