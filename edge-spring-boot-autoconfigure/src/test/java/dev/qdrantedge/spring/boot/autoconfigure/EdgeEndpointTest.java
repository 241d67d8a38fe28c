package dev.qdrantedge.spring.boot.autoconfigure;

import static dev.qdrantedge.spring.boot.autoconfigure.EdgeOutboxAutoConfigurationTest.CONFIG;
import static dev.qdrantedge.spring.boot.autoconfigure.EdgeOutboxAutoConfigurationTest.upsert;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.qdrantedge.engine.shard.EdgeShard;
import dev.qdrantedge.engine.sync.EdgeStore;
import dev.qdrantedge.engine.sync.OutboxState;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.actuate.endpoint.InvalidEndpointRequestException;

/** The {@code qdrantedge} endpoint's operations on a real store. */
class EdgeEndpointTest {

    @TempDir
    Path temp;
    EdgeStore store;

    @BeforeEach
    void openStore() {
        store = EdgeStore.open(temp.resolve("store"), CONFIG);
    }

    @AfterEach
    void closeStore() {
        store.close();
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> part(Map<String, Object> status, String name) {
        return (Map<String, Object>) status.get(name);
    }

    @Test
    void statusShowsTheStoreAndTheOutboxWithoutServer() {
        store.update(upsert(1, 1, 1));
        Map<String, Object> status = new EdgeEndpoint(store, null, null).status();
        assertThat(status).containsOnlyKeys("store", "outbox");
        assertThat(part(status, "store")).containsEntry("localPoints", 1L).containsEntry("mirrorPresent", false)
                .containsEntry("path", store.directory().toString());
        assertThat(part(status, "outbox")).containsEntry("backlog", 1L).containsEntry("pending", 1L)
                .containsEntry("dead", 0L).containsEntry("nextSeq", 2L);
    }

    @Test
    void deadEntriesAreListedResubmittedAndPurged() {
        long first = store.update(upsert(1, 1, 1));
        long second = store.update(upsert(2, 1, 1));
        long third = store.update(upsert(3, 1, 1));
        for (long seq : new long[] {first, second, third}) {
            store.outbox().markDead(seq, "INVALID_ARGUMENT: seq " + seq);
        }
        EdgeEndpoint endpoint = new EdgeEndpoint(store, null, null);

        List<Map<String, Object>> dead = endpoint.entries("dead");
        assertThat(dead).extracting(e -> e.get("seq")).containsExactly(first, second, third);
        assertThat(dead.get(0)).containsEntry("operation", "upsert_points").containsEntry("points", List.of("1"))
                .containsEntry("attempts", 1).containsEntry("error", "INVALID_ARGUMENT: seq " + first);
        assertThat(endpoint.entries("pending")).isEmpty();

        assertThat(endpoint.act("resubmit", second)).containsEntry("resubmitted", 1).containsEntry("seq", second);
        assertThat(store.outbox().get(second).orElseThrow().state()).isEqualTo(OutboxState.PENDING);
        assertThat(endpoint.entries("PENDING")).extracting(e -> e.get("seq")).containsExactly(second);

        assertThat(endpoint.purge("dead", first)).containsEntry("purged", first);
        assertThat(store.outbox().get(first)).isEmpty();

        assertThat(endpoint.act("resubmit", null)).containsEntry("resubmitted", 1);
        assertThat(store.outbox().deadCount()).isZero();
        assertThat(store.outbox().backlog()).isEqualTo(2);
    }

    @Test
    void wrongRequestsAreRefusedWithTheirReason() {
        long seq = store.update(upsert(1, 1, 1));
        EdgeEndpoint endpoint = new EdgeEndpoint(store, null, null);
        assertThat(catchThrowableOfType(InvalidEndpointRequestException.class, () -> endpoint.act("sync", null)))
                .hasMessageContaining("unknown action 'sync'");
        assertThat(catchThrowableOfType(InvalidEndpointRequestException.class, () -> endpoint.act("resubmit", seq)))
                .hasMessageContaining("cannot resubmit outbox entry " + seq + ": it is PENDING, not DEAD");
        assertThat(catchThrowableOfType(InvalidEndpointRequestException.class, () -> endpoint.purge("dead", 99)))
                .hasMessageContaining("the outbox holds no entry 99");
        assertThat(catchThrowableOfType(InvalidEndpointRequestException.class, () -> endpoint.purge("pending", seq)))
                .hasMessageContaining("only dead entries can be purged");
        assertThat(catchThrowableOfType(InvalidEndpointRequestException.class, () -> endpoint.entries("gone")))
                .hasMessageContaining("unknown outbox state 'gone'");
        assertThat(catchThrowableOfType(InvalidEndpointRequestException.class, () -> endpoint.act("refresh", null)))
                .hasMessageContaining("the mirror is not synced");
        assertThat(store.outbox().backlog()).isEqualTo(1);
    }

    @Test
    void refreshRunsOnTheRefresherAndAnswersHowItWent() throws Exception {
        EdgeProperties.Sync sync = new EdgeProperties.Sync();
        sync.setInitialDelay(Duration.ofHours(1));
        try (EdgeShard shard = EdgeShard.create(temp.resolve("server"), CONFIG)) {
            shard.update(upsert(100, 1, 0));
            ShardSnapshotSource source = new ShardSnapshotSource(shard);
            EdgeMirrorRefresher refresher = new EdgeMirrorRefresher(store, source, sync, "server", Clock.systemUTC());
            EdgeEndpoint endpoint = new EdgeEndpoint(store, null, refresher);
            assertThat(catchThrowableOfType(InvalidEndpointRequestException.class,
                    () -> endpoint.act("refresh", null))).hasMessageContaining("not running");
            refresher.start();
            try {
                Map<String, Object> done = endpoint.act("refresh", null);
                assertThat(done).containsEntry("refreshed", true).containsEntry("kind", "FULL");
                assertThat((Long) done.get("bytes")).isPositive();
                assertThat(store.count(null)).isEqualTo(1);

                source.down = true;
                assertThat(endpoint.act("refresh", null)).containsEntry("refreshed", false)
                        .containsEntry("error", "server unreachable");
                Map<String, Object> syncStatus = part(endpoint.status(), "sync");
                assertThat(syncStatus).containsEntry("running", true).containsEntry("refreshes", 1L)
                        .containsEntry("failures", 1L).containsEntry("consecutiveFailures", 1L)
                        .containsEntry("lastError", "server unreachable").containsKeys("lastRefresh", "lastFailureAt");
                assertThat(part(endpoint.status(), "store")).containsEntry("mirrorPoints", 1L);
            } finally {
                refresher.stop();
            }
        }
    }
}
