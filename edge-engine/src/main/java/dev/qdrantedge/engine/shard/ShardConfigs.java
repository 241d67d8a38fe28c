package dev.qdrantedge.engine.shard;

import dev.qdrantedge.engine.config.EdgeConfig;
import dev.qdrantedge.engine.config.EdgeConfigFile;
import dev.qdrantedge.engine.config.SparseVectorParams;
import dev.qdrantedge.engine.config.VectorParams;
import dev.qdrantedge.engine.segment.Segment;
import dev.qdrantedge.engine.segment.SegmentState;
import dev.qdrantedge.engine.segment.SparseVectorDataConfig;
import dev.qdrantedge.engine.segment.VectorDataConfig;
import dev.qdrantedge.engine.vectors.VectorStorageType;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import dev.qdrantedge.engine.EdgeException;

/**
 * Resolves a loaded shard's configuration as Qdrant Edge does: {@code edge_config.json} when present,
 * otherwise derived from the segments' configurations in segment-id order (a server snapshot carries no
 * edge configuration).
 */
final class ShardConfigs {

    private ShardConfigs() {
    }

    static Optional<EdgeConfig> resolve(Path shardDir, List<Segment> segments) {
        Optional<EdgeConfig> stored = EdgeConfigFile.read(shardDir);
        return stored.isPresent() ? stored : derive(segments);
    }

    /**
     * The configuration of a shard opened for writing, resolved as Qdrant Edge resolves it: the provided
     * one, else {@code edge_config.json}, else derived from the segments; whichever is used must name the
     * same vectors, with the same size, distance, datatype and kind, as the segments hold.
     *
     * @throws EdgeException when there is no configuration at all, or it disagrees with the segments
     */
    static EdgeConfig resolveForWriting(Path shardDir, Optional<EdgeConfig> provided, List<Segment> segments) {
        Optional<EdgeConfig> derived = derive(segments);
        Optional<EdgeConfig> stored = EdgeConfigFile.read(shardDir);
        Optional<EdgeConfig> chosen = provided.isPresent()
                ? Optional.of(stored.map(provided.get()::withUnspecifiedFrom).orElse(provided.get())) : stored;
        if (chosen.isEmpty()) {
            return derived.orElseThrow(() -> new EdgeException("shard " + shardDir + " has no configuration: no "
                    + EdgeConfigFile.FILE + " and no segments; create it with a configuration"));
        }
        if (derived.isEmpty()) {
            return chosen.get();
        }
        checkCompatible(shardDir, chosen.get(), derived.get());
        return chosen.get().withUnspecifiedFrom(derived.get());
    }

    private static void checkCompatible(Path shardDir, EdgeConfig config, EdgeConfig segments) {
        if (!config.vectors().keySet().equals(segments.vectors().keySet())
                || !config.sparseVectors().keySet().equals(segments.sparseVectors().keySet())) {
            throw new EdgeException("configuration of " + shardDir + " is incompatible with its segments: it names"
                    + " dense vectors " + config.vectors().keySet() + " and sparse vectors "
                    + config.sparseVectors().keySet() + ", the segments hold " + segments.vectors().keySet()
                    + " and " + segments.sparseVectors().keySet());
        }
        for (Map.Entry<String, VectorParams> e : config.vectors().entrySet()) {
            VectorParams mine = e.getValue();
            VectorParams stored = segments.vectors().get(e.getKey());
            if (mine.size() != stored.size() || mine.distance() != stored.distance()
                    || mine.datatype() != stored.datatype() || mine.multivector() != stored.multivector()) {
                throw new EdgeException("configuration of " + shardDir + " is incompatible with its segments:"
                        + " vector '" + e.getKey() + "' is configured as " + describe(mine) + ", stored as "
                        + describe(stored));
            }
        }
    }

    private static String describe(VectorParams p) {
        return p.size() + " x " + p.datatype().jsonName() + " " + p.distance().jsonName()
                + (p.multivector() ? " multivector" : "");
    }

    static Optional<EdgeConfig> derive(List<Segment> segments) {
        Map<String, VectorParams> vectors = new LinkedHashMap<>();
        Map<String, SparseVectorParams> sparse = new LinkedHashMap<>();
        List<SegmentState> states = segments.stream().sorted(Comparator.comparing(Segment::id)).map(Segment::state).toList();
        states.forEach(state -> fold(state, vectors, sparse));
        if (vectors.isEmpty() && sparse.isEmpty()) {
            return Optional.empty();
        }
        Boolean onDiskPayload = states.isEmpty() ? null : !"in_ram_mmap".equals(states.get(0).payloadStorageType());
        return Optional.of(new EdgeConfig(vectors, sparse, onDiskPayload, null, null, null));
    }

    private static void fold(SegmentState state, Map<String, VectorParams> vectors, Map<String, SparseVectorParams> sparse) {
        for (Map.Entry<String, VectorDataConfig> e : state.vectorData().entrySet()) {
            VectorDataConfig v = e.getValue();
            boolean onDisk = v.storageType() == VectorStorageType.MMAP || v.storageType() == VectorStorageType.CHUNKED_MMAP;
            vectors.putIfAbsent(e.getKey(), new VectorParams(v.size(), v.distance(), v.datatype(), v.multivector(), onDisk));
        }
        for (Map.Entry<String, SparseVectorDataConfig> e : state.sparseVectorData().entrySet()) {
            sparse.putIfAbsent(e.getKey(), new SparseVectorParams(e.getValue().idf()));
        }
    }
}
