package dev.qdrantedge.benchmarks;

import java.util.List;

/**
 * What the benchmark times: exact top-k search over the dense vectors of one shard. An implementation owns
 * everything a query needs (mappings, scratch buffers, threads) so that {@link #search} measures one query
 * and nothing else.
 *
 * <p>Implementations: {@link DenseScanTarget} scans the segments' dense vector files itself (from the
 * memory mapping, or from a heap copy as a diagnostic). An implementation over the engine's own search
 * ({@code EdgeShard.search} with exact parameters) plugs in beside it through {@link SearchTargets}.
 */
public interface SearchTarget extends AutoCloseable {

    /** One line for the report: what is scanned, how, with which kernels and threads. */
    String description();

    /** Bytes of vector data one query reads: the memory traffic a full scan cannot avoid. */
    long bytesPerQuery();

    /** The {@code k} nearest live points to {@code query}, best first. */
    List<Hit> search(float[] query, int k);

    @Override
    void close();

    /**
     * A result: the point's id as text ({@code 17} or a UUID) and its score as Qdrant reports it (similarity
     * for Cosine and Dot, distance for Euclid and Manhattan).
     */
    record Hit(String id, float score) {
    }
}
