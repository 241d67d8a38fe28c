package dev.qdrantedge.benchmarks;

import dev.qdrantedge.engine.search.kernel.VectorKernels;
import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * HNSW graph search, side by side in one run: recall@10 and single-threaded queries per second of the Java
 * engine ({@code EdgeShard.search} with {@code hnswEf}) and of {@code qdrant-edge-py}, on the same shard
 * with the graphs {@code qdrant-edge-py} built, for bigann10k and a synthetic clustered set. Selected with
 * {@code --hnsw} as the first argument of the benchmark jar; see {@code BENCHMARKS.md}.
 *
 * <p>Options (all optional): {@code --work DIR} (data, shards, results; default
 * {@code benchmarks/target/hnsw-search}), {@code --python PATH}, {@code --datasets DIR} (holds
 * {@code bigann10k/}; default {@code ../shared/datasets}), {@code --sets bigann10k,synthetic},
 * {@code --points 200000}, {@code --dim 128}, {@code --clusters 1000}, {@code --queries 200} (synthetic
 * set), {@code --seed 42}, {@code --efs 16,32,64,128,256}, {@code --warmup 3000} and
 * {@code --warmup-seconds 5} (per engine and ef, unmeasured searches in whole rounds until both are reached),
 * {@code --rounds 3},
 * {@code --k 10}, {@code --m 16}, {@code --ef-construct 100}.
 */
public final class HnswSearchBenchmark {

    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final double RECALL_GOAL = 0.95;

    private final Map<String, String> options;
    private final Path work;
    private final int k;
    private final int warmupSearches;
    private final double warmupSeconds;
    private final int rounds;
    private final String efs;
    private final StringBuilder report = new StringBuilder();

    private HnswSearchBenchmark(Map<String, String> options) {
        this.options = options;
        this.work = Paths.get(options.getOrDefault("work",
                Files.isDirectory(Paths.get("benchmarks")) ? "benchmarks/target/hnsw-search" : "hnsw-search"))
                .toAbsolutePath();
        this.k = intOption("k", 10);
        this.warmupSearches = intOption("warmup", 3000);
        this.warmupSeconds = Double.parseDouble(options.getOrDefault("warmup-seconds", "5"));
        this.rounds = intOption("rounds", 3);
        this.efs = options.getOrDefault("efs", "16,32,64,128,256");
    }

    /** Entry point; {@link ExactSearchBenchmark#main} hands {@code --hnsw} runs here. */
    public static void main(String[] args) throws Exception {
        new HnswSearchBenchmark(ExactSearchBenchmark.parseOptions(args)).run();
    }

    private void run() throws Exception {
        Files.createDirectories(work);
        Path python = ExactSearchBenchmark.findPython(options);
        if (python == null) {
            throw new IllegalStateException("the HNSW benchmark needs qdrant-edge-py: it builds the graphs "
                    + "(--python PATH, $COMPAT_PYTHON or compat/.venv; see compat/setup.sh)");
        }
        Path pyScript = ExactSearchBenchmark.extractScript(work);
        long started = System.nanoTime();
        section("Machine");
        ExactSearchBenchmark.machineTable().forEach(this::line);
        line("| kernels | " + VectorKernels.get().name() + " |");

        List<Summary> summaries = new ArrayList<>();
        for (String set : options.getOrDefault("sets", "bigann10k,synthetic").split(",")) {
            VectorSet data = load(set.trim());
            summaries.add(measure(data, python, pyScript));
        }

        section("Lowest ef reaching recall@" + k + " >= " + RECALL_GOAL);
        line("| set | engine | ef | recall@" + k + " | median ms | QPS |");
        line("|---|---|---:|---:|---:|---:|");
        for (Summary s : summaries) {
            for (Row r : List.of(s.python, s.java)) {
                if (r == null) {
                    continue;
                }
                line(String.format(Locale.ROOT, "| %s | %s | %d | %.4f | %.3f | %.0f |", s.set, r.engine, r.ef,
                        r.recall, r.median * 1e3, r.qps));
            }
            if (s.python != null && s.java != null) {
                line(String.format(Locale.ROOT, "| %s | Java / qdrant-edge-py | | | | %.2fx |", s.set,
                        s.java.qps / s.python.qps));
            }
        }
        line("");
        line(String.format(Locale.ROOT, "Run time %.0f s. Load average (1, 5, 15 min) at the end: %s. Other "
                + "processes on the machine show as spread between median and p90.",
                (System.nanoTime() - started) / 1e9, ExactSearchBenchmark.loadAverage()));
        Path reportFile = work.resolve("report.md");
        Files.writeString(reportFile, report.toString());
        System.out.println();
        System.out.println("(report written to " + reportFile + ")");
    }

    private VectorSet load(String set) throws IOException {
        switch (set) {
            case "bigann10k":
                return VectorSet.bigann10k(datasets());
            case "synthetic":
                return VectorSet.synthetic(work, intOption("points", 200_000), intOption("dim", 128),
                        intOption("queries", 200), intOption("clusters", 1000), intOption("seed", 42), k);
            default:
                throw new IllegalArgumentException("unknown set '" + set + "' (expected bigann10k or synthetic)");
        }
    }

    private Path datasets() {
        if (options.containsKey("datasets")) {
            return Paths.get(options.get("datasets")).toAbsolutePath();
        }
        for (String candidate : List.of("../shared/datasets", "../../shared/datasets")) {
            if (Files.isDirectory(Paths.get(candidate, "bigann10k"))) {
                return Paths.get(candidate).toAbsolutePath().normalize();
            }
        }
        throw new IllegalStateException("no bigann10k in ../shared/datasets: give --datasets DIR");
    }

    private Summary measure(VectorSet data, Path python, Path pyScript) throws Exception {
        int m = intOption("m", 16);
        int efConstruct = intOption("ef-construct", 100);
        Path shard = work.resolve("shard-" + data.baseFile().getParent().getFileName() + "-"
                + data.baseFile().getFileName().toString().replace(".fvecs", "") + "-m" + m + "-efc" + efConstruct);
        if (!Files.isDirectory(shard.resolve("segments"))) {
            System.err.printf("building and optimizing the %s shard with qdrant-edge-py in %s ...%n", data.name(),
                    shard);
            long start = System.nanoTime();
            Path partial = shard.resolveSibling(shard.getFileName() + ".partial");
            ExactSearchBenchmark.deleteTree(partial);
            ExactSearchBenchmark.exec(List.of(python.toString(), pyScript.toString(), "build-hnsw",
                    partial.toString(), data.baseFile().toString(), "Euclid", String.valueOf(m),
                    String.valueOf(efConstruct)), work.resolve(data.name() + "-build.log"));
            Files.move(partial, shard, StandardCopyOption.ATOMIC_MOVE);
            System.err.printf("built in %.0f s%n", (System.nanoTime() - start) / 1e9);
        }
        int queries = data.queries().length;
        int warmup = (warmupSearches + queries - 1) / queries;
        Path queryFile = work.resolve(data.name() + "-queries.json");
        Files.write(queryFile, JSON.writeValueAsBytes(data.queries()));

        System.err.printf("%s: qdrant-edge-py, ef %s ...%n", data.name(), efs);
        Path pyOut = work.resolve(data.name() + "-python.json");
        ExactSearchBenchmark.exec(List.of(python.toString(), pyScript.toString(), "search-hnsw", shard.toString(),
                queryFile.toString(), pyOut.toString(), String.valueOf(warmup), String.valueOf(warmupSeconds),
                String.valueOf(rounds),
                String.valueOf(k), efs), work.resolve(data.name() + "-python.log"));
        JsonNode py = JSON.readTree(Files.readAllBytes(pyOut));

        System.err.printf("%s: Java, ef %s ...%n", data.name(), efs);
        Path javaOut = work.resolve(data.name() + "-java.json");
        List<String> command = new ArrayList<>();
        command.add(Paths.get(System.getProperty("java.home"), "bin", "java").toString());
        command.add("--add-modules");
        command.add("jdk.incubator.vector");
        command.add("-Dqdrant.edge.search.threads=1");
        command.add("-cp");
        command.add(System.getProperty("java.class.path"));
        command.add(HnswSearchRun.class.getName());
        Stream.of(shard, queryFile, javaOut, warmup, warmupSeconds, rounds, k, efs).map(String::valueOf)
                .forEach(command::add);
        ExactSearchBenchmark.exec(command, work.resolve(data.name() + "-java.log"));
        JsonNode java = JSON.readTree(Files.readAllBytes(javaOut));

        String pyLabel = "qdrant-edge-py " + py.get("engine_version").asString();
        List<Row> pyRows = rows(pyLabel, py, data);
        List<Row> javaRows = rows("Java", java, data);

        section(data.name());
        line(data.description() + ".");
        line("");
        line(String.format(Locale.ROOT, "Shard built and optimized by qdrant-edge-py (Euclid, HNSW m=%d, "
                + "ef_construct=%d, max_search_threads=1): %s. Each engine, per ef: at least %d warm-up round(s) "
                + "and %.0f s of them, then %d timed "
                + "rounds of the %d queries, one search at a time on one thread, each timed alone; QPS = 1 / "
                + "median time (the mean is dominated by pauses from other processes on this machine); "
                + "mean QPS = timed searches / their total time.", m, efConstruct, segments(shard), warmup,
                warmupSeconds, rounds,
                queries));
        line("");
        line("| ef | engine | recall@" + k + " | median ms | p90 ms | QPS | mean QPS | Java / py QPS |");
        line("|---:|---|---:|---:|---:|---:|---:|---:|");
        for (int i = 0; i < pyRows.size(); i++) {
            Row p = pyRows.get(i);
            Row j = javaRows.get(i);
            line(p.format(""));
            line(j.format(String.format(Locale.ROOT, "%.2fx", j.qps / p.qps)));
        }
        line("");
        line("- Java: " + java.get("description").asString());
        line("- " + pyLabel + ": EdgeShard.search(SearchRequest(..., params=SearchParams(hnsw_ef=ef)))");
        line("- same top-" + k + " ids (as sets) per query, Java vs qdrant-edge-py: " + agreement(pyRows, javaRows));
        return new Summary(data.name(), lowest(pyRows), lowest(javaRows));
    }

    private List<Row> rows(String engine, JsonNode json, VectorSet data) {
        List<Row> rows = new ArrayList<>();
        for (JsonNode run : json.get("runs")) {
            List<Double> seconds = new ArrayList<>();
            run.get("seconds").forEach(n -> seconds.add(n.asDouble()));
            List<Set<String>> tops = new ArrayList<>();
            for (JsonNode q : run.get("top")) {
                Set<String> ids = new HashSet<>();
                q.forEach(id -> ids.add(id.asString()));
                tops.add(ids);
            }
            double recall = 0;
            for (int q = 0; q < tops.size(); q++) {
                int found = 0;
                for (int i = 0; i < k; i++) {
                    if (tops.get(q).contains(String.valueOf(data.truth()[q][i] + 1))) {
                        found++;
                    }
                }
                recall += found / (double) k;
            }
            Stats stats = Stats.of(seconds);
            double total = seconds.stream().mapToDouble(Double::doubleValue).sum();
            rows.add(new Row(engine, run.get("ef").asInt(), recall / tops.size(), stats.median(), stats.p90(),
                    1 / stats.median(), seconds.size() / total, tops));
        }
        return rows;
    }

    private Row lowest(List<Row> rows) {
        return rows.stream().filter(r -> r.recall >= RECALL_GOAL).findFirst().orElse(null);
    }

    private static String agreement(List<Row> a, List<Row> b) {
        List<String> parts = new ArrayList<>();
        for (int i = 0; i < a.size(); i++) {
            int same = 0;
            for (int q = 0; q < a.get(i).tops.size(); q++) {
                if (a.get(i).tops.get(q).equals(b.get(i).tops.get(q))) {
                    same++;
                }
            }
            parts.add(String.format(Locale.ROOT, "ef %d: %d of %d", a.get(i).ef, same, a.get(i).tops.size()));
        }
        return String.join(", ", parts);
    }

    /** "N segments (M with an HNSW graph), P points" as read from the shard directory. */
    private static String segments(Path shard) throws IOException {
        int segments = 0;
        int graphs = 0;
        try (DirectoryStream<Path> dirs = Files.newDirectoryStream(shard.resolve("segments"))) {
            for (Path segment : dirs) {
                if (!Files.isDirectory(segment)) {
                    continue;
                }
                segments++;
                try (Stream<Path> files = Files.walk(segment)) {
                    if (files.anyMatch(p -> p.getFileName().toString().equals("graph.bin"))) {
                        graphs++;
                    }
                }
            }
        }
        return segments + " segment(s), " + graphs + " with an HNSW graph";
    }

    private void section(String title) {
        line("");
        line("## " + title);
        line("");
    }

    private void line(String text) {
        System.out.println(text);
        report.append(text).append('\n');
    }

    private int intOption(String name, int fallback) {
        String v = options.get(name);
        return v == null ? fallback : Integer.parseInt(v);
    }

    private record Row(String engine, int ef, double recall, double median, double p90, double qps,
            double meanQps, List<Set<String>> tops) {

        String format(String ratio) {
            return String.format(Locale.ROOT, "| %d | %s | %.4f | %.3f | %.3f | %.0f | %.0f | %s |", ef, engine,
                    recall, median * 1e3, p90 * 1e3, qps, meanQps, ratio);
        }
    }

    private record Summary(String set, Row python, Row java) {
    }
}
