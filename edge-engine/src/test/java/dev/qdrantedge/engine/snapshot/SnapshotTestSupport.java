package dev.qdrantedge.engine.snapshot;

import dev.qdrantedge.engine.config.EdgeConfig;
import dev.qdrantedge.engine.config.VectorParams;
import dev.qdrantedge.engine.idtracker.PointId;
import dev.qdrantedge.engine.operation.DeletePoints;
import dev.qdrantedge.engine.operation.PointStruct;
import dev.qdrantedge.engine.operation.UpsertPoints;
import dev.qdrantedge.engine.shard.EdgeShard;
import dev.qdrantedge.engine.shard.Record;
import dev.qdrantedge.engine.shard.ScrollPage;
import dev.qdrantedge.engine.vectors.DenseVector;
import dev.qdrantedge.engine.vectors.Distance;
import dev.qdrantedge.engine.vectors.VectorValue;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.TreeMap;
import java.util.stream.Stream;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

/** Shards written by this engine for snapshot tests, and ways to compare shards and directory trees. */
final class SnapshotTestSupport {

    static final JsonMapper JSON = JsonMapper.builder().build();
    /** Long enough that the storage paths in a snapshot need GNU long-name entries. */
    static final String LONG_VECTOR = "a-vector-name-long-enough-to-push-archive-paths-beyond-the-hundred-bytes";

    private SnapshotTestSupport() {
    }

    static EdgeConfig config() {
        return new EdgeConfig(Map.of("", new VectorParams(4, Distance.DOT), LONG_VECTOR,
                new VectorParams(3, Distance.EUCLID)));
    }

    /** A shard with points {@code first .. first+count-1}, flushed and closed. */
    static Path javaShard(Path dir, int first, int count, long seed) {
        try (EdgeShard shard = EdgeShard.create(dir, config())) {
            upsert(shard, first, count, seed);
        }
        return dir;
    }

    static void upsert(EdgeShard shard, int first, int count, long seed) {
        Random random = new Random(seed);
        List<PointStruct> batch = new ArrayList<>();
        for (int i = first; i < first + count; i++) {
            ObjectNode payload = JSON.createObjectNode();
            payload.put("n", i);
            payload.put("word", "w" + random.nextInt(100));
            Map<String, VectorValue> vectors = Map.of("", vector(random, 4), LONG_VECTOR, vector(random, 3));
            batch.add(new PointStruct(PointId.of(i), vectors, Optional.of(payload)));
            if (batch.size() == 50) {
                shard.update(new UpsertPoints(batch));
                batch = new ArrayList<>();
            }
        }
        if (!batch.isEmpty()) {
            shard.update(new UpsertPoints(batch));
        }
    }

    static void delete(EdgeShard shard, long... ids) {
        List<PointId> list = new ArrayList<>();
        for (long id : ids) {
            list.add(PointId.of(id));
        }
        shard.update(new DeletePoints(list));
    }

    private static DenseVector vector(Random random, int size) {
        float[] v = new float[size];
        for (int i = 0; i < size; i++) {
            v[i] = (float) random.nextGaussian();
        }
        return new DenseVector(v);
    }

    static List<Record> records(EdgeShard shard) {
        List<Record> all = new ArrayList<>();
        PointId offset = null;
        do {
            ScrollPage page = shard.scroll(offset, 500, true, true);
            all.addAll(page.points());
            offset = page.nextOffset();
        } while (offset != null);
        return all;
    }

    static List<Record> records(Path shardDir) {
        try (EdgeShard shard = EdgeShard.openReadOnly(shardDir)) {
            return records(shard);
        }
    }

    /** Every file under {@code dir} (relative path to size and checksum), the lock file left out. */
    static Map<String, String> tree(Path dir) {
        Map<String, String> files = new TreeMap<>();
        try (Stream<Path> walk = Files.walk(dir)) {
            for (Path p : (Iterable<Path>) walk::iterator) {
                String relative = dir.relativize(p).toString();
                if (Files.isRegularFile(p, LinkOption.NOFOLLOW_LINKS) && !relative.equals(".edge-jvm.lock")) {
                    files.put(relative, digest(p));
                } else if (Files.isDirectory(p) && !relative.isEmpty()) {
                    files.put(relative + "/", "dir");
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return files;
    }

    /** Size and CRC-32C of the content: enough to see that a file changed. */
    static String digest(Path file) throws IOException {
        try (java.nio.channels.FileChannel in = java.nio.channels.FileChannel.open(file)) {
            java.util.zip.CRC32C crc = new java.util.zip.CRC32C();
            java.nio.ByteBuffer buffer = java.nio.ByteBuffer.allocateDirect(1 << 20);
            while (in.read(buffer) > 0) {
                buffer.flip();
                crc.update(buffer);
                buffer.clear();
            }
            return in.size() + ":" + Long.toHexString(crc.getValue());
        }
    }

    /** Entry names of a tar archive, in order (read with Commons Compress). */
    static List<String> entryNames(Path archive) throws IOException {
        List<String> names = new ArrayList<>();
        try (var in = new org.apache.commons.compress.archivers.tar.TarArchiveInputStream(
                new java.io.BufferedInputStream(Files.newInputStream(archive)))) {
            org.apache.commons.compress.archivers.tar.TarArchiveEntry e;
            while ((e = in.getNextEntry()) != null) {
                names.add(e.getName());
            }
        }
        return names;
    }

    /**
     * Re-packs an unpacked shard snapshot (plain segment directories) in the layout of a server's stored
     * snapshot: each segment as a nested {@code segments/<id>.tar} of {@code snapshot/files/...}, the rest as
     * it is.
     */
    static void storedLayout(Path shardDir, Path archive, Path work) throws IOException {
        Files.createDirectories(work);
        try (TarWriter tar = TarWriter.create(archive, 0)) {
            for (Path segment : list(shardDir.resolve("segments"))) {
                Path inner = work.resolve(segment.getFileName() + ".tar");
                try (TarWriter nested = TarWriter.create(inner, 0)) {
                    for (Path file : files(segment)) {
                        nested.file("snapshot/files/" + SegmentFiles.relative(segment, file), file);
                    }
                    nested.finish();
                }
                tar.file("segments/" + segment.getFileName() + ".tar", inner);
            }
            addRest(tar, shardDir);
            tar.finish();
        }
    }

    /** The streamed layout, with or without the {@code files/} level, optionally with a RocksDB backup dir. */
    static void streamedLayout(Path shardDir, Path archive, boolean filesLevel, boolean rocksDbBackup)
            throws IOException {
        try (TarWriter tar = TarWriter.create(archive, 0)) {
            for (Path segment : list(shardDir.resolve("segments"))) {
                String prefix = "segments/" + segment.getFileName() + "/" + (filesLevel ? "files/" : "");
                for (Path file : files(segment)) {
                    tar.file(prefix + SegmentFiles.relative(segment, file), file);
                }
                if (rocksDbBackup) {
                    tar.file("segments/" + segment.getFileName() + "/db_backup/CURRENT", "MANIFEST-1\n".getBytes());
                }
            }
            addRest(tar, shardDir);
            tar.finish();
        }
    }

    private static void addRest(TarWriter tar, Path shardDir) throws IOException {
        for (Path top : list(shardDir)) {
            String name = top.getFileName().toString();
            if (name.equals("segments") || name.startsWith(".")) {
                continue;
            }
            if (Files.isDirectory(top)) {
                tar.directory(name);
                for (Path file : files(top)) {
                    tar.file(name + "/" + SegmentFiles.relative(top, file), file);
                }
            } else {
                tar.file(name, top);
            }
        }
    }

    static List<Path> list(Path dir) throws IOException {
        try (Stream<Path> s = Files.list(dir)) {
            return s.sorted().toList();
        }
    }

    static List<Path> files(Path dir) throws IOException {
        try (Stream<Path> s = Files.walk(dir)) {
            return s.filter(Files::isRegularFile).sorted().toList();
        }
    }
}
