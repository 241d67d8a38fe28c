package dev.qdrantedge.engine.compat;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The reference engine, {@code qdrant-edge-py} at the version pinned in {@code compat/requirements.txt},
 * driven through {@code compat/edge_reference.py}. Tests that need it call {@link #require()}, which skips
 * the test, saying why, when no Python environment with the pinned package is found.
 *
 * <p>The interpreter is, in order: system property {@code compat.python}, environment variable
 * {@code COMPAT_PYTHON}, {@code compat/.venv/bin/python} (what {@code compat/setup.sh} creates).
 * Where the environment variable {@code EDGE_COMPAT_REQUIRED} is {@code true} (as in CI), a missing
 * reference engine fails the tests instead of skipping them.
 */
public final class ReferenceEngine {

    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final Object LOCK = new Object();
    private static volatile ReferenceEngine instance;
    private static volatile String unavailableReason;

    private final Path compatDir;
    private final Path python;
    private final String version;
    private final Map<String, ReferenceShard> built = new ConcurrentHashMap<>();

    private ReferenceEngine(Path compatDir, Path python, String version) {
        this.compatDir = compatDir;
        this.python = python;
        this.version = version;
    }

    /** The reference engine, or the test is skipped with the reason it is unavailable. */
    public static ReferenceEngine require() {
        ReferenceEngine engine = find();
        if (engine == null) {
            String test = StackWalker.getInstance().walk(frames -> frames.skip(1).findFirst()
                    .map(f -> f.getClassName().substring(f.getClassName().lastIndexOf('.') + 1) + "."
                            + f.getMethodName())
                    .orElse("?"));
            if (Boolean.parseBoolean(System.getenv("EDGE_COMPAT_REQUIRED"))) {
                throw new IllegalStateException("EDGE_COMPAT_REQUIRED is set but " + unavailableReason);
            }
            System.err.println("[compat] SKIPPED " + test);
        }
        assumeTrue(engine != null, unavailableReason);
        return engine;
    }

    /** The pinned {@code qdrant-edge-py} version. */
    public String version() {
        return version;
    }

    /** The file of scenario {@code name}: {@code compat/scenarios/<name>.json}. */
    public Path scenarioFile(String name) {
        return compatDir.resolve("scenarios").resolve(name + ".json");
    }

    /**
     * Builds {@code compat/scenarios/<name>.json} once per test run into {@code target/compat-shards/<name>}.
     */
    public ReferenceShard build(String scenario) {
        return built.computeIfAbsent(scenario, name -> {
            Path scenarioFile = compatDir.resolve("scenarios").resolve(name + ".json");
            if (!Files.isRegularFile(scenarioFile)) {
                throw new IllegalArgumentException("no scenario " + scenarioFile);
            }
            Path out = Path.of("target", "compat-shards", name).toAbsolutePath();
            run(List.of("build", scenarioFile.toString(), out.toString()));
            return new ReferenceShard(name, out.resolve("shard"), out.resolve("reference"));
        });
    }

    /**
     * Builds a scenario file from anywhere (for scenarios made at test time) into
     * {@code target/compat-shards/<name>}, once per test run.
     */
    public ReferenceShard buildFile(Path scenarioFile, String name) {
        return built.computeIfAbsent(name, n -> {
            Path out = Path.of("target", "compat-shards", n).toAbsolutePath();
            run(List.of("build", scenarioFile.toAbsolutePath().toString(), out.toString()));
            return new ReferenceShard(n, out.resolve("shard"), out.resolve("reference"));
        });
    }

    /** Loads a shard with the reference engine and returns its answers (points, count, info, manifest ...). */
    public ReferenceAnswers inspect(Path shardDir, Path outDir) {
        run(List.of("inspect", shardDir.toString(), outDir.toString()));
        return new ReferenceAnswers(outDir);
    }

    /**
     * As {@link #inspect(Path, Path)}, also answering the queries of {@code queriesFile} (a scenario's
     * {@code "queries"} object: searches, filters, facets).
     */
    public ReferenceAnswers inspect(Path shardDir, Path outDir, Path queriesFile) {
        run(List.of("inspect", shardDir.toString(), outDir.toString(), queriesFile.toString()));
        return new ReferenceAnswers(outDir);
    }

    /**
     * Loads the shard in {@code shardDir} with the reference engine, applies the operations of the scenario
     * file to it in place and returns the reference engine's answers about the result (written to
     * {@code outDir}); the shard is closed (or left as a killed process leaves it) as the scenario says.
     */
    public ReferenceAnswers apply(Path scenarioFile, Path shardDir, Path outDir) {
        run(List.of("apply", scenarioFile.toString(), shardDir.toString(), outDir.toString()));
        return new ReferenceAnswers(outDir);
    }

    /**
     * Settles the shard (load and close), then writes the reference engine's {@code snapshot_manifest()} of
     * it, loaded again, to {@code outFile}.
     */
    public JsonNode manifest(Path shardDir, Path outFile) {
        run(List.of("manifest", shardDir.toString(), outFile.toString()));
        return readJson(outFile);
    }

    /**
     * Applies the operations of {@code compat/scenarios/<scenario>.json} to the existing shard, whose
     * configuration must be the scenario's.
     */
    public void apply(Path shardDir, String scenario) {
        Path scenarioFile = compatDir.resolve("scenarios").resolve(scenario + ".json");
        Path out = shardDir.resolveSibling(shardDir.getFileName() + "-applied-" + scenario);
        apply(scenarioFile, shardDir, out);
    }

    /** Updates the shard from a snapshot archive with the reference engine and returns its answers after. */
    public ReferenceAnswers updateFromSnapshot(Path shardDir, Path archive, Path outDir) {
        run(List.of("update-from-snapshot", shardDir.toString(), archive.toString(), outDir.toString()));
        return new ReferenceAnswers(outDir);
    }

    /** Unpacks a snapshot archive with the reference engine, loads it and returns its answers. */
    public ReferenceAnswers unpack(Path archive, Path target, Path outDir) {
        run(List.of("unpack", archive.toString(), target.toString(), outDir.toString()));
        return new ReferenceAnswers(outDir);
    }

    private void run(List<String> arguments) {
        List<String> command = new ArrayList<>();
        command.add(python.toString());
        command.add(compatDir.resolve("edge_reference.py").toString());
        command.addAll(arguments);
        try {
            Path log = Files.createTempFile("edge-reference", ".log");
            Process process = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile()).start();
            if (!process.waitFor(5, TimeUnit.MINUTES)) {
                process.destroyForcibly();
                throw new IllegalStateException("reference engine timed out: " + command);
            }
            String output = Files.readString(log, StandardCharsets.UTF_8);
            Files.deleteIfExists(log);
            if (process.exitValue() != 0) {
                throw new IllegalStateException("reference engine failed (exit " + process.exitValue() + "): "
                        + command + "\n" + output);
            }
        } catch (IOException e) {
            throw new IllegalStateException("cannot run the reference engine: " + command, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while running the reference engine", e);
        }
    }

    private static ReferenceEngine find() {
        if (instance != null || unavailableReason != null) {
            return instance;
        }
        synchronized (LOCK) {
            if (instance == null && unavailableReason == null) {
                try {
                    instance = locate();
                } catch (Unavailable e) {
                    unavailableReason = "reference-engine (qdrant-edge-py) tests skipped: " + e.getMessage();
                    System.err.println("[compat] " + unavailableReason);
                }
            }
            return instance;
        }
    }

    private static ReferenceEngine locate() throws Unavailable {
        Path compatDir = compatDir().orElseThrow(() -> new Unavailable("the compat/ folder was not found"));
        String pinned = pinnedVersion(compatDir);
        Path python = interpreter(compatDir);
        if (python == null) {
            throw new Unavailable("no Python environment found (looked for -Dcompat.python, $COMPAT_PYTHON and "
                    + compatDir.resolve(".venv/bin/python") + "); run compat/setup.sh to create it");
        }
        String found = probeVersion(python);
        if (found == null) {
            throw new Unavailable(python + " cannot import qdrant_edge; run compat/setup.sh");
        }
        if (!found.equals(pinned)) {
            throw new Unavailable(python + " has qdrant-edge-py " + found + " but " + pinned
                    + " is pinned in compat/requirements.txt; run compat/setup.sh");
        }
        return new ReferenceEngine(compatDir, python, pinned);
    }

    static Optional<Path> compatDir() {
        String configured = System.getProperty("compat.dir");
        if (configured != null && Files.isRegularFile(Path.of(configured, "edge_reference.py"))) {
            return Optional.of(Path.of(configured).toAbsolutePath().normalize());
        }
        for (Path dir = Path.of("").toAbsolutePath(); dir != null; dir = dir.getParent()) {
            if (Files.isRegularFile(dir.resolve("compat/edge_reference.py"))) {
                return Optional.of(dir.resolve("compat"));
            }
        }
        return Optional.empty();
    }

    private static String pinnedVersion(Path compatDir) throws Unavailable {
        try {
            for (String line : Files.readAllLines(compatDir.resolve("requirements.txt"))) {
                String trimmed = line.trim();
                if (trimmed.startsWith("qdrant-edge-py==")) {
                    return trimmed.substring("qdrant-edge-py==".length()).trim();
                }
            }
        } catch (IOException e) {
            throw new Unavailable("cannot read compat/requirements.txt: " + e.getMessage());
        }
        throw new Unavailable("compat/requirements.txt pins no qdrant-edge-py version");
    }

    private static Path interpreter(Path compatDir) {
        String property = System.getProperty("compat.python");
        if (property != null && !property.isBlank()) {
            return Path.of(property);
        }
        String env = System.getenv("COMPAT_PYTHON");
        if (env != null && !env.isBlank()) {
            return Path.of(env);
        }
        Path venv = compatDir.resolve(".venv/bin/python");
        return Files.isExecutable(venv) ? venv : null;
    }

    private static String probeVersion(Path python) {
        try {
            Process process = new ProcessBuilder(python.toString(), "-c",
                    "import qdrant_edge, importlib.metadata as m; print(m.version('qdrant-edge-py'))")
                    .redirectErrorStream(true).start();
            String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
            if (!process.waitFor(60, TimeUnit.SECONDS) || process.exitValue() != 0) {
                return null;
            }
            String[] lines = output.split("\n");
            return lines[lines.length - 1].trim();
        } catch (IOException e) {
            return null;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return null;
        }
    }

    static JsonNode readJson(Path file) {
        try {
            return JSON.readTree(Files.readAllBytes(file));
        } catch (IOException e) {
            throw new IllegalStateException("cannot read " + file, e);
        }
    }

    private static final class Unavailable extends Exception {
        private static final long serialVersionUID = 1L;

        Unavailable(String message) {
            super(message);
        }
    }
}
