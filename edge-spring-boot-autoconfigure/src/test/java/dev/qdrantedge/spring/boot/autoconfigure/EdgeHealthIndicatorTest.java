package dev.qdrantedge.spring.boot.autoconfigure;

import static dev.qdrantedge.spring.boot.autoconfigure.EdgeOutboxAutoConfigurationTest.CONFIG;
import static dev.qdrantedge.spring.boot.autoconfigure.EdgeOutboxAutoConfigurationTest.upsert;
import static org.assertj.core.api.Assertions.assertThat;

import dev.qdrantedge.engine.shard.EdgeShard;
import dev.qdrantedge.engine.sync.EdgeStore;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.Status;

/** The health of a real store, with a refresher on a real shard's snapshots and a scripted server ping. */
class EdgeHealthIndicatorTest {

    @TempDir
    Path temp;
    EdgeStore store;
    EdgeProperties.Health thresholds = new EdgeProperties.Health();

    @BeforeEach
    void openStore() {
        store = EdgeStore.open(temp.resolve("store"), CONFIG);
    }

    @AfterEach
    void closeStore() {
        store.close();
    }

    private Health health(EdgeMirrorRefresher refresher, EdgeHealthIndicator.ServerPing ping, Clock clock) {
        return new EdgeHealthIndicator(store, thresholds, refresher, ping, clock).health();
    }

    private Health health() {
        return health(null, null, Clock.systemUTC());
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> detail(Health health, String name) {
        return (Map<String, Object>) health.getDetails().get(name);
    }

    @SuppressWarnings("unchecked")
    private static List<String> problems(Health health) {
        return (List<String>) health.getDetails().get("problems");
    }

    @Test
    void anOpenStoreWithoutServerIsUpWithItsCounts() {
        store.update(upsert(1, 1, 1));
        Health health = health();
        assertThat(health.getStatus()).isEqualTo(Status.UP);
        assertThat(health.getDetails()).containsEntry("localPoints", 1L).containsEntry("mirrorPoints", 0L)
                .containsEntry("mirrorPresent", false).doesNotContainKeys("problems", "sync", "server");
        assertThat(detail(health, "outbox")).containsEntry("backlog", 1L).containsEntry("dead", 0L)
                .containsKey("oldestPendingAge");
    }

    @Test
    void aBacklogOverItsThresholdIsOutOfService() {
        thresholds.setMaxBacklog(1);
        store.update(upsert(1, 1, 1));
        assertThat(health().getStatus()).isEqualTo(Status.UP);
        store.update(upsert(2, 1, 1));
        Health health = health();
        assertThat(health.getStatus()).isEqualTo(Status.OUT_OF_SERVICE);
        assertThat(problems(health)).containsExactly(
                "2 outbox entries wait for delivery, more than 1 (qdrant.edge.health.max-backlog)");
    }

    @Test
    void deadEntriesOverTheirThresholdAreOutOfService() {
        long seq = store.update(upsert(1, 1, 1));
        store.outbox().markDead(seq, "INVALID_ARGUMENT");
        Health health = health();
        assertThat(health.getStatus()).isEqualTo(Status.OUT_OF_SERVICE);
        assertThat(detail(health, "outbox")).containsEntry("dead", 1L).containsEntry("backlog", 0L);
        assertThat(problems(health)).singleElement().asString().contains("1 outbox entries are dead")
                .contains("qdrant.edge.health.max-dead-entries");
        thresholds.setMaxDeadEntries(1);
        assertThat(health().getStatus()).isEqualTo(Status.UP);
    }

    @Test
    void aClosedStoreIsDown() {
        store.close();
        Health health = health();
        assertThat(health.getStatus()).isEqualTo(Status.DOWN);
        assertThat(health.getDetails()).containsEntry("path", store.directory().toString());
        assertThat(health.getDetails().get("error").toString()).contains("is closed");
    }

    @Test
    void theServersPingDecidesWhetherItIsReachable() {
        Health up = health(null, timeout -> "1.19.0", Clock.systemUTC());
        assertThat(up.getStatus()).isEqualTo(Status.UP);
        assertThat(detail(up, "server")).containsEntry("version", "1.19.0").containsEntry("reachable", true);

        thresholds.setServerTimeout(Duration.ofMillis(300));
        Health away = health(null, timeout -> {
            throw new java.util.concurrent.TimeoutException("no answer in " + timeout.toMillis() + " ms");
        }, Clock.systemUTC());
        assertThat(away.getStatus()).isEqualTo(Status.OUT_OF_SERVICE);
        assertThat(detail(away, "server")).containsEntry("reachable", false)
                .containsEntry("error", "no answer in 300 ms");
        assertThat(problems(away)).singleElement().asString().contains("PT0.3S")
                .contains("qdrant.edge.health.server-timeout");
    }

    @Test
    void aMirrorNotRefreshedForLongerThanTheThresholdIsOutOfService() throws Exception {
        EdgeProperties.Sync sync = new EdgeProperties.Sync();
        sync.setInitialDelay(Duration.ofHours(1));
        Path serverDir = temp.resolve("server");
        try (EdgeShard shard = EdgeShard.create(serverDir, CONFIG)) {
            shard.update(upsert(100, 1, 0));
            ShardSnapshotSource source = new ShardSnapshotSource(shard);
            EdgeMirrorRefresher refresher = new EdgeMirrorRefresher(store, source, sync, "server",
                    Clock.systemUTC());
            refresher.start();
            try {
                Clock now = Clock.systemUTC();
                Clock later = Clock.offset(now, Duration.ofMinutes(11));
                assertThat(health(refresher, null, now).getStatus()).isEqualTo(Status.UP);
                Health never = health(refresher, null, later);
                assertThat(never.getStatus()).isEqualTo(Status.OUT_OF_SERVICE);
                assertThat(problems(never)).singleElement().asString()
                        .startsWith("no mirror refresh has succeeded in the PT11M")
                        .contains("qdrant.edge.health.max-refresh-age");

                refresher.triggerRefresh().get();
                Health fresh = health(refresher, null, now);
                assertThat(fresh.getStatus()).isEqualTo(Status.UP);
                assertThat(detail(fresh, "sync")).containsEntry("lastRefreshKind", "FULL")
                        .containsEntry("consecutiveFailures", 0L);
                assertThat(fresh.getDetails()).containsEntry("mirrorPoints", 1L);

                source.down = true;
                assertThat(refresher.triggerRefresh()).failsWithin(Duration.ofSeconds(30));
                Health stale = health(refresher, null, later);
                assertThat(stale.getStatus()).isEqualTo(Status.OUT_OF_SERVICE);
                assertThat(detail(stale, "sync")).containsEntry("consecutiveFailures", 1L)
                        .containsEntry("lastRefreshError", "server unreachable");
                assertThat(problems(stale)).singleElement().asString()
                        .startsWith("the last successful mirror refresh was PT11M").endsWith(": server unreachable");
            } finally {
                refresher.stop();
            }
        }
    }

    @Test
    void aStoppedRefresherIsNotJudgedByAge() throws IOException {
        EdgeMirrorRefresher stopped = new EdgeMirrorRefresher(store,
                new ShardSnapshotSource(null), new EdgeProperties.Sync(), "server", Clock.systemUTC());
        Health health = health(stopped, null, Clock.offset(Clock.systemUTC(), Duration.ofDays(1)));
        assertThat(health.getStatus()).isEqualTo(Status.UP);
        assertThat(detail(health, "sync")).doesNotContainKey("lastRefreshAge");
    }
}
