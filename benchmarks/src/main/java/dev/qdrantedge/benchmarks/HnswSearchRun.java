package dev.qdrantedge.benchmarks;

import dev.qdrantedge.engine.search.ScoredPoint;
import dev.qdrantedge.engine.search.SearchParams;
import dev.qdrantedge.engine.search.SearchRequest;
import dev.qdrantedge.engine.search.WithPayload;
import dev.qdrantedge.engine.search.WithVector;
import dev.qdrantedge.engine.search.kernel.VectorKernels;
import dev.qdrantedge.engine.shard.EdgeShard;
import dev.qdrantedge.engine.vectors.DenseVector;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import tools.jackson.databind.json.JsonMapper;

/**
 * The Java side of the HNSW benchmark, in a JVM of its own (started by {@link HnswSearchBenchmark} with
 * {@code -Dqdrant.edge.search.threads=1}): graph searches through {@link EdgeShard#search} on the shard
 * opened read-only, as an application calls it.
 *
 * <pre>
 * HnswSearchRun SHARD QUERIES.json OUT.json WARMUP WARMUP_SECONDS ROUNDS K EF[,EF...]
 * </pre>
 *
 * For each EF in turn, runs whole rounds of the queries unmeasured until both WARMUP rounds and
 * WARMUP_SECONDS seconds have passed (the JIT compiles the search's hot loops, the Vector API kernels last,
 * only after some seconds of searching), then ROUNDS rounds measured, each search timed alone, with
 * {@code SearchParams(exact=false, hnswEf=EF)}, and writes OUT.json: {@code description},
 * {@code runs: [{ef, warmup_rounds, seconds, top}]} (the top-k ids of the first measured round).
 */
public final class HnswSearchRun {

    private static final JsonMapper JSON = JsonMapper.builder().build();

    private HnswSearchRun() {
    }

    public static void main(String[] args) throws IOException {
        if (args.length != 8) {
            System.err.println("usage: HnswSearchRun SHARD QUERIES.json OUT.json WARMUP WARMUP_SECONDS ROUNDS K "
                    + "EF[,EF...]");
            System.exit(2);
        }
        Path shardDir = Paths.get(args[0]);
        List<float[]> queries = JavaSearchRun.readQueries(Paths.get(args[1]));
        Path out = Paths.get(args[2]);
        int warmup = Integer.parseInt(args[3]);
        double warmupSeconds = Double.parseDouble(args[4]);
        int rounds = Integer.parseInt(args[5]);
        int k = Integer.parseInt(args[6]);
        List<Map<String, Object>> runs = new ArrayList<>();
        try (EdgeShard shard = EdgeShard.openReadOnly(shardDir)) {
            for (String efText : args[7].split(",")) {
                int ef = Integer.parseInt(efText.trim());
                List<SearchRequest> requests = new ArrayList<>();
                for (float[] q : queries) {
                    requests.add(new SearchRequest("", new DenseVector(q), null, k, 0, null, WithPayload.NONE,
                            WithVector.NONE, new SearchParams(false, ef)));
                }
                long warmStart = System.nanoTime();
                int warmRounds = 0;
                while (warmRounds < warmup || (System.nanoTime() - warmStart) / 1e9 < warmupSeconds) {
                    for (SearchRequest request : requests) {
                        shard.search(request);
                    }
                    warmRounds++;
                }
                List<Double> seconds = new ArrayList<>();
                List<List<String>> top = new ArrayList<>();
                for (int r = 0; r < rounds; r++) {
                    for (SearchRequest request : requests) {
                        long start = System.nanoTime();
                        List<ScoredPoint> hits = shard.search(request);
                        seconds.add((System.nanoTime() - start) / 1e9);
                        if (r == 0) {
                            top.add(hits.stream().map(p -> p.id().toString()).toList());
                        }
                    }
                }
                Map<String, Object> run = new LinkedHashMap<>();
                run.put("ef", ef);
                run.put("warmup_rounds", warmRounds);
                run.put("seconds", seconds);
                run.put("top", top);
                runs.add(run);
            }
        }
        Map<String, Object> result = new LinkedHashMap<>();
        result.put("description", "EdgeShard.search, SearchParams(exact=false, hnswEf=ef), kernels "
                + VectorKernels.get().name() + ", " + System.getProperty("qdrant.edge.search.threads", "default")
                + " search thread(s)");
        result.put("runs", runs);
        Files.write(out, JSON.writeValueAsBytes(result));
    }
}
