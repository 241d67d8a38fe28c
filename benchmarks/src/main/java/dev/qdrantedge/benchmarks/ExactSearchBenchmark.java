package dev.qdrantedge.benchmarks;

import dev.qdrantedge.engine.search.kernel.VectorKernels;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.ByteOrder;
import java.nio.FloatBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Exact search over 100,000 x 384 float32 vectors, side by side in one run: the machine's memory-read
 * bandwidth bound, the Java scan with the Vector API and with the scalar kernels, and {@code qdrant-edge-py}
 * on the same shard. See {@code BENCHMARKS.md} for the command and the numbers.
 *
 * <p>Run from the repository root with {@code --add-modules jdk.incubator.vector}. Options (all optional):
 * {@code --work DIR} (shard, queries and results; default {@code benchmarks/target/exact-search}),
 * {@code --python PATH} (the interpreter with {@code qdrant-edge-py}; default {@code -Dcompat.python},
 * {@code $COMPAT_PYTHON}, then {@code compat/.venv/bin/python}), {@code --points 100000}, {@code --dim 384},
 * {@code --seed 42}, {@code --queries 20}, {@code --rounds 5}, {@code --k 10}, {@code --block N} (vectors per
 * block copied from the mapping; default: what fits in 8 KiB), {@code --threads N} (the multi-threaded runs;
 * default all CPUs),
 * {@code --bandwidth-mib 1024}, {@code --block-sweep 16,64,256,1024} (extra single-threaded runs per block
 * size), {@code --no-python}.
 *
 * <p>With {@code --hnsw} as the first argument, the jar runs {@link HnswSearchBenchmark} instead (HNSW graph
 * search beside {@code qdrant-edge-py}).
 */
public final class ExactSearchBenchmark {

    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final String PY_SCRIPT = "edge_py_bench.py";

    private final Map<String, String> options;
    private final Path work;
    private final int points;
    private final int dim;
    private final long seed;
    private final int queries;
    private final int rounds;
    private final int k;
    private final int block;
    private final int threads;
    private final StringBuilder report = new StringBuilder();

    private ExactSearchBenchmark(Map<String, String> options) {
        this.options = options;
        this.work = Paths.get(options.getOrDefault("work",
                Files.isDirectory(Paths.get("benchmarks")) ? "benchmarks/target/exact-search" : "exact-search"))
                .toAbsolutePath();
        this.points = intOption("points", 100_000);
        this.dim = intOption("dim", 384);
        this.seed = intOption("seed", 42);
        this.queries = intOption("queries", 20);
        this.rounds = intOption("rounds", 5);
        this.k = intOption("k", 10);
        this.block = intOption("block", defaultBlockVectors(dim));
        this.threads = intOption("threads", Runtime.getRuntime().availableProcessors());
    }

    /**
     * Vectors per block copied from the mapping: as many as fit in 8 KiB (so the block stays in L1 next to the
     * streaming source lines), in whole groups of four when there are four or more (the block kernels score
     * four vectors per pass). See BENCHMARKS.md for the measurements behind it.
     */
    static int defaultBlockVectors(int dim) {
        int vectors = Math.max(1, 8 * 1024 / (dim * Float.BYTES));
        return vectors >= 4 ? vectors - vectors % 4 : vectors;
    }

    public static void main(String[] args) throws Exception {
        if (args.length > 0 && args[0].equals("--hnsw")) {
            HnswSearchBenchmark.main(Arrays.copyOfRange(args, 1, args.length));
            return;
        }
        Map<String, String> options = parseOptions(args);
        if (VectorKernels.vectorApi().isEmpty()) {
            usage("the Vector API kernels are not available: run with --add-modules jdk.incubator.vector");
        }
        new ExactSearchBenchmark(options).run();
    }

    /** {@code --name value} pairs (and the flags {@code --no-python}, {@code --help}); prints usage on errors. */
    static Map<String, String> parseOptions(String[] args) {
        Map<String, String> options = new LinkedHashMap<>();
        for (int i = 0; i < args.length; i++) {
            if (!args[i].startsWith("--")) {
                usage("unexpected argument " + args[i]);
            }
            String name = args[i].substring(2);
            if (name.equals("no-python") || name.equals("help")) {
                options.put(name, "true");
            } else if (i + 1 < args.length) {
                options.put(name, args[++i]);
            } else {
                usage("missing value for " + args[i]);
            }
        }
        if (options.containsKey("help")) {
            usage(null);
        }
        return options;
    }

    private static void usage(String problem) {
        if (problem != null) {
            System.err.println("error: " + problem);
        }
        System.err.println("usage: java --add-modules jdk.incubator.vector -jar benchmarks/target/benchmarks.jar "
                + "[--work DIR] [--python PATH] [--no-python] [--points N] [--dim N] [--seed N] [--queries N] "
                + "[--rounds N] [--k N] [--block N] [--threads N] [--bandwidth-mib N] [--block-sweep N,N,...]");
        System.err.println("       java --add-modules jdk.incubator.vector -jar benchmarks/target/benchmarks.jar --hnsw "
                + "[--work DIR] [--python PATH] [--datasets DIR] [--points N] [--queries N] [--seed N] [--efs N,N,...] "
                + "[--warmup SEARCHES] [--rounds N] [--sets bigann10k,synthetic]");
        System.exit(problem == null ? 0 : 2);
    }

    private void run() throws Exception {
        Files.createDirectories(work);
        Path python = findPython(options);
        section("Machine");
        machineFacts();

        Path shard = work.resolve("shard-" + points + "x" + dim + "-seed" + seed);
        Path pyScript = extractScript(work);
        ensureShard(shard, python, pyScript);
        long vectorBytes = (long) points * dim * Float.BYTES;

        section("Memory-read bandwidth");
        double[] bound = bandwidth(shard, vectorBytes);

        Path queryFile = work.resolve("queries.json");
        writeQueries(queryFile);
        String workload = String.format(Locale.ROOT, "%,d x %d float32 (Cosine), top-%d, %d queries x %d rounds "
                + "measured after warm-up; %.1f MB of vectors per query", points, dim, k, queries, rounds,
                vectorBytes / 1e6);

        List<Result> results = new ArrayList<>();
        List<Integer> threadCounts = threads > 1 ? List.of(1, threads) : List.of(1);
        for (int t : threadCounts) {
            results.add(java("Java, Vector API", "auto", SearchTargets.MMAP_SCAN, t, block, shard, queryFile));
        }
        for (int t : threadCounts) {
            results.add(java("Java, scalar", "scalar", SearchTargets.MMAP_SCAN, t, block, shard, queryFile));
        }
        results.add(java("Java, Vector API, heap copy (diagnostic)", "auto", SearchTargets.HEAP_SCAN, 1, block, shard,
                queryFile));
        // The engine's search uses as many threads as -Dqdrant.edge.search.threads says (default: all CPUs).
        for (int t : threadCounts) {
            results.add(java("EdgeShard.search, Vector API", "auto", SearchTargets.ENGINE, t, block, shard, queryFile));
        }
        for (int t : threadCounts) {
            results.add(java("EdgeShard.search, scalar", "scalar", SearchTargets.ENGINE, t, block, shard, queryFile));
        }
        if (python != null) {
            for (int t : threadCounts) {
                results.add(python(python, pyScript, shard, queryFile, t));
            }
        }

        section("Exact search");
        line(workload + ".");
        line("");
        searchTable(results, bound);

        section("Ratios (median per-query time)");
        ratios(results);

        section("Agreement of the top-" + k + " ids");
        agreement(results);

        if (options.containsKey("block-sweep")) {
            section("Block size (Java, Vector API, 1 thread)");
            List<Result> sweep = new ArrayList<>();
            for (String b : options.get("block-sweep").split(",")) {
                int size = Integer.parseInt(b.trim());
                sweep.add(java("block " + size, "auto", SearchTargets.MMAP_SCAN, 1, size, shard, queryFile));
            }
            searchTable(sweep, bound);
        }

        line("");
        line("Load average (1, 5, 15 min) at the end: " + loadAverage() + ". Other processes on the machine show as "
                + "spread between best and median.");
        Path reportFile = work.resolve("report.md");
        Files.writeString(reportFile, report.toString());
        System.out.println();
        System.out.println("(report written to " + reportFile + ")");
    }

    // ---------------------------------------------------------------------------------------------------
    // machine and bandwidth

    private void machineFacts() {
        machineTable().forEach(this::line);
        line("| kernels | " + VectorKernels.vectorApi().map(VectorKernels::name).orElse("-") + " and "
                + VectorKernels.scalar().name() + " |");
    }

    /** The machine table's rows (markdown): CPU, CPUs, cache, memory, OS, JVM, load average now. */
    static List<String> machineTable() {
        return List.of("| | |", "|---|---|", "| CPU | " + cpuModel() + " |",
                "| logical CPUs | " + Runtime.getRuntime().availableProcessors() + " |",
                "| last-level cache | " + readFirstLine("/sys/devices/system/cpu/cpu0/cache/index3/size", "?") + " |",
                "| memory | " + memTotal() + " |",
                "| OS | " + System.getProperty("os.name") + " " + System.getProperty("os.version") + " "
                        + System.getProperty("os.arch") + " |",
                "| JVM | " + System.getProperty("java.vm.name") + " " + System.getProperty("java.runtime.version")
                        + " |",
                "| load average (1, 5, 15 min) at start | " + loadAverage() + " |");
    }

    /** [1-thread bound, n-thread bound] in bytes per second (best pass of each). */
    private double[] bandwidth(Path shard, long vectorBytes) throws Exception {
        int mib = intOption("bandwidth-mib", 1024);
        float[] data = new float[mib * (1 << 20) / Float.BYTES];
        for (int i = 0; i < data.length; i++) {
            data[i] = i & 7;
        }
        int reps = 9;
        line(String.format(Locale.ROOT, "Streaming sums (Vector API, no writes): over a %d MiB heap float[] (far "
                + "larger than the last-level cache), and over the shard's mapped vector files copied through a small "
                + "block as the scan does; "
                + "%d passes each after one unmeasured. The bound for a thread count is %.1f MB / the best rate seen "
                + "with at most that many threads.", mib, reps, vectorBytes / 1e6));
        line("");
        line("| read | threads | best GB/s | median GB/s | bound per query (ms) |");
        line("|---|---:|---:|---:|---:|");
        double[] bound = new double[2];
        List<Integer> threadCounts = threads > 1 ? List.of(1, threads) : List.of(1);
        for (int i = 0; i < threadCounts.size(); i++) {
            int t = threadCounts.get(i);
            MemoryBandwidth.streamingRead(data, t, 1);
            Stats s = Stats.of(MemoryBandwidth.streamingRead(data, t, reps));
            bound[i] = s.max();
            line(String.format(Locale.ROOT, "| heap array | %d | %.2f | %.2f | %.2f |", t, s.max() / 1e9,
                    s.median() / 1e9, vectorBytes / s.max() * 1e3));
        }
        if (threadCounts.size() == 1) {
            bound[1] = bound[0];
        }
        data = null;
        List<FloatBuffer> mapped = mapShardChunks(shard);
        MemoryBandwidth.mappedCopyRead(mapped, block * dim, 1);
        Stats m = Stats.of(MemoryBandwidth.mappedCopyRead(mapped, block * dim, reps));
        line(String.format(Locale.ROOT, "| shard mmap, %d-byte bulk copies into a %d-vector block + sum | 1 "
                + "| %.2f | %.2f | %.2f |", DenseScanTarget.COPY_PIECE_FLOATS * Float.BYTES, block, m.max() / 1e9,
                m.median() / 1e9, vectorBytes / m.max() * 1e3));
        bound[0] = Math.max(bound[0], m.max());
        bound[1] = Math.max(bound[1], bound[0]);
        line("");
        line(String.format(Locale.ROOT, "Bound per query: %.2f ms with 1 thread (%.2f GB/s), %.2f ms with %d threads "
                + "(%.2f GB/s).", vectorBytes / bound[0] * 1e3, bound[0] / 1e9, vectorBytes / bound[1] * 1e3, threads,
                bound[1] / 1e9));
        return bound;
    }

    private static List<FloatBuffer> mapShardChunks(Path shard) throws IOException {
        List<FloatBuffer> buffers = new ArrayList<>();
        try (DirectoryStream<Path> segments = Files.newDirectoryStream(shard.resolve("segments"))) {
            for (Path segment : segments) {
                Path dir = segment.resolve("vector_storage/vectors");
                if (!Files.isDirectory(dir)) {
                    continue;
                }
                try (Stream<Path> files = Files.list(dir)) {
                    for (Path chunk : files.filter(p -> p.getFileName().toString().matches("chunk_\\d+\\.mmap"))
                            .sorted().collect(Collectors.toList())) {
                        try (FileChannel ch = FileChannel.open(chunk, StandardOpenOption.READ)) {
                            buffers.add(ch.map(FileChannel.MapMode.READ_ONLY, 0, ch.size())
                                    .order(ByteOrder.LITTLE_ENDIAN).asFloatBuffer());
                        }
                    }
                }
            }
        }
        return buffers;
    }

    // ---------------------------------------------------------------------------------------------------
    // shard, queries, runs

    private void ensureShard(Path shard, Path python, Path pyScript) throws Exception {
        if (Files.isDirectory(shard.resolve("segments"))) {
            return;
        }
        if (python == null) {
            throw new IllegalStateException("no shard at " + shard + " and no Python with qdrant-edge-py to build it "
                    + "(--python PATH, $COMPAT_PYTHON or compat/.venv; see compat/setup.sh)");
        }
        System.err.printf("building the shard with qdrant-edge-py (%d x %d, seed %d) in %s ...%n", points, dim, seed,
                shard);
        Path partial = shard.resolveSibling(shard.getFileName() + ".partial");
        deleteTree(partial);
        exec(List.of(python.toString(), pyScript.toString(), "build", partial.toString(), String.valueOf(points),
                String.valueOf(dim), String.valueOf(seed)), work.resolve("build.log"));
        Files.move(partial, shard, StandardCopyOption.ATOMIC_MOVE);
    }

    private void writeQueries(Path file) throws IOException {
        Random random = new Random(seed + 1);
        List<float[]> list = new ArrayList<>();
        for (int q = 0; q < queries; q++) {
            float[] v = new float[dim];
            for (int i = 0; i < dim; i++) {
                v[i] = (float) random.nextGaussian();
            }
            list.add(v);
        }
        Files.write(file, JSON.writeValueAsBytes(list));
    }

    private Result java(String label, String kernels, String target, int t, int blockVectors, Path shard,
            Path queryFile) throws Exception {
        String name = label.replaceAll("[^A-Za-z0-9]+", "-").toLowerCase(Locale.ROOT) + "-t" + t + "-b" + blockVectors;
        Path out = work.resolve("java-" + name + ".json");
        List<String> command = new ArrayList<>();
        command.add(Paths.get(System.getProperty("java.home"), "bin", "java").toString());
        command.add("--add-modules");
        command.add("jdk.incubator.vector");
        command.add("-Dqdrant.edge.kernels=" + kernels);
        if (SearchTargets.ENGINE.equals(target)) {
            command.add("-Dqdrant.edge.search.threads=" + t);
        }
        command.add("-cp");
        command.add(System.getProperty("java.class.path"));
        command.add(JavaSearchRun.class.getName());
        Stream.of(shard, queryFile, out, target, t, blockVectors, 2, rounds, k).map(String::valueOf)
                .forEach(command::add);
        System.err.printf("running %s, %d thread(s) ...%n", label, t);
        exec(command, work.resolve("java-" + name + ".log"));
        JsonNode json = JSON.readTree(Files.readAllBytes(out));
        return new Result(label, json.get("description").asString(), t, seconds(json), top(json));
    }

    private Result python(Path python, Path script, Path shard, Path queryFile, int t) throws Exception {
        Path out = work.resolve("python-t" + t + ".json");
        System.err.printf("running qdrant-edge-py, max_search_threads=%d ...%n", t);
        exec(List.of(python.toString(), script.toString(), "search", shard.toString(), queryFile.toString(),
                out.toString(), String.valueOf(t), "2", String.valueOf(rounds), String.valueOf(k)),
                work.resolve("python-t" + t + ".log"));
        JsonNode json = JSON.readTree(Files.readAllBytes(out));
        String description = "qdrant-edge-py " + json.get("engine_version").asString() + ", SearchParams(exact=True), "
                + "max_search_threads=" + t;
        return new Result("qdrant-edge-py", description, t, seconds(json), top(json));
    }

    private static List<Double> seconds(JsonNode json) {
        List<Double> s = new ArrayList<>();
        json.get("seconds").forEach(n -> s.add(n.asDouble()));
        return s;
    }

    private static List<List<String>> top(JsonNode json) {
        List<List<String>> all = new ArrayList<>();
        for (JsonNode q : json.get("top")) {
            List<String> ids = new ArrayList<>();
            q.forEach(id -> ids.add(id.asString()));
            all.add(ids);
        }
        return all;
    }

    // ---------------------------------------------------------------------------------------------------
    // report

    private void searchTable(List<Result> results, double[] bound) {
        line("| engine | threads | median ms | best ms | p90 ms | GB/s (median) "
                + "| % of bandwidth bound (median / best) |");
        line("|---|---:|---:|---:|---:|---:|---:|");
        long bytes = (long) points * dim * Float.BYTES;
        for (Result r : results) {
            Stats s = r.stats();
            double boundSeconds = bytes / (r.threads == 1 ? bound[0] : bound[1]);
            line(String.format(Locale.ROOT, "| %s | %d | %.2f | %.2f | %.2f | %.1f | %.0f%% / %.0f%% |", r.label,
                    r.threads, s.median() * 1e3, s.min() * 1e3, s.p90() * 1e3, bytes / s.median() / 1e9,
                    100 * boundSeconds / s.median(), 100 * boundSeconds / s.min()));
        }
        line("");
        for (Result r : results) {
            line("- " + r.label + " (" + r.threads + "): " + r.description);
        }
    }

    private void ratios(List<Result> results) {
        for (int t : threads > 1 ? List.of(1, threads) : List.of(1)) {
            Result vector = find(results, "Java, Vector API", t);
            Result scalar = find(results, "Java, scalar", t);
            Result py = find(results, "qdrant-edge-py", t);
            line(String.format(Locale.ROOT, "- %d thread%s: Vector API is %.2fx faster than scalar", t,
                    t == 1 ? "" : "s", scalar.stats().median() / vector.stats().median()));
            if (py != null) {
                line(String.format(Locale.ROOT, "- %d thread%s: Java Vector API takes %.2fx the time of qdrant-edge-py "
                        + "(scalar: %.2fx)", t, t == 1 ? "" : "s", vector.stats().median() / py.stats().median(),
                        scalar.stats().median() / py.stats().median()));
            }
        }
        Result heap = find(results, "Java, Vector API, heap copy (diagnostic)", 1);
        Result mmap = find(results, "Java, Vector API", 1);
        line(String.format(Locale.ROOT, "- scoring a heap copy of the vectors in place instead of copying blocks from "
                + "the mapping: %.2fx the time", heap.stats().median() / mmap.stats().median()));
    }

    private void agreement(List<Result> results) {
        Result reference = find(results, "qdrant-edge-py", 1);
        if (reference == null) {
            reference = find(results, "Java, scalar", 1);
        }
        for (Result r : results) {
            if (r == reference) {
                continue;
            }
            int same = 0;
            int sameSet = 0;
            for (int q = 0; q < r.top.size(); q++) {
                if (r.top.get(q).equals(reference.top.get(q))) {
                    same++;
                }
                if (new HashSet<>(r.top.get(q)).equals(new HashSet<>(reference.top.get(q)))) {
                    sameSet++;
                }
            }
            line(String.format(Locale.ROOT, "- %s (%d) vs %s (%d): same ids in the same order for %d of %d queries, "
                    + "same set for %d", r.label, r.threads, reference.label, reference.threads, same, r.top.size(),
                    sameSet));
        }
    }

    private static Result find(List<Result> results, String label, int t) {
        return results.stream().filter(r -> r.label.equals(label) && r.threads == t).findFirst().orElse(null);
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

    // ---------------------------------------------------------------------------------------------------
    // helpers

    static Path findPython(Map<String, String> options) {
        if (options.containsKey("no-python")) {
            return null;
        }
        for (String candidate : Arrays.asList(options.get("python"), System.getProperty("compat.python"),
                System.getenv("COMPAT_PYTHON"), "compat/.venv/bin/python")) {
            if (candidate != null && !candidate.isBlank() && Files.isExecutable(Paths.get(candidate))) {
                return Paths.get(candidate).toAbsolutePath();
            }
        }
        System.err.println("note: no Python with qdrant-edge-py found (--python, $COMPAT_PYTHON, compat/.venv); "
                + "the reference engine is left out");
        return null;
    }

    static Path extractScript(Path work) throws IOException {
        Path script = work.resolve(PY_SCRIPT);
        try (InputStream in = ExactSearchBenchmark.class.getResourceAsStream(PY_SCRIPT)) {
            Files.copy(in, script, StandardCopyOption.REPLACE_EXISTING);
        }
        return script;
    }

    static void exec(List<String> command, Path log) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile()).start();
        int status = p.waitFor();
        if (status != 0) {
            throw new IllegalStateException("command failed with status " + status + ": " + String.join(" ", command)
                    + "\n" + Files.readString(log, StandardCharsets.UTF_8));
        }
    }

    static void deleteTree(Path dir) throws IOException {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> paths = Files.walk(dir)) {
            for (Path p : paths.sorted((a, b) -> b.getNameCount() - a.getNameCount()).collect(Collectors.toList())) {
                Files.delete(p);
            }
        }
    }

    private int intOption(String name, int fallback) {
        String v = options.get(name);
        return v == null ? fallback : Integer.parseInt(v);
    }

    static String loadAverage() {
        String[] parts = readFirstLine("/proc/loadavg", "? ? ?").split("\\s+");
        return parts.length >= 3 ? parts[0] + ", " + parts[1] + ", " + parts[2] : "?";
    }

    private static String cpuModel() {
        try (Stream<String> lines = Files.lines(Paths.get("/proc/cpuinfo"))) {
            return lines.filter(l -> l.startsWith("model name")).map(l -> l.substring(l.indexOf(':') + 1).trim())
                    .findFirst().orElse(System.getProperty("os.arch"));
        } catch (IOException | UncheckedIOException e) {
            return System.getProperty("os.arch");
        }
    }

    private static String memTotal() {
        try (Stream<String> lines = Files.lines(Paths.get("/proc/meminfo"))) {
            return lines.filter(l -> l.startsWith("MemTotal")).map(l -> {
                long kb = Long.parseLong(l.replaceAll("\\D", ""));
                return String.format(Locale.ROOT, "%.1f GiB", kb / 1024.0 / 1024.0);
            }).findFirst().orElse("?");
        } catch (IOException | UncheckedIOException e) {
            return "?";
        }
    }

    private static String readFirstLine(String file, String fallback) {
        try {
            return Files.readAllLines(Paths.get(file)).get(0).trim();
        } catch (IOException | RuntimeException e) {
            return fallback;
        }
    }

    private static final class Result {
        final String label;
        final String description;
        final int threads;
        final List<Double> seconds;
        final List<List<String>> top;

        Result(String label, String description, int threads, List<Double> seconds, List<List<String>> top) {
            this.label = label;
            this.description = description;
            this.threads = threads;
            this.seconds = seconds;
            this.top = top;
        }

        Stats stats() {
            return Stats.of(seconds);
        }
    }
}
