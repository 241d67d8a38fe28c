package dev.qdrantedge.benchmarks;

import dev.qdrantedge.engine.search.kernel.VectorKernels;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * One timed Java configuration, in a JVM of its own (started by {@link ExactSearchBenchmark}, so that the
 * kernels are chosen exactly as for a user: by {@code --add-modules jdk.incubator.vector} and
 * {@code -Dqdrant.edge.kernels}).
 *
 * <pre>
 * JavaSearchRun SHARD QUERIES.json OUT.json TARGET THREADS BLOCK WARMUP ROUNDS K
 * </pre>
 *
 * Runs every query WARMUP rounds unmeasured (JIT compilation, page mapping), then ROUNDS rounds measured,
 * and writes OUT.json: kernels, target description, bytes per query, seconds per measured search, the
 * top-k ids of the first measured round.
 */
public final class JavaSearchRun {

    private static final JsonMapper JSON = JsonMapper.builder().build();

    private JavaSearchRun() {
    }

    public static void main(String[] args) throws IOException {
        if (args.length != 9) {
            System.err.println("usage: JavaSearchRun SHARD QUERIES.json OUT.json TARGET THREADS BLOCK WARMUP ROUNDS K");
            System.exit(2);
        }
        Path shard = Paths.get(args[0]);
        List<float[]> queries = readQueries(Paths.get(args[1]));
        Path out = Paths.get(args[2]);
        String targetName = args[3];
        int threads = Integer.parseInt(args[4]);
        int block = Integer.parseInt(args[5]);
        int warmup = Integer.parseInt(args[6]);
        int rounds = Integer.parseInt(args[7]);
        int k = Integer.parseInt(args[8]);

        Map<String, Object> result = new LinkedHashMap<>();
        try (SearchTarget target = SearchTargets.open(targetName, shard, threads, block)) {
            for (int r = 0; r < warmup; r++) {
                for (float[] q : queries) {
                    target.search(q, k);
                }
            }
            List<Double> seconds = new ArrayList<>();
            List<List<String>> top = new ArrayList<>();
            for (int r = 0; r < rounds; r++) {
                for (float[] q : queries) {
                    long start = System.nanoTime();
                    List<SearchTarget.Hit> hits = target.search(q, k);
                    seconds.add((System.nanoTime() - start) / 1e9);
                    if (r == 0) {
                        top.add(hits.stream().map(SearchTarget.Hit::id).toList());
                    }
                }
            }
            result.put("kernels", VectorKernels.get().name());
            result.put("description", target.description());
            result.put("bytes_per_query", target.bytesPerQuery());
            result.put("threads", threads);
            result.put("seconds", seconds);
            result.put("top", top);
        }
        Files.write(out, JSON.writeValueAsBytes(result));
    }

    static List<float[]> readQueries(Path file) throws IOException {
        JsonNode root = JSON.readTree(Files.readAllBytes(file));
        List<float[]> queries = new ArrayList<>();
        for (JsonNode q : root) {
            float[] v = new float[q.size()];
            for (int i = 0; i < v.length; i++) {
                v[i] = (float) q.get(i).asDouble();
            }
            queries.add(v);
        }
        return queries;
    }
}
