package dev.qdrantedge.engine.sync;

import dev.qdrantedge.engine.config.EdgeConfig;
import dev.qdrantedge.engine.operation.UpdateOperation;
import dev.qdrantedge.engine.shard.EdgeShard;
import dev.qdrantedge.engine.shard.PointNotFoundException;
import dev.qdrantedge.engine.snapshot.SnapshotManifest;
import dev.qdrantedge.engine.wal.Crc32c;
import dev.qdrantedge.engine.wal.OperationEncoder;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
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

    /** The record of a process start (not a WAL record: no operation starts with a zero byte). */
    static final byte[] BOOT = {0};

    private final EdgeShard shard;
    /** Where every delivered batch is recorded first, or {@code null}. */
    private volatile Path recordFile;
    private final AtomicInteger archives = new AtomicInteger();
    private volatile HoldPoint holdAt;
    private volatile CountDownLatch entered;
    private volatile CountDownLatch release;
    private volatile boolean down;

    private TestServer(EdgeShard shard) {
        this.shard = shard;
    }

    static TestServer create(Path directory, EdgeConfig config) {
        return new TestServer(EdgeShard.create(directory, config));
    }

    /** A server over an existing shard directory (opened for writing). */
    static TestServer load(Path directory) {
        return new TestServer(EdgeShard.load(directory));
    }

    EdgeShard shard() {
        return shard;
    }

    /** A server over the shard in {@code directory}, created when missing. */
    static TestServer open(Path directory, EdgeConfig config) {
        return Files.isDirectory(directory.resolve(EdgeShard.SEGMENTS_DIR)) ? load(directory)
                : create(directory, config);
    }

    /**
     * Makes the sink append every delivered operation to {@code file} (a CRC frame holding its WAL record)
     * before applying it: the durable record of what the server received, in order, with redeliveries.
     */
    TestServer recordingTo(Path file) {
        this.recordFile = file;
        return this;
    }

    /** Records a marker frame: a new process starts delivering. */
    void recordBoot() throws IOException {
        record(List.of(BOOT));
    }

    /** Writes made on the server directly (another client's). */
    synchronized void apply(UpdateOperation op) {
        try {
            shard.update(op);
        } catch (PointNotFoundException e) {
            // applied to the other points, as the server does
        }
    }

    private synchronized void record(List<byte[]> bodies) throws IOException {
        Path file = recordFile;
        if (file == null) {
            return;
        }
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                StandardOpenOption.APPEND)) {
            ByteBuffer frames = OutboxRecords.frames(bodies);
            while (frames.hasRemaining()) {
                channel.write(frames);
            }
        }
    }

    /**
     * The frames of a record file, up to a torn tail: each the WAL record of a delivered operation, or
     * {@link #BOOT}.
     */
    static List<byte[]> readRecords(Path file) throws IOException {
        List<byte[]> out = new ArrayList<>();
        if (!Files.exists(file)) {
            return out;
        }
        ByteBuffer all = ByteBuffer.wrap(Files.readAllBytes(file));
        while (all.remaining() >= 8) {
            int length = all.getInt();
            int crc = all.getInt();
            if (length < 1 || length > all.remaining()) {
                break;
            }
            byte[] body = new byte[length];
            all.get(body);
            if (Crc32c.of(body) != crc) {
                break;
            }
            out.add(body);
        }
        return out;
    }

    static boolean isBoot(byte[] record) {
        return java.util.Arrays.equals(record, BOOT);
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
            List<byte[]> bodies = new ArrayList<>();
            for (UpdateOperation op : operations) {
                bodies.add(OperationEncoder.encode(op));
            }
            try {
                record(bodies);
            } catch (IOException e) {
                throw DeliveryException.transientFailure("cannot record the batch", e);
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
                boolean written;
                synchronized (TestServer.this) {
                    written = shard.createPartialSnapshot(manifest, archive);
                }
                hold(HoldPoint.AFTER_ARCHIVE);
                return written ? Optional.of(archive) : Optional.empty();
            }
        };
    }

    @Override
    public void close() {
        shard.close();
    }
}
