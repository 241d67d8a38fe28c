package dev.qdrantedge.benchmarks;

import java.nio.file.Path;

/** The search targets the benchmark can time, by name. */
final class SearchTargets {

    /** Default: scan the memory-mapped dense storage, copying blocks of vectors into a heap array. */
    static final String MMAP_SCAN = "mmap-scan";
    /** Diagnostic: the same scan over a heap copy of the vectors made when the target opens (no per-query copy). */
    static final String HEAP_SCAN = "heap-scan";
    /** The engine's exact search, {@code EdgeShard.search}, as an application calls it. */
    static final String ENGINE = "engine";

    private SearchTargets() {
    }

    static SearchTarget open(String name, Path shard, int threads, int blockVectors) {
        switch (name) {
            case MMAP_SCAN:
                return DenseScanTarget.open(shard, "", threads, blockVectors, false);
            case HEAP_SCAN:
                return DenseScanTarget.open(shard, "", threads, blockVectors, true);
            case ENGINE:
                return EngineSearchTarget.open(shard);
            default:
                throw new IllegalArgumentException("unknown search target '" + name + "' (expected " + MMAP_SCAN
                        + ", " + HEAP_SCAN + " or " + ENGINE + ")");
        }
    }
}
