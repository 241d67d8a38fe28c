package dev.qdrantedge.engine.snapshot;

import dev.qdrantedge.engine.config.EdgeConfigFile;
import dev.qdrantedge.engine.segment.SegmentDirectories;
import dev.qdrantedge.engine.snapshot.SnapshotException.Kind;
import dev.qdrantedge.engine.wal.WalOptions;
import dev.qdrantedge.engine.wal.WalReader;
import dev.qdrantedge.engine.wal.WalWriter;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.stream.Stream;

/**
 * Writes a shard directory as a Qdrant shard snapshot in the streamed ("Streamable") layout a server produces
 * and recovers from:
 * <pre>
 * segments/&lt;id&gt;/files/&lt;every listed segment file&gt;, then segment.json, then version.info
 * newest_clocks.json, oldest_clocks.json        when the shard has them
 * wal/closed-&lt;L+1&gt;                               an empty WAL; L = the shard's last operation number
 * replica_state.json                            {"is_local":true,"this_peer_id":0,"peers":{"0":"Active"}}
 * shard_config.json                             {"type":"ReplicaSet"}
 * </pre>
 * Files are those Qdrant lists ({@link SegmentFiles}); files with holes become GNU sparse entries. With a
 * requester's manifest the archive is a partial snapshot built by the server's algorithm: each segment gets
 * its current {@code segment_manifest.json} first, then only the files the requester lacks or has in an older
 * version (and files at version 0 on both sides), then {@code segment.json} and {@code version.info};
 * segments the requester has but this shard has not are simply absent. The archive is written to a
 * temporary file beside the target, forced to the device and renamed into place.
 */
public final class ShardSnapshotWriter {

    static final String REPLICA_STATE = "{\"is_local\":true,\"this_peer_id\":0,\"peers\":{\"0\":\"Active\"}}";
    static final String SHARD_CONFIG = "{\"type\":\"ReplicaSet\"}";
    static final List<String> CLOCK_FILES = List.of("newest_clocks.json", "oldest_clocks.json");

    private ShardSnapshotWriter() {
    }

    /** A full snapshot of the shard in {@code shardDir}, whose segments must be flushed and not changing. */
    public static void writeFull(Path shardDir, Path archive) {
        write(shardDir, archive, Optional.empty());
    }

    /** A partial snapshot for a requester whose shard has {@code requester} (empty: everything). */
    public static void writePartial(Path shardDir, SnapshotManifest requester, Path archive) {
        write(shardDir, archive, Optional.of(requester));
    }

    static void write(Path shardDir, Path archive, Optional<SnapshotManifest> requester) {
        Path target = archive.toAbsolutePath().normalize();
        Path tmp = target.resolveSibling("." + target.getFileName() + ".writing-" + UUID.randomUUID());
        Path walTmp = target.resolveSibling("." + target.getFileName() + ".wal-" + UUID.randomUUID());
        try {
            Files.createDirectories(target.getParent());
            try (OutputStream file = Files.newOutputStream(tmp, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE);
                    TarWriter tar = new TarWriter(new BufferedOutputStream(file, 1 << 16),
                            System.currentTimeMillis() / 1000)) {
                long lastOperation = writeSegments(tar, shardDir, requester);
                for (String clocks : CLOCK_FILES) {
                    Path clockFile = shardDir.resolve(clocks);
                    if (Files.isRegularFile(clockFile)) {
                        tar.file(clocks, clockFile);
                    }
                }
                lastOperation = Math.max(lastOperation, walLastIndex(shardDir));
                WalWriter.createEmpty(walTmp, walOptions(shardDir), Math.max(0, lastOperation));
                tar.directory("wal");
                try (Stream<Path> walFiles = Files.list(walTmp)) {
                    for (Path walFile : (Iterable<Path>) walFiles.sorted()::iterator) {
                        tar.file("wal/" + walFile.getFileName(), walFile);
                    }
                }
                tar.file("replica_state.json", REPLICA_STATE.getBytes(StandardCharsets.UTF_8));
                tar.file("shard_config.json", SHARD_CONFIG.getBytes(StandardCharsets.UTF_8));
                tar.finish();
            }
            FileSync.syncFile(tmp);
            FileSync.rename(tmp, target);
            FileSync.syncDirectory(target.getParent());
        } catch (IOException e) {
            throw new SnapshotException(Kind.IO, "cannot write the snapshot " + archive + ": " + e.getMessage(), e);
        } finally {
            try {
                Files.deleteIfExists(tmp);
                FileSync.deleteTree(walTmp);
            } catch (IOException ignored) {
                // hidden leftovers beside the archive
            }
        }
    }

    /** Writes every segment; returns the highest segment version seen (-1 for none). */
    private static long writeSegments(TarWriter tar, Path shardDir, Optional<SnapshotManifest> requester)
            throws IOException {
        Path segments = shardDir.resolve(ShardManifests.SEGMENTS_DIR);
        long highest = -1;
        if (!Files.isDirectory(segments)) {
            return highest;
        }
        for (Path dir : SegmentDirectories.scan(segments)) {
            SegmentManifest current = SegmentFiles.manifest(dir);
            highest = Math.max(highest, current.segmentVersion());
            String prefix = "segments/" + current.segmentId() + "/" + SegmentLayouts.FILES_DIR + "/";
            List<String> files = new ArrayList<>(current.fileVersions().keySet());
            if (requester.isPresent()) {
                SegmentManifest old = requester.get().segment(current.segmentId())
                        .orElse(SegmentManifest.empty(current.segmentId()));
                tar.file(prefix + SegmentManifest.FILE, SnapshotManifest.segmentJson(current).toString()
                        .getBytes(StandardCharsets.UTF_8));
                files.removeIf(f -> !current.isUpdatedSince(old, f));
            }
            for (String file : files) {
                tar.file(prefix + file, dir.resolve(file));
            }
            tar.file(prefix + SegmentFiles.SEGMENT_STATE, dir.resolve(SegmentFiles.SEGMENT_STATE));
            tar.file(prefix + SegmentFiles.VERSION_INFO, dir.resolve(SegmentFiles.VERSION_INFO));
        }
        return highest;
    }

    private static long walLastIndex(Path shardDir) {
        Path wal = shardDir.resolve("wal");
        if (!Files.isDirectory(wal)) {
            return -1;
        }
        try (WalReader reader = WalReader.open(wal)) {
            return reader.storedCount() == 0 && reader.nextIndex() == 0 ? -1 : reader.lastIndex();
        }
    }

    private static WalOptions walOptions(Path shardDir) {
        try {
            return EdgeConfigFile.read(shardDir).map(c -> c.effectiveWalOptions()).orElse(WalOptions.defaults());
        } catch (RuntimeException e) {
            return WalOptions.defaults();
        }
    }

    /**
     * Whether the WAL of a shard holds operations its segments may lack (stored after the acknowledged one):
     * a snapshot of the segments alone would lose them.
     */
    public static boolean hasUnflushedOperations(Path shardDir) {
        Path wal = shardDir.resolve("wal");
        if (!Files.isDirectory(wal)) {
            return false;
        }
        try (WalReader reader = WalReader.open(wal)) {
            if (reader.storedCount() == 0) {
                return false;
            }
            return reader.ackIndex().isEmpty() || reader.lastIndex() > reader.ackIndex().getAsLong();
        }
    }
}
