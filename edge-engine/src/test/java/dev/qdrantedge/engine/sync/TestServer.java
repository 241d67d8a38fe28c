package dev.qdrantedge.engine.sync;

import dev.qdrantedge.engine.config.EdgeConfig;
import dev.qdrantedge.engine.operation.UpdateOperation;
import dev.qdrantedge.engine.shard.EdgeShard;
import dev.qdrantedge.engine.shard.PointNotFoundException;
import dev.qdrantedge.engine.snapshot.ShardSnapshotWriter;
import dev.qdrantedge.engine.snapshot.SnapshotManifest;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A stand-in for a Qdrant server collection shard: a real shard directory that receives delivered operations
 * (as a server applies them: an operation naming a missing point is applied around it) and serves real
 * snapshot archives of itself, full ones and partial ones for a requester's manifest (none when nothing
 * changed). A download can be held until released.
 */
final class TestServer implements AutoCloseable {

    /** Where a held download waits. */
    enum HoldPoint {
        /** Before the archive is made: writes applied meanwhile are in it. */
        BEFORE_ARCHIVE,
        /** After the archive is made: writes applied meanwhile are not. */
        AFTER_ARCHIVE
    }

    private final Path directory;
    private final EdgeShard shard;
    private final List<UpdateOperation> received = new ArrayList<>();
    private final AtomicInteger archives = new AtomicInteger();
    private volatile HoldPoint holdAt;
    private volatile CountDownLatch entered;
    private volatile CountDownLatch release;
    private volatile boolean down;

    private TestServer(Path directory, EdgeShard shard) {
        this.directory = directory;
        this.shard = shard;
    }

    static TestServer create(Path directory, EdgeConfig config) {
        return new TestServer(directory, EdgeShard.create(directory, config));
    }

    /** A server over an existing shard directory (opened for writing). */
    static TestServer load(Path directory) {
        return new TestServer(directory, EdgeShard.load(directory));
    }

    EdgeShard shard() {
        return shard;
    }

    /** Writes made on the server directly (another client's). */
    synchronized void apply(UpdateOperation op) {
        try {
            shard.update(op);
        } catch (PointNotFoundException e) {
            // applied to the other points, as the server does
        }
        received.add(op);
    }

    synchronized List<UpdateOperation> received() {
        return List.copyOf(received);
    }

    /** Makes the server unreachable (transient failures) or reachable again. */
    void setDown(boolean isDown) {
        this.down = isDown;
    }

    OutboxSink sink() {
        return operations -> {
            if (down) {
                throw DeliveryException.transientFailure("server unreachable", null);
            }
            for (UpdateOperation op : operations) {
                apply(op);
            }
        };
    }

    /** Holds the next download at {@code point} until {@link #release()}. */
    void holdNextDownload(HoldPoint point) {
        entered = new CountDownLatch(1);
        release = new CountDownLatch(1);
        holdAt = point;
    }

    void awaitDownloadHeld() throws InterruptedException {
        if (!entered.await(30, TimeUnit.SECONDS)) {
            throw new AssertionError("no download started");
        }
    }

    void release() {
        release.countDown();
    }

    private void hold(HoldPoint point) throws IOException {
        if (holdAt != point) {
            return;
        }
        holdAt = null;
        entered.countDown();
        try {
            if (!release.await(60, TimeUnit.SECONDS)) {
                throw new IOException("the held download was never released");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted", e);
        }
    }

    SnapshotSource source() {
        return new SnapshotSource() {
            @Override
            public Path downloadFull(Path dir) throws IOException {
                if (down) {
                    throw new IOException("server unreachable");
                }
                hold(HoldPoint.BEFORE_ARCHIVE);
                Path archive = dir.resolve("full-" + archives.incrementAndGet() + ".snapshot");
                synchronized (TestServer.this) {
                    shard.createSnapshot(archive);
                }
                hold(HoldPoint.AFTER_ARCHIVE);
                return archive;
            }

            @Override
            public Optional<Path> downloadPartial(SnapshotManifest manifest, Path dir) throws IOException {
                if (down) {
                    throw new IOException("server unreachable");
                }
                hold(HoldPoint.BEFORE_ARCHIVE);
                Path archive = dir.resolve("partial-" + archives.incrementAndGet() + ".snapshot");
                boolean unchanged;
                synchronized (TestServer.this) {
                    unchanged = shard.snapshotManifest().equals(manifest); // (flushes the shard first)
                    if (!unchanged) {
                        ShardSnapshotWriter.writePartial(directory, manifest, archive);
                    }
                }
                hold(HoldPoint.AFTER_ARCHIVE);
                return unchanged ? Optional.empty() : Optional.of(archive);
            }
        };
    }

    @Override
    public void close() {
        shard.close();
    }
}
