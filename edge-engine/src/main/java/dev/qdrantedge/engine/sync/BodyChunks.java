package dev.qdrantedge.engine.sync;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.Flow;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * A response body read piece by piece by the downloading thread, each wait bounded: the JDK client's request
 * timeout ends with the response headers, so a server that stalls in the middle of the body would otherwise
 * block a reader forever. The next piece is asked for only when the reader is done with the last one, so one
 * piece at a time is held in memory.
 */
final class BodyChunks implements Flow.Subscriber<List<ByteBuffer>> {

    /** No piece arrived within the wait. */
    static final class StallException extends Exception {
        private static final long serialVersionUID = 1L;

        StallException() {
            super(null, null, false, false);
        }
    }

    private static final Object END = new Object();

    private final BlockingQueue<Object> queue = new LinkedBlockingQueue<>();
    private Flow.Subscription subscription;
    private boolean cancelled;
    /** A piece was handed out: the one after it is asked for on the next call (only the reader touches this). */
    private boolean delivered;

    /** Subscribes to {@code body}; call {@link #cancel()} when done unless {@link #next} returned null. */
    static BodyChunks of(Flow.Publisher<List<ByteBuffer>> body) {
        BodyChunks chunks = new BodyChunks();
        body.subscribe(chunks);
        return chunks;
    }

    @Override
    public void onSubscribe(Flow.Subscription s) {
        boolean cancelNow;
        synchronized (this) {
            cancelNow = cancelled || subscription != null;
            if (!cancelNow) {
                subscription = s;
            }
        }
        if (cancelNow) {
            s.cancel();
        } else {
            s.request(1);
        }
    }

    @Override
    public void onNext(List<ByteBuffer> item) {
        queue.add(item);
    }

    @Override
    public void onError(Throwable failure) {
        queue.add(failure);
    }

    @Override
    public void onComplete() {
        queue.add(END);
    }

    /**
     * The next piece of the body, or null at its end. The piece returned before is done with by then.
     *
     * @throws StallException when nothing arrived within {@code waitNanos}
     * @throws IOException when the body failed (connection reset, truncated ...)
     */
    @SuppressWarnings("unchecked")
    List<ByteBuffer> next(long waitNanos) throws IOException, InterruptedException, StallException {
        if (delivered) {
            delivered = false;
            Flow.Subscription s;
            synchronized (this) {
                s = subscription;
            }
            if (s != null) {
                s.request(1);
            }
        }
        Object item = queue.poll(Math.max(0, waitNanos), TimeUnit.NANOSECONDS);
        if (item == null) {
            throw new StallException();
        }
        if (item == END) {
            return null;
        }
        if (item instanceof Throwable) {
            Throwable failure = (Throwable) item;
            if (failure instanceof IOException) {
                throw (IOException) failure;
            }
            throw new IOException(failure.toString(), failure);
        }
        delivered = true;
        return (List<ByteBuffer>) item;
    }

    /** Stops the body (the client closes or recycles the connection). */
    void cancel() {
        Flow.Subscription s;
        synchronized (this) {
            cancelled = true;
            s = subscription;
            subscription = null;
        }
        if (s != null) {
            s.cancel();
        }
    }
}
