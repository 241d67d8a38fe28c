package dev.qdrantedge.engine.snapshot;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.Comparator;
import java.util.stream.Stream;

/**
 * Forcing files and directories to the device, and moving and deleting trees: shared by the snapshot code and
 * the other writers of small crash-safe files (the outbox log's compaction).
 */
public final class FileSync {

    private FileSync() {
    }

    public static void syncFile(Path file) throws IOException {
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ)) {
            channel.force(true);
        }
    }

    /** Forces a directory's entries (file creations, renames, deletions in it) to the device. */
    public static void syncDirectory(Path dir) throws IOException {
        try (FileChannel channel = FileChannel.open(dir, StandardOpenOption.READ)) {
            channel.force(true);
        } catch (IOException e) {
            // Some file systems refuse to open or sync directories; their renames are then as durable as
            // they get.
            if (!Files.isDirectory(dir)) {
                throw e;
            }
        }
    }

    /** Forces every file of a tree, then every directory, deepest first. */
    public static void syncTree(Path root) throws IOException {
        if (Files.isRegularFile(root)) {
            syncFile(root);
            return;
        }
        Files.walkFileTree(root, new SimpleFileVisitor<>() {
            @Override
            public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) throws IOException {
                if (attrs.isRegularFile()) {
                    syncFile(file);
                }
                return FileVisitResult.CONTINUE;
            }

            @Override
            public FileVisitResult postVisitDirectory(Path dir, IOException failure) throws IOException {
                if (failure != null) {
                    throw failure;
                }
                syncDirectory(dir);
                return FileVisitResult.CONTINUE;
            }
        });
    }

    /** A rename that is atomic on the file system (both paths in the same file system). */
    public static void rename(Path from, Path to) throws IOException {
        try {
            Files.move(from, to, StandardCopyOption.ATOMIC_MOVE);
        } catch (AtomicMoveNotSupportedException e) {
            throw new IOException("cannot rename " + from + " to " + to + " atomically: " + e.getMessage(), e);
        }
    }

    /** Writes a small file so that it is either absent or complete: temporary file, force, rename, force dir. */
    public static void writeAtomically(Path file, byte[] content) throws IOException {
        Path tmp = file.resolveSibling("." + file.getFileName() + ".tmp");
        Files.deleteIfExists(tmp);
        try (FileChannel channel = FileChannel.open(tmp, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
            java.nio.ByteBuffer buffer = java.nio.ByteBuffer.wrap(content);
            while (buffer.hasRemaining()) {
                channel.write(buffer);
            }
            channel.force(true);
        }
        rename(tmp, file);
        syncDirectory(file.getParent());
    }

    /**
     * Moves everything in {@code from} into {@code to}, merging directories that exist on both sides and
     * replacing files; {@code from} is left empty.
     */
    public static void moveAll(Path from, Path to) throws IOException {
        Files.createDirectories(to);
        try (Stream<Path> entries = Files.list(from)) {
            for (Path entry : (Iterable<Path>) entries.sorted()::iterator) {
                Path dest = to.resolve(entry.getFileName().toString());
                if (Files.isDirectory(entry, java.nio.file.LinkOption.NOFOLLOW_LINKS)
                        && Files.isDirectory(dest, java.nio.file.LinkOption.NOFOLLOW_LINKS)) {
                    moveAll(entry, dest);
                    Files.delete(entry);
                } else {
                    if (Files.isDirectory(dest, java.nio.file.LinkOption.NOFOLLOW_LINKS)) {
                        deleteTree(dest);
                    }
                    Files.move(entry, dest, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
                }
            }
        }
    }

    /** Deletes a file or a whole tree; nothing when absent. Links are deleted, never followed. */
    public static void deleteTree(Path root) throws IOException {
        if (!Files.exists(root, java.nio.file.LinkOption.NOFOLLOW_LINKS)) {
            return;
        }
        try (Stream<Path> walk = Files.walk(root)) {
            for (Path p : (Iterable<Path>) walk.sorted(Comparator.reverseOrder())::iterator) {
                Files.deleteIfExists(p);
            }
        }
    }
}
