package dev.qdrantedge.engine.shard;

import dev.qdrantedge.engine.EdgeException;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * The exclusive claim of one process (and one {@link EdgeShard} within it) on a shard directory opened
 * for writing: an OS lock on {@value #FILE} in the directory, released on {@link #close()} or when the
 * process dies.
 *
 * <p>The JDK's file locks are POSIX record locks. Qdrant's Rust engines take BSD {@code flock} locks, which
 * Linux keeps apart from record locks, so this lock keeps JVM writers apart from each other but does not
 * keep a Qdrant process out of the directory: never let both write the same shard at the same time.
 */
final class ShardLock implements AutoCloseable {

    static final String FILE = ".edge-jvm.lock";

    private final FileChannel channel;
    private final FileLock lock;

    private ShardLock(FileChannel channel, FileLock lock) {
        this.channel = channel;
        this.lock = lock;
    }

    /** @throws EdgeException when another process, or another open shard in this one, holds the lock */
    static ShardLock acquire(Path shardDir) {
        Path file = shardDir.resolve(FILE);
        FileChannel channel;
        try {
            channel = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.WRITE);
        } catch (IOException e) {
            throw new EdgeException("cannot open the lock file " + file + ": " + e.getMessage(), e);
        }
        try {
            FileLock lock = channel.tryLock();
            if (lock == null) {
                throw new EdgeException("shard " + shardDir + " is already open for writing in another process");
            }
            return new ShardLock(channel, lock);
        } catch (OverlappingFileLockException e) {
            closeQuietly(channel);
            throw new EdgeException("shard " + shardDir + " is already open for writing in this process", e);
        } catch (IOException e) {
            closeQuietly(channel);
            throw new EdgeException("cannot lock " + file + ": " + e.getMessage(), e);
        } catch (RuntimeException e) {
            closeQuietly(channel);
            throw e;
        }
    }

    @Override
    public void close() {
        try {
            lock.release();
        } catch (IOException ignored) {
            // closing the channel releases it as well
        } finally {
            closeQuietly(channel);
        }
    }

    private static void closeQuietly(FileChannel channel) {
        try {
            channel.close();
        } catch (IOException ignored) {
            // nothing left to release
        }
    }
}
