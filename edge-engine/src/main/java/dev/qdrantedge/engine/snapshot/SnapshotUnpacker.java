package dev.qdrantedge.engine.snapshot;

import dev.qdrantedge.engine.snapshot.SnapshotException.Kind;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.UUID;
import java.util.stream.Stream;

/**
 * {@code unpackSnapshot}: a server shard snapshot (streamed or stored layout, full or partial) or a snapshot
 * this engine wrote, unpacked into a directory as Qdrant Edge's {@code unpack_snapshot} does, segment layouts
 * restored in place. Everything happens in a hidden staging directory beside the target; only a snapshot that
 * passed every check (and, for a full snapshot, whose segments all load) is renamed into place, so a refused
 * or interrupted unpack leaves the target as it was.
 */
public final class SnapshotUnpacker {

    private SnapshotUnpacker() {
    }

    /**
     * @param target a directory that does not exist yet or is empty
     * @throws SnapshotException when the archive is refused; the target is then untouched
     */
    public static void unpack(Path archive, Path target, SnapshotLimits limits) {
        Path absolute = target.toAbsolutePath().normalize();
        Path parent = absolute.getParent();
        if (parent == null) {
            throw new SnapshotException(Kind.IO, "cannot unpack into " + target);
        }
        if (Files.exists(absolute, LinkOption.NOFOLLOW_LINKS)) {
            if (!Files.isDirectory(absolute, LinkOption.NOFOLLOW_LINKS) || !isEmpty(absolute)) {
                throw new SnapshotException(Kind.IO, "cannot unpack into " + target + ": it exists and is not an"
                        + " empty directory");
            }
        }
        Path staging = parent.resolve("." + absolute.getFileName() + ".unpacking-" + UUID.randomUUID());
        try {
            Files.createDirectories(staging);
            UnpackedSnapshot unpacked = UnpackedSnapshot.unpack(archive, staging, limits);
            if (!unpacked.partial()) {
                SegmentVerifier.verifyShard(staging);
            }
            FileSync.syncTree(staging);
            FileSync.rename(staging, absolute); // replaces an empty target directory
            FileSync.syncDirectory(parent);
        } catch (IOException e) {
            throw new SnapshotException(Kind.IO, "cannot unpack " + archive + " into " + target + ": " + e.getMessage(),
                    e);
        } finally {
            try {
                FileSync.deleteTree(staging);
            } catch (IOException ignored) {
                // a hidden leftover; the next unpack uses another name
            }
        }
    }

    private static boolean isEmpty(Path dir) {
        try (Stream<Path> entries = Files.list(dir)) {
            return entries.findAny().isEmpty();
        } catch (IOException e) {
            throw new SnapshotException(Kind.IO, "cannot list " + dir + ": " + e.getMessage(), e);
        }
    }
}
