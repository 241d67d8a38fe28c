package dev.qdrantedge.engine.index.hnsw.build;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicIntegerArray;

/**
 * Builds an HNSW graph over {@link BuildVectors} as Qdrant's {@code GraphLayersBuilder} does: every point gets a
 * random top level {@code round(-ln(u) / ln(max(m, 2)))}; it is linked by a greedy descent from the entry point
 * down to its own level, then, on each level from there to 0, an {@code ef_construct} search whose results are
 * thinned by the neighbour-selection heuristic to {@code m} ({@code m0} on level 0) links, each new neighbour
 * getting a back link (reselected by the heuristic when its list is full). The first
 * {@value #SINGLE_THREADED_THRESHOLD} points are linked one by one, the rest by several threads; a point's
 * links are only followed once it is fully linked.
 */
public final class HnswGraphBuilder {

    /** Points linked by a single thread before the others join, as Qdrant does. */
    static final int SINGLE_THREADED_THRESHOLD = 256;

    private final BuildVectors vectors;
    private final HnswBuildParams params;
    private final LinkList[][] links;
    private final AtomicIntegerArray ready;
    private final EntryPoints entryPoints;
    private final double levelFactor;

    private HnswGraphBuilder(BuildVectors vectors, HnswBuildParams params) {
        this.vectors = vectors;
        this.params = params;
        int n = vectors.count();
        this.links = new LinkList[n][];
        this.ready = new AtomicIntegerArray(n);
        this.entryPoints = new EntryPoints(params.entryPointCount());
        this.levelFactor = 1.0 / Math.log(Math.max(params.m(), 2));
    }

    /** Builds the graph over every vector of {@code vectors}. */
    public static HnswGraph build(BuildVectors vectors, HnswBuildParams params) {
        HnswGraphBuilder builder = new HnswGraphBuilder(vectors, params);
        builder.drawLevels();
        builder.linkAll();
        return builder.finish();
    }

    private void drawLevels() {
        SplittableRandom random = new SplittableRandom(params.seed());
        for (int p = 0; p < links.length; p++) {
            double sample = 1.0 - random.nextDouble(); // (0, 1]
            int level = (int) Math.round(-Math.log(sample) * levelFactor);
            LinkList[] levels = new LinkList[level + 1];
            for (int l = 0; l <= level; l++) {
                levels[l] = new LinkList(params.levelM(l));
            }
            links[p] = levels;
        }
    }

    private void linkAll() {
        int n = links.length;
        int first = Math.min(n, SINGLE_THREADED_THRESHOLD);
        LevelSearch search = new LevelSearch(n);
        for (int p = 0; p < first; p++) {
            linkPoint(p, search);
        }
        if (first == n) {
            return;
        }
        int threads = Math.min(params.threads(), n - first);
        if (threads <= 1) {
            for (int p = first; p < n; p++) {
                linkPoint(p, search);
            }
            return;
        }
        AtomicInteger next = new AtomicInteger(first);
        ExecutorService pool = Executors.newFixedThreadPool(threads, r -> {
            Thread t = new Thread(r, "hnsw-build");
            t.setDaemon(true);
            return t;
        });
        try {
            List<Future<?>> futures = new ArrayList<>();
            for (int t = 0; t < threads; t++) {
                futures.add(pool.submit(() -> {
                    LevelSearch own = new LevelSearch(n);
                    for (int p = next.getAndIncrement(); p < n; p = next.getAndIncrement()) {
                        linkPoint(p, own);
                    }
                }));
            }
            for (Future<?> f : futures) {
                f.get();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("HNSW build interrupted", e);
        } catch (ExecutionException e) {
            Throwable cause = e.getCause();
            if (cause instanceof RuntimeException r) {
                throw r;
            }
            if (cause instanceof Error err) {
                throw err;
            }
            throw new IllegalStateException("HNSW build failed", cause);
        } finally {
            pool.shutdownNow();
        }
    }

    /** Links of a point on a level, restricted to points already fully linked. */
    private int[] readyLinks(int point, int level) {
        LinkList list = links[point][level];
        int[] copy;
        synchronized (list) {
            copy = list.snapshot();
        }
        int kept = 0;
        for (int link : copy) {
            if (ready.get(link) != 0) {
                copy[kept++] = link;
            }
        }
        return kept == copy.length ? copy : java.util.Arrays.copyOf(copy, kept);
    }

    private void linkPoint(int point, LevelSearch search) {
        int level = links[point].length - 1;
        EntryPoint entry = entryPoints.entryPoint();
        if (entry != null) {
            LevelSearch.Scorer scorer = other -> vectors.score(point, other);
            LevelSearch.Links readyLinks = this::readyLinks;
            long levelEntry = entry.level() > level
                    ? search.searchEntry(entry.pointId(), entry.level(), level, scorer, readyLinks)
                    : ScoredHeap.pack(scorer.score(entry.pointId()), entry.pointId());
            int linkingLevel = Math.min(level, entry.level());
            for (int l = linkingLevel; l >= 0; l--) {
                ScoredHeap nearest = search.searchOnLevel(levelEntry, l, params.efConstruct(), scorer, readyLinks);
                long[] sorted = nearest.sortedBestFirst();
                if (sorted.length > 0) {
                    levelEntry = sorted[0];
                }
                linkWithHeuristic(point, l, sorted);
            }
        }
        ready.set(point, 1);
        entryPoints.newPoint(point, level);
    }

    private void linkWithHeuristic(int point, int level, long[] nearestBestFirst) {
        int levelM = params.levelM(level);
        LinkList own = links[point][level];
        int[] selected;
        synchronized (own) {
            own.fillWithHeuristic(nearestBestFirst, levelM, vectors);
            selected = own.snapshot();
        }
        for (int other : selected) {
            LinkList theirs = links[other][level];
            synchronized (theirs) {
                theirs.connectWithHeuristic(point, other, levelM, vectors);
            }
        }
    }

    private HnswGraph finish() {
        int[][][] out = new int[links.length][][];
        for (int p = 0; p < links.length; p++) {
            out[p] = new int[links[p].length][];
            for (int l = 0; l < links[p].length; l++) {
                synchronized (links[p][l]) {
                    out[p][l] = links[p][l].snapshot();
                }
            }
        }
        return new HnswGraph(out, params.m(), params.m0(), params.efConstruct(), entryPoints.main(),
                entryPoints.extra(), entryPoints.extraCapacity());
    }
}
