package dev.qdrantedge.engine.sync;

import com.sun.net.httpserver.Headers;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLContext;

/**
 * A real HTTP (or HTTPS) server on a loopback port that records every request and answers it with the
 * test's {@link Responder}. A responder that throws makes the server drop the connection, even in the middle of
 * a body. Handlers that block are interrupted when the server closes.
 */
final class LoopbackHttpServer implements AutoCloseable {

    /** A request as the server received it. */
    record Request(String method, String rawPath, Headers headers, byte[] body) {
        String bodyText() {
            return new String(body, StandardCharsets.UTF_8);
        }

        String header(String name) {
            return headers.getFirst(name);
        }
    }

    /** Answers the {@code number}-th request (from 1). */
    @FunctionalInterface
    interface Responder {
        void respond(Request request, int number, HttpExchange exchange) throws Exception;
    }

    private final HttpServer server;
    private final ExecutorService executor = Executors.newCachedThreadPool(r -> {
        Thread t = new Thread(r, "loopback-http");
        t.setDaemon(true);
        return t;
    });
    private final List<Request> requests = new CopyOnWriteArrayList<>();

    private LoopbackHttpServer(HttpServer server, Responder responder) {
        this.server = server;
        server.setExecutor(executor);
        server.createContext("/", exchange -> {
            byte[] body = exchange.getRequestBody().readAllBytes();
            Request request = new Request(exchange.getRequestMethod(), exchange.getRequestURI().getRawPath(),
                    exchange.getRequestHeaders(), body);
            requests.add(request);
            try {
                responder.respond(request, requests.size(), exchange);
                exchange.close();
            } catch (IOException e) {
                throw e; // the server drops the connection
            } catch (Exception e) {
                throw new IOException(e);
            }
        });
        server.start();
    }

    static LoopbackHttpServer http(Responder responder) throws IOException {
        return new LoopbackHttpServer(HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0),
                0), responder);
    }

    static LoopbackHttpServer https(SSLContext context, Responder responder) throws IOException {
        HttpsServer server = HttpsServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.setHttpsConfigurator(new HttpsConfigurator(context));
        return new LoopbackHttpServer(server, responder);
    }

    /** {@code http://127.0.0.1:port} (or https). */
    String baseUrl() {
        String scheme = server instanceof HttpsServer ? "https" : "http";
        return scheme + "://127.0.0.1:" + server.getAddress().getPort();
    }

    List<Request> requests() {
        return List.copyOf(requests);
    }

    @Override
    public void close() throws InterruptedException {
        server.stop(0);
        executor.shutdownNow();
        executor.awaitTermination(10, TimeUnit.SECONDS);
    }

    // ---------------------------------------------------------------------------------------------
    // answers

    /** 200 with the file as body, with a Content-Length or (as Qdrant streams) chunked. */
    static void sendFile(HttpExchange exchange, Path file, boolean withLength) throws IOException {
        exchange.getResponseHeaders().set("Content-Type", "application/octet-stream");
        exchange.sendResponseHeaders(200, withLength ? Files.size(file) : 0);
        try (OutputStream out = exchange.getResponseBody()) {
            Files.copy(file, out);
        }
    }

    /** A status with a text body. */
    static void sendText(HttpExchange exchange, int status, String text) throws IOException {
        byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().set("Content-Type", "text/plain; charset=utf-8");
        exchange.sendResponseHeaders(status, bytes.length == 0 ? -1 : bytes.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(bytes);
        }
    }

    /** 304 Not Modified, no body. */
    static void sendNotModified(HttpExchange exchange) throws IOException {
        exchange.sendResponseHeaders(304, -1);
    }
}
