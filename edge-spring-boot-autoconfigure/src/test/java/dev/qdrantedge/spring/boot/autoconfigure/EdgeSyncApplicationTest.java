package dev.qdrantedge.spring.boot.autoconfigure;

import static org.assertj.core.api.Assertions.assertThat;

import dev.qdrantedge.engine.config.EdgeConfig;
import dev.qdrantedge.engine.config.VectorParams;
import dev.qdrantedge.engine.idtracker.PointId;
import dev.qdrantedge.engine.operation.PointStruct;
import dev.qdrantedge.engine.operation.UpsertPoints;
import dev.qdrantedge.engine.shard.Record;
import dev.qdrantedge.engine.sync.EdgeStore;
import dev.qdrantedge.engine.vectors.DenseVector;
import dev.qdrantedge.engine.vectors.Distance;
import dev.qdrantedge.spring.boot.autoconfigure.repositories.places.Place;
import dev.qdrantedge.spring.boot.autoconfigure.repositories.places.PlaceRepository;
import dev.qdrantedge.spring.boot.autoconfigure.repositories.places.PlacesApplication;
import dev.qdrantedge.spring.testsupport.FailureRule;
import dev.qdrantedge.spring.testsupport.FakeQdrantServer;
import dev.qdrantedge.spring.testsupport.ReceivedRequest;
import io.grpc.Status;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.context.annotation.Bean;
import org.springframework.data.domain.Limit;
import org.springframework.data.domain.Vector;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * A whole application whose code is an entity and a repository, syncing with a Qdrant server: the fake one, on
 * loopback, with gRPC for writes and REST for snapshots, its collection a real shard. Its actuator endpoints are
 * used over HTTP.
 */
@SpringBootTest(classes = PlacesApplication.class, webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
@DirtiesContext
class EdgeSyncApplicationTest {

    static final EdgeConfig CONFIG = new EdgeConfig(Map.of("v", new VectorParams(2, Distance.DOT)));
    static final Duration WAIT = Duration.ofSeconds(30);
    static final JsonMapper JSON = JsonMapper.builder().build();

    @TempDir
    static Path temp;
    static FakeQdrantServer server;

    @DynamicPropertySource
    static void properties(DynamicPropertyRegistry registry) throws IOException {
        server = FakeQdrantServer.builder("places", CONFIG).tcp().http().apiKey("edge-key").start();
        registry.add("qdrant.edge.path", () -> temp.resolve("store").toString());
        registry.add("qdrant.edge.vectors.v.size", () -> "2");
        registry.add("qdrant.edge.vectors.v.distance", () -> "Dot");
        registry.add("qdrant.edge.server.url", () -> server.restBaseUri().toString());
        registry.add("qdrant.edge.server.grpc-port", () -> String.valueOf(server.port()));
        registry.add("qdrant.edge.server.api-key", () -> "edge-key");
        registry.add("qdrant.edge.server.collection-name", () -> "places");
        // refreshes only when the endpoint asks; deliveries retried every 50 to 200 ms
        registry.add("qdrant.edge.sync.initial-delay", () -> "1h");
        registry.add("qdrant.edge.outbox.retry.max-retries", () -> "0");
        registry.add("qdrant.edge.outbox.backoff.initial", () -> "50ms");
        registry.add("qdrant.edge.outbox.backoff.max", () -> "200ms");
        registry.add("qdrant.edge.health.max-backlog", () -> "0");
        registry.add("management.endpoints.web.exposure.include", () -> "health,metrics,qdrantedge");
        registry.add("management.endpoint.health.show-details", () -> "always");
        registry.add("spring.main.banner-mode", () -> "off");
    }

    /** The server outlives the application's background work: it is closed with the beans, after it stopped. */
    @TestConfiguration(proxyBeanMethods = false)
    static class ServerLifetime {
        @Bean(destroyMethod = "close")
        FakeQdrantServer fakeQdrantServer() {
            return server;
        }
    }

    @Autowired
    PlaceRepository places;
    @Autowired
    EdgeStore store;
    @Autowired
    EdgeOutboxDelivery delivery;
    @Value("${local.server.port}")
    int port;

    final HttpClient http = HttpClient.newHttpClient();

    @BeforeEach
    @AfterEach
    void nothingWaits() throws InterruptedException {
        assertThat(delivery.awaitDrained(WAIT)).isTrue();
        assertThat(store.outbox().deadCount()).isZero();
    }

    // ---------------------------------------------------------------------------------------------

    @Test
    void theRepositoryWorksOnTheStoreAndItsSavesReachTheServer() throws Exception {
        places.saveAll(List.of(new Place(1L, "Brandenburg Gate", "DE", new float[] {1, 0}),
                new Place(2L, "Alexanderplatz", "DE", new float[] {0.6f, 0.4f}),
                new Place(3L, "Belem Tower", "PT", new float[] {1, 0})));
        places.save(new Place(4L, "Alfama", "PT", new float[] {0, 1}));

        assertThat(places.findById(3L)).map(Place::name).contains("Belem Tower");
        assertThat(places.findByCountryOrderByNameAsc("DE")).extracting(Place::name)
                .containsExactly("Alexanderplatz", "Brandenburg Gate");
        assertThat(places.searchByCountryAndLocationNear("PT", Vector.of(0f, 1f), Limit.of(1)).getContent())
                .extracting(r -> r.getContent().id()).containsExactly(4L);
        places.deleteById(4L);
        assertThat(places.findById(4L)).isEmpty();
        assertThat(places.findAllById(List.of(1L, 2L, 3L, 4L))).extracting(Place::id).containsExactly(1L, 2L, 3L);
        assertThat(places.existsById(2L)).isTrue();

        assertThat(delivery.awaitDrained(WAIT)).isTrue();
        List<Record> onServer = server.shard().retrieve(
                List.of(PointId.of(1), PointId.of(2), PointId.of(3), PointId.of(4)), true, true);
        assertThat(onServer).extracting(Record::id).containsExactly(PointId.of(1), PointId.of(2), PointId.of(3));
        assertThat(onServer.get(2).payload().get("name").asString()).isEqualTo("Belem Tower");
        assertThat(onServer.get(0).vectors().get("v")).isEqualTo(new DenseVector(new float[] {1, 0}));
        assertThat(server.requests()).allSatisfy(r -> assertThat(r.headers().get(
                io.grpc.Metadata.Key.of("api-key", io.grpc.Metadata.ASCII_STRING_MARSHALLER))).isEqualTo("edge-key"));
    }

    @Test
    void aWriteOnTheServerReachesTheApplicationWhenTheEndpointTriggersARefresh() throws Exception {
        server.shard().update(new UpsertPoints(List.of(new PointStruct(PointId.of(50),
                Map.of("v", new DenseVector(new float[] {0.8f, 0.2f})),
                Optional.of(JSON.createObjectNode().put("name", "Sagrada Familia").put("country", "ES"))))));
        assertThat(places.findById(50L)).isEmpty();

        Answer refresh = post("/actuator/qdrantedge/refresh", null);

        assertThat(refresh.status()).isEqualTo(200);
        assertThat(refresh.json().get("refreshed").asBoolean()).as(refresh.body()).isTrue();
        assertThat(refresh.json().get("kind").asString()).isIn("FULL", "PARTIAL");
        assertThat(places.findById(50L)).map(Place::name).contains("Sagrada Familia");
        assertThat(places.findByCountryOrderByNameAsc("ES")).extracting(Place::id).containsExactly(50L);
        assertThat(places.searchByCountryAndLocationNear("ES", Vector.of(1f, 0f), Limit.of(1)).getContent())
                .extracting(r -> r.getContent().id()).containsExactly(50L);

        JsonNode status = get("/actuator/qdrantedge").json();
        assertThat(status.get("store").get("mirrorPresent").asBoolean()).isTrue();
        assertThat(status.get("sync").get("refreshes").asLong()).isPositive();
        assertThat(status.get("sync").get("lastRefresh").get("kind").asString()).isIn("FULL", "PARTIAL");
        assertThat(status.get("publisher").get("running").asBoolean()).isTrue();
    }

    @Test
    void healthAndMetricsReportTheBacklogWhileTheServerFailsAndClearItAfter() throws Exception {
        long delivered = get("/actuator/qdrantedge").json().get("publisher").get("deliveredEntries").asLong();
        try (FailureRule outage = server.failWhile(r -> true, Status.UNAVAILABLE.withDescription("restarting"))) {
            places.save(new Place(60L, "Parthenon", "GR", new float[] {0.5f, 0.5f}));
            server.awaitRequests(r -> r.methodName().equals("UpdateBatch") && r.mentions(PointId.of(60)), 2, WAIT);

            Answer health = get("/actuator/health/qdrantEdge");
            assertThat(health.status()).isEqualTo(503);
            assertThat(health.json().get("status").asString()).isEqualTo("OUT_OF_SERVICE");
            JsonNode details = health.json().get("details");
            assertThat(details.get("outbox").get("backlog").asLong()).isEqualTo(1);
            assertThat(details.get("problems").get(0).asString())
                    .isEqualTo("1 outbox entries wait for delivery, more than 0 (qdrant.edge.health.max-backlog)");
            assertThat(details.get("server").get("reachable").asBoolean()).isTrue();
            assertThat(metric("qdrant.edge.outbox.backlog")).isEqualTo(1.0);
            assertThat(metric("qdrant.edge.outbox.failed.attempts")).isPositive();
            assertThat(places.findById(60L)).as("the application reads its write meanwhile").isPresent();
            assertThat(outage.failures()).isGreaterThanOrEqualTo(2);
        }
        assertThat(delivery.awaitDrained(WAIT)).isTrue();

        Answer health = get("/actuator/health/qdrantEdge");
        assertThat(health.status()).isEqualTo(200);
        assertThat(health.json().get("status").asString()).isEqualTo("UP");
        assertThat(health.json().get("details").get("outbox").get("backlog").asLong()).isZero();
        assertThat(metric("qdrant.edge.outbox.backlog")).isZero();
        assertThat(metric("qdrant.edge.outbox.delivered")).isEqualTo(delivered + 1.0);
        assertThat(server.shard().retrieve(List.of(PointId.of(60)), false, false)).hasSize(1);
    }

    @Test
    void deadEntriesAppearAndAreResubmittedOrPurgedThroughTheEndpoint() throws Exception {
        long seq;
        try (FailureRule poison = server.failWhile(ReceivedRequest.mentioning(PointId.of(70)),
                Status.INVALID_ARGUMENT.withDescription("Wrong input: payload too large"))) {
            places.save(new Place(70L, "Colosseum", "IT", new float[] {1, 1}));
            assertThat(delivery.awaitDrained(WAIT)).isTrue();
            assertThat(store.outbox().deadCount()).isEqualTo(1);

            JsonNode dead = get("/actuator/qdrantedge/dead").json();
            assertThat(dead).hasSize(1);
            seq = dead.get(0).get("seq").asLong();
            assertThat(dead.get(0).get("points").get(0).asString()).isEqualTo("70");
            assertThat(dead.get(0).get("error").asString()).contains("INVALID_ARGUMENT")
                    .contains("payload too large");
            Answer health = get("/actuator/health/qdrantEdge");
            assertThat(health.json().get("status").asString()).isEqualTo("OUT_OF_SERVICE");
            assertThat(health.json().get("details").get("outbox").get("dead").asLong()).isEqualTo(1);
            assertThat(metric("qdrant.edge.outbox.dead")).isEqualTo(1.0);
            assertThat(poison.failures()).isEqualTo(1);
        }

        Answer resubmitted = post("/actuator/qdrantedge/resubmit", Map.of("seq", seq));
        assertThat(resubmitted.status()).isEqualTo(200);
        assertThat(resubmitted.json().get("resubmitted").asInt()).isEqualTo(1);
        assertThat(delivery.awaitDrained(WAIT)).isTrue();
        assertThat(get("/actuator/qdrantedge/dead").json()).isEmpty();
        assertThat(server.shard().retrieve(List.of(PointId.of(70)), true, false)).singleElement()
                .satisfies(r -> assertThat(r.payload().get("name").asString()).isEqualTo("Colosseum"));
        assertThat(get("/actuator/health/qdrantEdge").json().get("status").asString()).isEqualTo("UP");

        // purged: never delivered, and the next refresh lets the server's state win
        try (FailureRule poison = server.failWhile(ReceivedRequest.mentioning(PointId.of(71)),
                Status.INVALID_ARGUMENT)) {
            places.save(new Place(71L, "Pantheon", "IT", new float[] {1, 0}));
            assertThat(delivery.awaitDrained(WAIT)).isTrue();
            assertThat(poison.failures()).isEqualTo(1);
        }
        long dead = get("/actuator/qdrantedge/dead").json().get(0).get("seq").asLong();
        assertThat(post("/actuator/qdrantedge/resubmit", Map.of("seq", seq)).status()).as("not dead").isEqualTo(400);
        Answer purged = delete("/actuator/qdrantedge/dead/" + dead);
        assertThat(purged.status()).isEqualTo(200);
        assertThat(purged.json().get("purged").asLong()).isEqualTo(dead);
        assertThat(places.findById(71L)).as("the local effect stays until the next refresh").isPresent();
        assertThat(post("/actuator/qdrantedge/refresh", null).json().get("refreshed").asBoolean()).isTrue();
        assertThat(places.findById(71L)).isEmpty();
        assertThat(server.shard().retrieve(List.of(PointId.of(71)), false, false)).isEmpty();
    }

    @Test
    void searchesThroughTheRepositoryAreTimed() throws Exception {
        double before = metricStatistic("qdrant.edge.search", "COUNT");
        places.searchByCountryAndLocationNear("DE", Vector.of(1f, 0f), Limit.of(3));
        places.searchByCountryAndLocationNear("PT", Vector.of(1f, 0f), Limit.of(3));
        assertThat(metricStatistic("qdrant.edge.search", "COUNT")).isEqualTo(before + 2);
    }

    @Test
    void wrongEndpointRequestsAreAnswered400() throws Exception {
        assertThat(post("/actuator/qdrantedge/sync", null).status()).isEqualTo(400);
        assertThat(get("/actuator/qdrantedge/gone").status()).isEqualTo(400);
        assertThat(delete("/actuator/qdrantedge/dead/9999").status()).isEqualTo(400);
    }

    // ---------------------------------------------------------------------------------------------

    record Answer(int status, String body) {
        JsonNode json() {
            return JSON.readTree(body);
        }
    }

    private Answer get(String path) throws Exception {
        return send(HttpRequest.newBuilder(uri(path)).GET());
    }

    private Answer delete(String path) throws Exception {
        return send(HttpRequest.newBuilder(uri(path)).DELETE());
    }

    private Answer post(String path, Map<String, Object> body) throws Exception {
        return send(HttpRequest.newBuilder(uri(path)).header("Content-Type", "application/json")
                .POST(body == null ? HttpRequest.BodyPublishers.noBody()
                        : HttpRequest.BodyPublishers.ofString(JSON.writeValueAsString(body))));
    }

    private Answer send(HttpRequest.Builder request) throws Exception {
        HttpResponse<String> response = http.send(request.build(), HttpResponse.BodyHandlers.ofString());
        return new Answer(response.statusCode(), response.body());
    }

    private URI uri(String path) {
        return URI.create("http://127.0.0.1:" + port + path);
    }

    private double metric(String name) throws Exception {
        return metricStatistic(name, "VALUE");
    }

    private double metricStatistic(String name, String statistic) throws Exception {
        Answer answer = get("/actuator/metrics/" + name);
        assertThat(answer.status()).as(name + ": " + answer.body()).isEqualTo(200);
        for (JsonNode m : answer.json().get("measurements")) {
            if (m.get("statistic").asString().equals(statistic)
                    || (statistic.equals("VALUE") && m.get("statistic").asString().equals("COUNT"))) {
                return m.get("value").asDouble();
            }
        }
        throw new UncheckedIOException(new IOException("no " + statistic + " in " + answer.body()));
    }
}
