package dev.qdrantedge.benchmarks;

import dev.qdrantedge.engine.search.ScoredPoint;
import dev.qdrantedge.engine.search.SearchRequest;
import dev.qdrantedge.engine.search.kernel.VectorKernels;
import dev.qdrantedge.engine.shard.EdgeShard;
import dev.qdrantedge.engine.vectors.DenseVector;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The engine's own exact search: {@link EdgeShard#search} on the shard opened read-only, with everything a
 * user's query goes through (query preprocessing, the current-copy filter, the search pool, result merge).
 * Its thread count is the system property {@code qdrant.edge.search.threads}, which the benchmark sets per run.
 */
final class EngineSearchTarget implements SearchTarget {

    private final EdgeShard shard;
    private final long bytesPerQuery;

    private EngineSearchTarget(EdgeShard shard, long bytesPerQuery) {
        this.shard = shard;
        this.bytesPerQuery = bytesPerQuery;
    }

    static EngineSearchTarget open(Path shardDir) {
        EdgeShard shard = EdgeShard.openReadOnly(shardDir);
        int dim = shard.config().orElseThrow().vectors().get("").size();
        return new EngineSearchTarget(shard, shard.count() * dim * (long) Float.BYTES);
    }

    @Override
    public String description() {
        String threads = System.getProperty("qdrant.edge.search.threads",
                String.valueOf(Runtime.getRuntime().availableProcessors()));
        return "EdgeShard.search (exact), kernels " + VectorKernels.get().name() + ", " + threads + " search thread(s)";
    }

    @Override
    public long bytesPerQuery() {
        return bytesPerQuery;
    }

    @Override
    public List<Hit> search(float[] query, int k) {
        List<Hit> hits = new ArrayList<>(k);
        for (ScoredPoint p : shard.search(SearchRequest.of("", new DenseVector(query), k))) {
            hits.add(new Hit(p.id().toString(), p.score()));
        }
        return hits;
    }

    @Override
    public void close() {
        shard.close();
    }
}
