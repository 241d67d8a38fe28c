package dev.qdrantedge.engine.snapshot;

import dev.qdrantedge.engine.compat.SharedFixtures;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Writable copies of the server-written fixture shards with their absent large files (see the fixtures'
 * catalog) put back as zero-filled sparse files of the size the neighbouring configuration gives, and without
 * their (absent) WAL. Good enough for the reference engine to load shards whose payloads it does not read on
 * load; vectors and payloads of such copies are meaningless.
 */
final class FixtureCopies {

    private static final JsonMapper JSON = JsonMapper.builder().build();

    private FixtureCopies() {
    }

    static Path filledCopy(String fixture, String collection, Path target) throws IOException {
        Path shard = SharedFixtures.shard(fixture, collection, 0);
        copy(shard, target);
        Path fixtureDir = SharedFixtures.require().resolve(fixture);
        List<String> lines = Files.readAllLines(fixtureDir.resolve("MISSING_BLOBS.tsv"));
        for (String line : lines) {
            if (line.isBlank() || line.startsWith("#")) {
                continue;
            }
            Path absent = fixtureDir.resolve(line.split("\t")[0]).normalize();
            if (!absent.startsWith(shard)) {
                continue;
            }
            Path file = target.resolve(shard.relativize(absent).toString());
            String name = file.getFileName().toString();
            Path dir = file.getParent();
            if (dir.getFileName().toString().equals("wal")) {
                continue;
            }
            long size;
            if (name.startsWith("chunk_")) {
                size = json(dir.resolve("config.json")).get("chunk_size_bytes").asLong();
            } else if (name.startsWith("page_")) {
                size = json(dir.resolve("config.json")).get("page_size_bytes").asLong();
            } else if (name.equals("matrix.dat")) {
                Path segment = dir.getParent();
                long points = Files.size(segment.resolve("id_tracker.versions")) / Long.BYTES;
                long dim = json(segment.resolve("segment.json")).get("config").get("vector_data").get("")
                        .get("size").asLong();
                size = points * dim * Float.BYTES;
            } else {
                throw new IllegalStateException("no rule to recreate " + file);
            }
            try (RandomAccessFile raf = new RandomAccessFile(file.toFile(), "rw")) {
                raf.setLength(size);
            }
        }
        deleteTree(target.resolve("wal"));
        return target;
    }

    private static JsonNode json(Path file) throws IOException {
        return JSON.readTree(Files.readAllBytes(file));
    }

    static void copy(Path source, Path target) throws IOException {
        try (Stream<Path> files = Files.walk(source)) {
            for (Path from : (Iterable<Path>) files::iterator) {
                Path to = target.resolve(source.relativize(from).toString());
                if (Files.isDirectory(from)) {
                    Files.createDirectories(to);
                } else {
                    Files.copy(from, to);
                    to.toFile().setWritable(true, true);
                }
            }
        }
    }

    /** As {@link #copy} but leaving all-zero 4 KiB blocks as holes, so that the copies are sparse files. */
    static void copySparse(Path source, Path target) throws IOException {
        try (Stream<Path> files = Files.walk(source)) {
            for (Path from : (Iterable<Path>) files::iterator) {
                Path to = target.resolve(source.relativize(from).toString());
                if (Files.isDirectory(from)) {
                    Files.createDirectories(to);
                    continue;
                }
                try (java.nio.channels.FileChannel in = java.nio.channels.FileChannel.open(from);
                        RandomAccessFile raf = new RandomAccessFile(to.toFile(), "rw")) {
                    java.nio.channels.FileChannel out = raf.getChannel();
                    java.nio.ByteBuffer buffer = java.nio.ByteBuffer.allocate(1 << 20);
                    long size = in.size();
                    long pos = 0;
                    while (pos < size) {
                        buffer.clear();
                        int n = in.read(buffer, pos);
                        if (n <= 0) {
                            break;
                        }
                        byte[] b = buffer.array();
                        for (int off = 0; off < n; off += 4096) {
                            int len = Math.min(4096, n - off);
                            if (!TarExtractor.isZero(b, off, len)) {
                                out.write(java.nio.ByteBuffer.wrap(b, off, len), pos + off);
                            }
                        }
                        pos += n;
                    }
                    raf.setLength(size);
                }
            }
        }
    }

    static void deleteTree(Path dir) {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> files = Files.walk(dir)) {
            for (Path p : (Iterable<Path>) files.sorted(java.util.Comparator.reverseOrder())::iterator) {
                Files.delete(p);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
