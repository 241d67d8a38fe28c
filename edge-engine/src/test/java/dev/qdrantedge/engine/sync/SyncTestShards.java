package dev.qdrantedge.engine.sync;

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
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.stream.Stream;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

/** Real shards for the sync tests: created, written and read through {@link EdgeShard}. */
final class SyncTestShards {

    private static final JsonMapper JSON = JsonMapper.builder().build();

    private SyncTestShards() {
    }

    static EdgeConfig config() {
        return new EdgeConfig(Map.of("", new VectorParams(4, Distance.COSINE)));
    }

    /** A shard holding points {@code first .. first+count-1}, flushed and closed. */
    static Path create(Path dir, int first, int count, long seed) {
        try (EdgeShard shard = EdgeShard.create(dir, config())) {
            upsert(shard, first, count, seed);
        }
        return dir;
    }

    static void upsert(EdgeShard shard, int first, int count, long seed) {
        Random random = new Random(seed);
        List<PointStruct> points = new ArrayList<>();
        for (int i = first; i < first + count; i++) {
            ObjectNode payload = JSON.createObjectNode().put("n", i).put("city", "c" + random.nextInt(10));
            float[] v = {(float) random.nextGaussian(), (float) random.nextGaussian(), (float) random.nextGaussian(),
                (float) random.nextGaussian()};
            Map<String, VectorValue> vectors = Map.of("", new DenseVector(v));
            points.add(new PointStruct(PointId.of(i), vectors, Optional.of(payload)));
        }
        shard.update(new UpsertPoints(points));
    }

    static void delete(EdgeShard shard, long... ids) {
        List<PointId> list = new ArrayList<>();
        for (long id : ids) {
            list.add(PointId.of(id));
        }
        shard.update(new DeletePoints(list));
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

    /** A copy of a closed shard's directory, without its lock file. */
    static Path copy(Path from, Path to) throws IOException {
        try (Stream<Path> walk = Files.walk(from)) {
            for (Path p : (Iterable<Path>) walk::iterator) {
                Path target = to.resolve(from.relativize(p).toString());
                if (Files.isDirectory(p)) {
                    Files.createDirectories(target);
                } else if (!p.getFileName().toString().equals(".edge-jvm.lock")) {
                    Files.copy(p, target);
                }
            }
        }
        return to;
    }

    /** The names in a directory, sorted. */
    static List<String> list(Path dir) throws IOException {
        try (Stream<Path> s = Files.list(dir)) {
            return s.map(p -> p.getFileName().toString()).sorted().toList();
        }
    }
}
