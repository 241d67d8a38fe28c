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

    static Optional<EdgeConfig> derive(List<Segment> segments) {
        Map<String, VectorParams> vectors = new LinkedHashMap<>();
        Map<String, SparseVectorParams> sparse = new LinkedHashMap<>();
        segments.stream().sorted(Comparator.comparing(Segment::id)).map(Segment::state).forEach(state -> fold(state, vectors, sparse));
        if (vectors.isEmpty() && sparse.isEmpty()) {
            return Optional.empty();
        }
        return Optional.of(new EdgeConfig(vectors, sparse));
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
