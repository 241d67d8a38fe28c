package dev.qdrantedge.engine.snapshot;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.qdrantedge.engine.shard.EdgeShard;
import dev.qdrantedge.engine.shard.Record;
import dev.qdrantedge.engine.snapshot.SnapshotException.Kind;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;
import org.apache.commons.compress.archivers.tar.TarConstants;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Every kind of hostile or broken archive is refused, by {@link EdgeShard#unpackSnapshot} (the target is not
 * created, nothing lands outside it) and by {@link EdgeShard#updateFromSnapshot} (the shard's files are
 * byte-for-byte unchanged and it keeps working). Hostile entries come last, after a complete valid snapshot,
 * so that everything before them has been unpacked when they are met. Hostile entries are written with
 * Commons Compress, an implementation independent of this engine's writer.
 */
class HostileArchiveTest {

    private static final SnapshotLimits SMALL = SnapshotLimits.defaults().withMaxEntryBytes(48L << 20)
            .withMaxTotalBytes(512L << 20).withMaxEntries(400);

    enum Hostile {
        DOT_DOT(Kind.UNSAFE_PATH),
        ABSOLUTE_PATH(Kind.UNSAFE_PATH),
        SYMLINK_OUT(Kind.LINK),
        HARD_LINK(Kind.LINK),
        CHARACTER_DEVICE(Kind.SPECIAL_FILE),
        FIFO(Kind.SPECIAL_FILE),
        ENTRY_TOO_LARGE(Kind.TOO_LARGE),
        SPARSE_ENTRY_TOO_LARGE(Kind.TOO_LARGE),
        TOTAL_TOO_LARGE(Kind.TOO_LARGE),
        TOO_MANY_ENTRIES(Kind.TOO_LARGE),
        TRUNCATED_IN_DATA(Kind.TRUNCATED),
        TRUNCATED_BETWEEN_ENTRIES(Kind.TRUNCATED),
        NOT_A_TAR(Kind.MALFORMED),
        DUPLICATE_FILE(Kind.MALFORMED),
        NESTED_SEGMENT_ARCHIVE_ESCAPES(Kind.UNSAFE_PATH),
        NO_SEGMENTS_DIR(Kind.LAYOUT),
        CORRUPT_SEGMENT_STATE(Kind.CORRUPT_SEGMENT),
        TRUNCATED_SEGMENT_FILE(Kind.CORRUPT_SEGMENT),
        MANIFEST_OF_ANOTHER_SEGMENT(Kind.MANIFEST_MISMATCH),
        FILE_MISSING_FROM_MANIFEST(Kind.MANIFEST_MISMATCH),
        FILE_NEWER_THAN_SEGMENT(Kind.MANIFEST_MISMATCH),
        /** Only detectable against the shard the partial snapshot was made for. */
        CHANGED_FILE_LEFT_OUT(Kind.MANIFEST_MISMATCH, false);

        final Kind kind;
        final boolean refusedOnUnpack;

        Hostile(Kind kind) {
            this(kind, true);
        }

        Hostile(Kind kind, boolean refusedOnUnpack) {
            this.kind = kind;
            this.refusedOnUnpack = refusedOnUnpack;
        }
    }

    @TempDir
    static Path shared;

    @TempDir
    Path temp;

    private static Path template;
    private static Path server;
    private static Path valid;
    private Path shard;

    @BeforeAll
    static void shards() throws IOException {
        template = SnapshotTestSupport.javaShard(shared.resolve("shard"), 1, 80, 1);
        server = shared.resolve("server");
        FixtureCopies.copySparse(template, server);
        Files.deleteIfExists(server.resolve(".edge-jvm.lock"));
        try (EdgeShard s = EdgeShard.load(server)) {
            SnapshotTestSupport.upsert(s, 70, 20, 2);
        }
        valid = shared.resolve("valid.snapshot");
        try (EdgeShard s = EdgeShard.load(server)) {
            s.createSnapshot(valid);
        }
    }

    @BeforeEach
    void shard() throws IOException {
        shard = temp.resolve("shard");
        FixtureCopies.copySparse(template, shard);
    }

    @ParameterizedTest
    @EnumSource(Hostile.class)
    void isRefusedAndChangesNothing(Hostile hostile) throws IOException {
        Path archive = build(hostile);
        Path escaped = temp.resolve("escaped.txt");

        if (hostile.refusedOnUnpack) {
            Path target = temp.resolve("out").resolve("unpacked");
            assertThatThrownBy(() -> EdgeShard.unpackSnapshot(archive, target, SMALL))
                    .isInstanceOfSatisfying(SnapshotException.class, e -> assertThat(e.kind()).as(e.getMessage())
                            .isEqualTo(hostile.kind));
            assertThat(target).doesNotExist();
            assertThat(SnapshotTestSupport.list(target.getParent())).as("no staging left behind").isEmpty();
            assertThat(escaped).doesNotExist();
        }

        List<Record> before = SnapshotTestSupport.records(shard);
        try (EdgeShard s = EdgeShard.load(shard)) {
            s.flush();
            Map<String, String> files = SnapshotTestSupport.tree(shard);
            assertThatThrownBy(() -> s.updateFromSnapshot(archive, SMALL))
                    .isInstanceOfSatisfying(SnapshotException.class, e -> assertThat(e.kind()).as(e.getMessage())
                            .isEqualTo(hostile.kind));
            assertThat(SnapshotTestSupport.tree(shard)).as("the shard's files").isEqualTo(files);
            assertThat(SnapshotTestSupport.records(s)).isEqualTo(before);
            SnapshotTestSupport.upsert(s, 500, 1, 3); // still writable
        }
        assertThat(escaped).doesNotExist();
        assertThat(SnapshotTestSupport.records(shard)).hasSize(before.size() + 1);
    }

    private Path build(Hostile hostile) throws IOException {
        Path archive = temp.resolve(hostile.name().toLowerCase() + ".tar");
        String segment = SnapshotTestSupport.list(server.resolve("segments")).get(0).getFileName().toString();
        String escaped = temp.resolve("escaped.txt").toString();
        switch (hostile) {
            case DOT_DOT -> appendTo(valid, archive, tar -> file(tar, "segments/" + segment + "/../../../escaped.txt",
                    "x"));
            case ABSOLUTE_PATH -> appendTo(valid, archive, tar -> {
                TarArchiveEntry e = new TarArchiveEntry(escaped, true);
                e.setSize(1);
                tar.putArchiveEntry(e);
                tar.write('x');
                tar.closeArchiveEntry();
            });
            case SYMLINK_OUT -> appendTo(valid, archive, tar -> {
                TarArchiveEntry e = new TarArchiveEntry("segments/" + segment + "/files/link", TarConstants.LF_SYMLINK);
                e.setLinkName("../../../../../../..");
                tar.putArchiveEntry(e);
                tar.closeArchiveEntry();
            });
            case HARD_LINK -> appendTo(valid, archive, tar -> {
                TarArchiveEntry e = new TarArchiveEntry("segments/" + segment + "/files/hard", TarConstants.LF_LINK);
                e.setLinkName("/etc/passwd");
                tar.putArchiveEntry(e);
                tar.closeArchiveEntry();
            });
            case CHARACTER_DEVICE -> appendTo(valid, archive, tar -> {
                TarArchiveEntry e = new TarArchiveEntry("segments/" + segment + "/files/null", TarConstants.LF_CHR);
                e.setDevMajor(1);
                e.setDevMinor(3);
                tar.putArchiveEntry(e);
                tar.closeArchiveEntry();
            });
            case FIFO -> appendTo(valid, archive, tar -> {
                TarArchiveEntry e = new TarArchiveEntry("segments/" + segment + "/files/fifo", TarConstants.LF_FIFO);
                tar.putArchiveEntry(e);
                tar.closeArchiveEntry();
            });
            case ENTRY_TOO_LARGE -> appendTo(valid, archive, tar -> {
                TarArchiveEntry e = new TarArchiveEntry("segments/" + segment + "/files/big.bin");
                byte[] content = new byte[(int) SMALL.maxEntryBytes() + 1];
                Arrays.fill(content, (byte) 1);
                e.setSize(content.length);
                tar.putArchiveEntry(e);
                tar.write(content);
                tar.closeArchiveEntry();
            });
            case SPARSE_ENTRY_TOO_LARGE -> {
                Path sparse = temp.resolve("sparse.bin");
                try (var raf = new java.io.RandomAccessFile(sparse.toFile(), "rw")) {
                    raf.write(1);
                    raf.setLength(SMALL.maxEntryBytes() * 4);
                }
                Path suffix = temp.resolve("suffix.tar");
                try (TarWriter tar = TarWriter.create(suffix, 0)) {
                    tar.file("segments/" + segment + "/files/sparse.bin", sparse);
                    tar.finish();
                }
                assertThat(Files.size(suffix)).isLessThan(1 << 20);
                concat(valid, suffix, archive);
            }
            case TOTAL_TOO_LARGE -> {
                // each entry within the per-entry limit, together beyond the total
                Path sparse = temp.resolve("sparse.bin");
                try (var raf = new java.io.RandomAccessFile(sparse.toFile(), "rw")) {
                    raf.write(1);
                    raf.setLength(SMALL.maxEntryBytes() - 1);
                }
                Path suffix = temp.resolve("suffix.tar");
                try (TarWriter tar = TarWriter.create(suffix, 0)) {
                    for (int i = 0; i < SMALL.maxTotalBytes() / SMALL.maxEntryBytes() + 1; i++) {
                        tar.file("segments/" + segment + "/files/part" + i, sparse);
                    }
                    tar.finish();
                }
                concat(valid, suffix, archive);
            }
            case TOO_MANY_ENTRIES -> appendTo(valid, archive, tar -> {
                for (int i = 0; i < SMALL.maxEntries(); i++) {
                    file(tar, "segments/" + segment + "/files/many/" + i, "");
                }
            });
            case TRUNCATED_IN_DATA -> {
                byte[] bytes = Files.readAllBytes(valid);
                Files.write(archive, Arrays.copyOf(bytes, bytes.length - 1024 - 700));
            }
            case TRUNCATED_BETWEEN_ENTRIES -> {
                byte[] bytes = Files.readAllBytes(valid);
                Files.write(archive, Arrays.copyOf(bytes, bytes.length - 1024));
            }
            case NOT_A_TAR -> {
                byte[] garbage = new byte[4096];
                new java.util.Random(1).nextBytes(garbage);
                Files.write(archive, garbage);
            }
            case DUPLICATE_FILE -> appendTo(valid, archive, tar -> file(tar, "shard_config.json", "{}"));
            case NESTED_SEGMENT_ARCHIVE_ESCAPES -> {
                ByteArrayOutputStream inner = new ByteArrayOutputStream();
                try (TarArchiveOutputStream tar = new TarArchiveOutputStream(inner)) {
                    file(tar, "snapshot/files/../../../../escaped.txt", "x");
                }
                byte[] nested = inner.toByteArray();
                appendTo(valid, archive, tar -> {
                    TarArchiveEntry e = new TarArchiveEntry("segments/00000000-0000-0000-0000-000000000001.tar");
                    e.setSize(nested.length);
                    tar.putArchiveEntry(e);
                    tar.write(nested);
                    tar.closeArchiveEntry();
                });
            }
            case NO_SEGMENTS_DIR -> {
                try (TarArchiveOutputStream tar = new TarArchiveOutputStream(Files.newOutputStream(archive))) {
                    file(tar, "shard_config.json", "{\"type\":\"ReplicaSet\"}");
                }
            }
            case CORRUPT_SEGMENT_STATE -> repack(archive, segment, dir -> Files.writeString(
                    dir.resolve("segment.json"), "{\"version\": 3, \"config\": "));
            case TRUNCATED_SEGMENT_FILE -> repack(archive, segment, dir -> {
                Path versions = dir.resolve("mutable_id_tracker.mappings");
                byte[] bytes = Files.readAllBytes(versions);
                Files.write(versions, Arrays.copyOf(bytes, 5));
                Path chunk = dir.resolve("vector_storage/vectors/chunk_0.mmap");
                try (var raf = new java.io.RandomAccessFile(chunk.toFile(), "rw")) {
                    raf.setLength(16);
                }
            });
            case MANIFEST_OF_ANOTHER_SEGMENT -> repackPartial(archive, segment, dir -> {
                Path manifest = dir.resolve(SegmentManifest.FILE);
                Files.writeString(manifest, Files.readString(manifest).replace(segment,
                        "00000000-0000-0000-0000-000000000002"));
            });
            case FILE_MISSING_FROM_MANIFEST -> repackPartial(archive, segment,
                    dir -> Files.writeString(dir.resolve("payload_storage/extra.dat"), "unlisted"));
            case FILE_NEWER_THAN_SEGMENT -> repackPartial(archive, segment, dir -> {
                Path manifest = dir.resolve(SegmentManifest.FILE);
                Files.writeString(manifest, Files.readString(manifest)
                        .replace("\"payload_storage/config.json\":0", "\"payload_storage/config.json\":999999"));
            });
            case CHANGED_FILE_LEFT_OUT -> repackPartial(archive, segment,
                    dir -> Files.delete(dir.resolve("mutable_id_tracker.versions")));
            default -> throw new IllegalStateException(hostile.name());
        }
        return archive;
    }

    interface TarEntries {
        void write(TarArchiveOutputStream tar) throws IOException;
    }

    interface DirEdit {
        void edit(Path segmentDir) throws IOException;
    }

    private static void file(TarArchiveOutputStream tar, String name, String content) throws IOException {
        byte[] bytes = content.getBytes(StandardCharsets.UTF_8);
        TarArchiveEntry e = new TarArchiveEntry(name);
        e.setSize(bytes.length);
        tar.putArchiveEntry(e);
        tar.write(bytes);
        tar.closeArchiveEntry();
    }

    /** The valid archive without its end marker, followed by the given entries (and a new end marker). */
    private static void appendTo(Path valid, Path archive, TarEntries entries) throws IOException {
        byte[] bytes = Files.readAllBytes(valid);
        try (OutputStream out = Files.newOutputStream(archive, StandardOpenOption.CREATE_NEW)) {
            out.write(bytes, 0, bytes.length - 1024);
            TarArchiveOutputStream tar = new TarArchiveOutputStream(out);
            tar.setLongFileMode(TarArchiveOutputStream.LONGFILE_GNU);
            tar.setBigNumberMode(TarArchiveOutputStream.BIGNUMBER_POSIX);
            entries.write(tar);
            tar.finish();
        }
    }

    private static void concat(Path valid, Path suffix, Path archive) throws IOException {
        byte[] bytes = Files.readAllBytes(valid);
        try (OutputStream out = Files.newOutputStream(archive, StandardOpenOption.CREATE_NEW)) {
            out.write(bytes, 0, bytes.length - 1024);
            out.write(Files.readAllBytes(suffix));
        }
    }

    /** The valid full snapshot unpacked, one segment edited, packed again. */
    private void repack(Path archive, String segment, DirEdit edit) throws IOException {
        Path dir = temp.resolve("repack");
        EdgeShard.unpackSnapshot(valid, dir);
        Files.deleteIfExists(dir.resolve(".edge-jvm.lock"));
        edit.edit(dir.resolve("segments").resolve(segment));
        SnapshotTestSupport.streamedLayout(dir, archive, true, false);
    }

    /** A partial snapshot of the server for the shard's manifest, one segment edited, packed again. */
    private void repackPartial(Path archive, String segment, DirEdit edit) throws IOException {
        Path partial = temp.resolve("partial.tar");
        ShardSnapshotWriter.writePartial(server, ShardManifests.of(shard), partial);
        Path dir = temp.resolve("repack");
        EdgeShard.unpackSnapshot(partial, dir);
        edit.edit(dir.resolve("segments").resolve(segment));
        SnapshotTestSupport.streamedLayout(dir, archive, false, false);
    }
}
