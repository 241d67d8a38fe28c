package dev.qdrantedge.engine.snapshot;

import dev.qdrantedge.engine.snapshot.SnapshotException.Kind;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

/**
 * Turns the {@code segments/} of an unpacked shard snapshot into plain segment directories, in place, as
 * Qdrant's {@code Segment::restore_snapshot_in_place} does for each non-hidden entry:
 * <ul>
 *   <li>a directory {@code X} (streamed snapshots, "Streamable"): RocksDB backups ({@code db_backup/},
 *       {@code payload_index_db_backup/}, which current Qdrant no longer reads) are dropped, and the content
 *       of {@code X/files/}, when present, is moved up into {@code X/};
 *   <li>a file {@code X.tar} (stored snapshots, "Regular"): unpacked into {@code X/} with the same safety
 *       checks and limits as the outer archive; when it holds {@code snapshot/}, that is processed as a
 *       streamed segment and its content moved up into {@code X/}; otherwise (pre-0.11 "Ancient" segment
 *       archives) the content is kept as it is. The {@code .tar} is deleted;
 *   <li>anything else (a dotted directory, {@code X.json}, {@code X.tar} beside a directory {@code X}) is an
 *       error.
 * </ul>
 */
final class SegmentLayouts {

    static final String FILES_DIR = "files";
    static final String SNAPSHOT_DIR = "snapshot";
    static final List<String> ROCKSDB_BACKUPS = List.of("db_backup", "payload_index_db_backup");

    private SegmentLayouts() {
    }

    static void restoreInPlace(Path unpacked, UnpackBudget budget) {
        Path segments = unpacked.resolve(ShardManifests.SEGMENTS_DIR);
        if (!Files.isDirectory(segments, LinkOption.NOFOLLOW_LINKS)) {
            throw new SnapshotException(Kind.LAYOUT, "not a shard snapshot: it has no " + ShardManifests.SEGMENTS_DIR
                    + "/ directory");
        }
        try {
            List<Path> entries;
            try (Stream<Path> list = Files.list(segments)) {
                entries = list.sorted().toList();
            }
            for (Path entry : entries) {
                String name = entry.getFileName().toString();
                if (name.startsWith(".")) {
                    continue;
                }
                int dot = name.indexOf('.');
                if (dot < 0 && Files.isDirectory(entry, LinkOption.NOFOLLOW_LINKS)) {
                    restoreStreamable(entry);
                } else if (dot > 0 && name.substring(dot + 1).equals("tar")
                        && Files.isRegularFile(entry, LinkOption.NOFOLLOW_LINKS)) {
                    restoreRegular(entry, segments.resolve(name.substring(0, dot)), budget);
                } else {
                    throw new SnapshotException(Kind.LAYOUT, "segments/" + name + ": expected a segment directory"
                            + " or a <segment>.tar archive");
                }
            }
        } catch (IOException e) {
            throw new SnapshotException(Kind.IO, "cannot restore the segments of the snapshot: " + e.getMessage(), e);
        }
    }

    private static void restoreRegular(Path archive, Path segment, UnpackBudget budget) throws IOException {
        String name = "segments/" + archive.getFileName();
        if (Files.exists(segment, LinkOption.NOFOLLOW_LINKS)) {
            throw new SnapshotException(Kind.LAYOUT, name + ": the snapshot also holds segments/"
                    + segment.getFileName() + "/");
        }
        Files.createDirectory(segment);
        TarExtractor.extract(archive, segment, budget, name);
        Path inner = segment.resolve(SNAPSHOT_DIR);
        if (Files.isDirectory(inner, LinkOption.NOFOLLOW_LINKS)) {
            restoreStreamable(inner);
            FileSync.moveAll(inner, segment);
            Files.delete(inner);
        }
        Files.delete(archive);
    }

    private static void restoreStreamable(Path segment) throws IOException {
        for (String backup : ROCKSDB_BACKUPS) {
            FileSync.deleteTree(segment.resolve(backup));
        }
        Path files = segment.resolve(FILES_DIR);
        if (Files.isDirectory(files, LinkOption.NOFOLLOW_LINKS)) {
            FileSync.moveAll(files, segment);
            Files.delete(files);
        }
    }
}
