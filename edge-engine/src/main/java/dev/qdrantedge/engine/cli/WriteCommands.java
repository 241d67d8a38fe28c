package dev.qdrantedge.engine.cli;

import dev.qdrantedge.engine.EdgeException;
import dev.qdrantedge.engine.config.EdgeConfig;
import dev.qdrantedge.engine.idtracker.PointId;
import dev.qdrantedge.engine.operation.InvalidOperationException;
import dev.qdrantedge.engine.operation.OperationValidator;
import dev.qdrantedge.engine.operation.PointStruct;
import dev.qdrantedge.engine.operation.UpsertPoints;
import dev.qdrantedge.engine.shard.EdgeShard;
import dev.qdrantedge.engine.vectors.DenseVector;
import dev.qdrantedge.engine.vectors.MultiDenseVector;
import dev.qdrantedge.engine.vectors.SparseVector;
import dev.qdrantedge.engine.vectors.VectorValue;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.PrintStream;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

/**
 * The command-line commands that write: {@code create <shard-dir> <config.json>} makes a new shard from a
 * collection-style configuration ({@link CollectionConfigJson}); {@code upsert <shard-dir> <points.jsonl>}
 * upserts one point per line ({@link PointJson}), in batches. Input errors name the file and line; a points
 * file is checked whole before anything is written, so a bad line leaves the shard unchanged.
 */
final class WriteCommands {

    static final String USAGE = String.join("\n",
            "  create <shard-dir> <config.json>",
            "                     create a shard; config.json holds Qdrant's collection \"vectors\" and",
            "                     \"sparse_vectors\" configuration, e.g. {\"vectors\": {\"size\": 4, \"distance\": \"Cosine\"}}",
            "  upsert <shard-dir> <points.jsonl>",
            "                     upsert one point per line in Qdrant's REST shape: {\"id\": 1 or \"<uuid>\",",
            "                     \"vector\": [...] or {\"name\": [...], \"sparse\": {\"indices\": [...], \"values\": [...]}},",
            "                     \"payload\": {...}}");

    /** Points per upsert operation (one WAL entry each). */
    static final int BATCH_POINTS = 256;
    /** Vector elements per upsert operation, so that entries of large vectors stay a few megabytes. */
    static final int BATCH_ELEMENTS = 256 * 1024;

    private static final JsonMapper JSON = JsonMapper.builder().build();

    private WriteCommands() {
    }

    static boolean handles(String command) {
        return command.equals("create") || command.equals("upsert");
    }

    /** Runs {@code create} or {@code upsert}; returns the exit code (2 for usage errors). */
    static int run(String[] args, Writer out, PrintStream err) {
        if (args.length != 3) {
            err.println(args[0] + " takes two arguments\n" + EdgeCli.USAGE);
            return 2;
        }
        Path dir = Path.of(args[1]);
        Path input = Path.of(args[2]);
        try {
            if (args[0].equals("create")) {
                create(dir, input, out);
            } else {
                upsert(dir, input, out);
            }
            out.flush();
            return 0;
        } catch (EdgeException e) {
            err.println("error: " + e.getMessage());
            return 1;
        } catch (IOException e) {
            err.println("error: " + e.getMessage());
            return 1;
        }
    }

    private static void create(Path dir, Path configFile, Writer out) throws IOException {
        JsonNode json;
        try {
            json = JSON.readTree(Files.readAllBytes(configFile));
        } catch (NoSuchFileException e) {
            throw new CliInputException(configFile + ": file not found");
        } catch (JacksonException e) {
            throw new CliInputException(configFile + ": not valid JSON: " + e.getOriginalMessage());
        }
        EdgeConfig config = CollectionConfigJson.parse(json, configFile.toString());
        EdgeShard.create(dir, config).close();
        EdgeCli.info(dir, out);
    }

    private static void upsert(Path dir, Path pointsFile, Writer out) throws IOException {
        if (!Files.isRegularFile(pointsFile)) {
            throw new CliInputException(pointsFile + ": file not found");
        }
        try (EdgeShard shard = EdgeShard.load(dir)) {
            OperationValidator validator = new OperationValidator(shard.config().orElseThrow());
            long[] counts = new long[1];
            readPoints(pointsFile, (line, point) -> {
                try {
                    validator.validate(new UpsertPoints(List.of(point)));
                } catch (InvalidOperationException e) {
                    throw new CliInputException(pointsFile + ":" + line + ": " + e.getMessage());
                }
                counts[0]++;
            });
            Batches batches = new Batches(shard);
            readPoints(pointsFile, (line, point) -> batches.add(point));
            batches.submit();
            ObjectNode result = JSON.createObjectNode();
            result.put("upserted", counts[0]);
            result.put("operations", batches.operations);
            result.put("points_count", shard.count());
            out.write(JSON.writeValueAsString(result));
            out.write('\n');
        }
    }

    @FunctionalInterface
    private interface LineConsumer {
        void accept(long line, PointStruct point);
    }

    /** Parses every non-blank line of the file; a malformed one is an error naming the line. */
    private static void readPoints(Path file, LineConsumer consumer) throws IOException {
        try (BufferedReader reader = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            long number = 0;
            for (String line = reader.readLine(); line != null; line = reader.readLine()) {
                number++;
                if (line.isBlank()) {
                    continue;
                }
                PointStruct point;
                try {
                    point = PointJson.parse(JSON.readTree(line));
                } catch (JacksonException e) {
                    throw new CliInputException(file + ":" + number + ": not valid JSON: " + e.getOriginalMessage());
                } catch (IllegalArgumentException e) {
                    throw new CliInputException(file + ":" + number + ": " + e.getMessage());
                }
                consumer.accept(number, point);
            }
        }
    }

    /** Groups points into upserts; a point whose id is already in the batch starts a new one (last one wins). */
    private static final class Batches {
        private final EdgeShard shard;
        private final List<PointStruct> batch = new ArrayList<>();
        private final Set<PointId> ids = new HashSet<>();
        private long elements;
        private long operations;

        Batches(EdgeShard shard) {
            this.shard = shard;
        }

        void add(PointStruct point) {
            long size = elements(point);
            if (ids.contains(point.id()) || batch.size() == BATCH_POINTS
                    || (!batch.isEmpty() && elements + size > BATCH_ELEMENTS)) {
                submit();
            }
            batch.add(point);
            ids.add(point.id());
            elements += size;
        }

        void submit() {
            if (batch.isEmpty()) {
                return;
            }
            shard.update(new UpsertPoints(batch));
            operations++;
            batch.clear();
            ids.clear();
            elements = 0;
        }

        private static long elements(PointStruct point) {
            long n = 0;
            for (VectorValue v : point.vectors().values()) {
                if (v instanceof DenseVector d) {
                    n += d.values().length;
                } else if (v instanceof MultiDenseVector m) {
                    for (float[] row : m.vectors()) {
                        n += row.length;
                    }
                } else {
                    n += 2L * ((SparseVector) v).indices().length;
                }
            }
            return n;
        }
    }
}
