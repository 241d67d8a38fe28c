package dev.qdrantedge.spring.sync;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * A loopback TCP proxy in front of a server that can stop the server's answers in the middle: after
 * {@link #pauseAfter(long)}, the bytes flowing back to clients are passed on up to that many and then held
 * until {@link #release()}, so that a client's download stands still mid-stream. Everything else is relayed
 * as it comes.
 */
final class PausingProxy implements AutoCloseable {

    private final InetSocketAddress target;
    private final ServerSocket listener;
    private final List<Socket> sockets = new CopyOnWriteArrayList<>();
    private final Object lock = new Object();
    /** Bytes still to pass before holding; negative when not armed. */
    private long allowance = -1;
    private CountDownLatch paused = new CountDownLatch(1);
    private CountDownLatch released = new CountDownLatch(0);
    private volatile boolean closed;

    private PausingProxy(InetSocketAddress target) throws IOException {
        this.target = target;
        this.listener = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        Thread acceptor = new Thread(this::accept, "pausing-proxy");
        acceptor.setDaemon(true);
        acceptor.start();
    }

    /** A proxy to the server on the loopback {@code port}. */
    static PausingProxy toLoopbackPort(int port) throws IOException {
        return new PausingProxy(new InetSocketAddress(InetAddress.getLoopbackAddress(), port));
    }

    /** {@code http://127.0.0.1:port} of the proxy. */
    URI httpUri() {
        return URI.create("http://" + listener.getInetAddress().getHostAddress() + ":" + listener.getLocalPort());
    }

    /** Holds the answers once {@code bytes} more have gone back to clients, until {@link #release()}. */
    void pauseAfter(long bytes) {
        synchronized (lock) {
            allowance = bytes;
            paused = new CountDownLatch(1);
            released = new CountDownLatch(1);
        }
    }

    /** Waits until the answers are held. */
    void awaitPaused(Duration timeout) throws InterruptedException {
        CountDownLatch p;
        synchronized (lock) {
            p = paused;
        }
        if (!p.await(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
            throw new AssertionError("no answer reached the pause within " + timeout);
        }
    }

    /** Lets the held answers go on. */
    void release() {
        synchronized (lock) {
            allowance = -1;
            released.countDown();
        }
    }

    private void accept() {
        while (!closed) {
            try {
                Socket client = listener.accept();
                Socket server = new Socket(target.getAddress(), target.getPort());
                sockets.add(client);
                sockets.add(server);
                pump(client, server, false);
                pump(server, client, true);
            } catch (IOException e) {
                if (!closed) {
                    throw new IllegalStateException("the proxy stopped accepting", e);
                }
            }
        }
    }

    private void pump(Socket from, Socket to, boolean answers) {
        Thread t = new Thread(() -> {
            byte[] buffer = new byte[8192];
            try (InputStream in = from.getInputStream(); OutputStream out = to.getOutputStream()) {
                int n;
                while ((n = in.read(buffer)) > 0) {
                    int sent = 0;
                    while (sent < n) {
                        int chunk = answers ? passable(n - sent) : n - sent;
                        out.write(buffer, sent, chunk);
                        out.flush();
                        sent += chunk;
                    }
                }
            } catch (IOException | InterruptedException e) {
                // the other side went away, or the proxy closed
            } finally {
                closeQuietly(from);
                closeQuietly(to);
            }
        }, answers ? "pausing-proxy-answers" : "pausing-proxy-requests");
        t.setDaemon(true);
        t.start();
    }

    /** How many of {@code wanted} bytes may go back now; waits while the answers are held. */
    private int passable(int wanted) throws InterruptedException {
        while (true) {
            CountDownLatch wait;
            synchronized (lock) {
                if (allowance < 0) {
                    return wanted;
                }
                if (allowance > 0) {
                    int n = (int) Math.min(wanted, allowance);
                    allowance -= n;
                    return n;
                }
                paused.countDown();
                wait = released;
            }
            wait.await();
        }
    }

    private static void closeQuietly(Socket s) {
        try {
            s.close();
        } catch (IOException ignored) {
            // already gone
        }
    }

    @Override
    public void close() throws IOException {
        closed = true;
        release();
        listener.close();
        sockets.forEach(PausingProxy::closeQuietly);
    }
}
