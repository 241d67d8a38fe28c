package dev.qdrantedge.spring.boot.autoconfigure;

import static dev.qdrantedge.spring.boot.autoconfigure.EdgeOutboxAutoConfigurationTest.CONFIG;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.qdrantedge.engine.snapshot.SnapshotManifest;
import dev.qdrantedge.engine.sync.EdgeStore;
import dev.qdrantedge.engine.sync.SnapshotSource;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Stopping the refresher while a download hangs. */
class EdgeMirrorRefresherTest {

    @TempDir
    Path temp;

    /** A download that never ends by itself, as a server that stopped sending would make it. */
    static final class HangingSource implements SnapshotSource {
        final CountDownLatch entered = new CountDownLatch(1);
        final AtomicReference<Throwable> ended = new AtomicReference<>();

        @Override
        public Path downloadFull(Path directory) throws IOException {
            entered.countDown();
            try {
                new CountDownLatch(1).await();
                throw new AssertionError("unreachable");
            } catch (InterruptedException e) {
                InterruptedIOException interrupted = new InterruptedIOException("download interrupted");
                ended.set(interrupted);
                Thread.currentThread().interrupt();
                throw interrupted;
            }
        }

        @Override
        public Optional<Path> downloadPartial(SnapshotManifest manifest, Path directory) throws IOException {
            return Optional.of(downloadFull(directory));
        }
    }

    @Test
    void stoppingInterruptsAHangingDownloadAndLeavesTheStoreAsItWas() throws Exception {
        try (EdgeStore store = EdgeStore.open(temp.resolve("store"), CONFIG)) {
            HangingSource source = new HangingSource();
            EdgeMirrorRefresher refresher = new EdgeMirrorRefresher(store, source, new EdgeProperties.Sync(),
                    "server", Clock.systemUTC());
            refresher.start(); // initial delay 0: the first refresh starts at once and hangs
            assertThat(source.entered.await(30, TimeUnit.SECONDS)).isTrue();

            refresher.stop();

            assertThat(refresher.isRunning()).isFalse();
            assertThat(source.ended.get()).isInstanceOf(InterruptedIOException.class);
            assertThat(store.hasMirror()).isFalse();
            assertThat(store.status().lastRefreshError()).contains("download interrupted");
            assertThatThrownBy(refresher::triggerRefresh).isInstanceOf(IllegalStateException.class)
                    .hasMessageContaining("not running");
            assertThat(Thread.currentThread().isInterrupted()).isFalse();
        }
    }
}
