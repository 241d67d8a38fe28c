package dev.qdrantedge.engine.index.hnsw.build;

/**
 * Parameters of one HNSW build, as Qdrant derives them from a collection's HNSW config.
 *
 * @param m links per point on levels above 0 (Qdrant's {@code m}); at least 2 for a useful graph
 * @param m0 links per point on level 0 (Qdrant's {@code m0 = 2 * m})
 * @param efConstruct candidates kept while searching for a new point's neighbours
 * @param entryPointCount capacity of the extra entry points Qdrant keeps (at least 1)
 * @param threads threads linking points in parallel (at least 1)
 * @param seed seed of the random level draw
 */
public record HnswBuildParams(int m, int m0, int efConstruct, int entryPointCount, int threads, long seed) {

    public HnswBuildParams {
        if (m < 1 || m0 < 1) {
            throw new IllegalArgumentException("hnsw m and m0 must be positive, were " + m + " and " + m0);
        }
        if (efConstruct < 1) {
            throw new IllegalArgumentException("hnsw ef_construct must be positive, was " + efConstruct);
        }
        if (entryPointCount < 1) {
            throw new IllegalArgumentException("entry point count must be positive, was " + entryPointCount);
        }
        if (threads < 1) {
            throw new IllegalArgumentException("threads must be positive, was " + threads);
        }
    }

    /** {@code m}, {@code m0 = 2m}, {@code ef_construct}, one extra entry point, one thread per core (at most 8). */
    public static HnswBuildParams of(int m, int efConstruct) {
        return new HnswBuildParams(m, 2 * m, efConstruct, 1,
                Math.max(1, Math.min(8, Runtime.getRuntime().availableProcessors())), 42L);
    }

    /** Links allowed on {@code level}. */
    int levelM(int level) {
        return level == 0 ? m0 : m;
    }

    /** A copy with another entry point capacity. */
    public HnswBuildParams withEntryPointCount(int count) {
        return new HnswBuildParams(m, m0, efConstruct, count, threads, seed);
    }

    /** A copy with another thread count. */
    public HnswBuildParams withThreads(int count) {
        return new HnswBuildParams(m, m0, efConstruct, entryPointCount, count, seed);
    }
}
