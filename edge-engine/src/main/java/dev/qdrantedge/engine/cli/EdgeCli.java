package dev.qdrantedge.engine.cli;

import dev.qdrantedge.engine.EdgeException;
import dev.qdrantedge.engine.shard.EdgeShard;
import dev.qdrantedge.engine.shard.Record;
import dev.qdrantedge.engine.shard.ScrollPage;
import dev.qdrantedge.engine.shard.ShardInfo;
import dev.qdrantedge.engine.idtracker.PointId;
import java.io.BufferedWriter;
import java.io.OutputStreamWriter;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

/**
 * {@code java -jar edge-engine-cli.jar <command> <shard-dir> ...}: inspect a Qdrant shard directory, or create
 * one and upsert points into it ({@link WriteCommands}), or optimize it ({@link OptimizeCommand}). Output is
 * JSON on standard output; errors go to
 * standard error with exit code 1 (2 for usage errors).
 */
public final class EdgeCli {

    static final String USAGE = String.join("\n",
            "usage: java -jar edge-engine-cli.jar <command> <shard-dir> [<file>]",
            "commands:",
            "  info <shard-dir>   segments, points and vector configuration, as one JSON object",
            "  dump <shard-dir>   every live point as one JSON object per line (id, version, vectors,",
            "                     payload), sorted by id",
            QueryCommands.USAGE,
            WriteCommands.USAGE,
            SnapshotCommands.USAGE,
            OptimizeCommand.USAGE);

    private static final JsonMapper JSON = JsonMapper.builder().build();

    private EdgeCli() {
    }

    public static void main(String[] args) {
        PrintWriter out = new PrintWriter(new BufferedWriter(new OutputStreamWriter(System.out, StandardCharsets.UTF_8)));
        int code = run(args, out, System.err);
        out.flush();
        System.exit(code);
    }

    /** Runs one command; returns the process exit code. */
    static int run(String[] args, Writer out, PrintStream err) {
        if (args.length > 0 && QueryCommands.handles(args[0])) {
            return QueryCommands.run(args, out, err, System.in);
        }
        if (args.length > 0 && WriteCommands.handles(args[0])) {
            return WriteCommands.run(args, out, err);
        }
        if (args.length > 0 && SnapshotCommands.handles(args[0])) {
            return runSnapshotCommand(args, out, err);
        }
        if (args.length != 2) {
            err.println(USAGE);
            return 2;
        }
        Path dir = Path.of(args[1]);
        try {
            switch (args[0]) {
                case "info" -> info(dir, out);
                case "dump" -> dump(dir, out);
                case "optimize" -> OptimizeCommand.run(dir, out);
                default -> {
                    err.println("unknown command '" + args[0] + "'\n" + USAGE);
                    return 2;
                }
            }
            out.flush();
            return 0;
        } catch (EdgeException e) {
            err.println("error: " + e.getMessage());
            return 1;
        } catch (java.io.IOException e) {
            err.println("error: " + e.getMessage());
            return 1;
        }
    }

    private static int runSnapshotCommand(String[] args, Writer out, PrintStream err) {
        try {
            int code = SnapshotCommands.run(args, out, err);
            if (code < 0) {
                err.println(USAGE);
                return 2;
            }
            out.flush();
            return code;
        } catch (EdgeException | java.io.IOException e) {
            err.println("error: " + e.getMessage());
            return 1;
        }
    }

    static void info(Path dir, Writer out) throws java.io.IOException {
        try (EdgeShard shard = EdgeShard.openReadOnly(dir)) {
            ShardInfo info = shard.info();
            ObjectNode node = JSON.createObjectNode();
            node.put("segments_count", info.segmentsCount());
            node.put("points_count", info.pointsCount());
            node.put("indexed_vectors_count", info.indexedVectorsCount());
            ObjectNode vectors = node.putObject("vectors");
            ObjectNode sparse = node.putObject("sparse_vectors");
            if (info.config() != null) {
                info.config().vectors().forEach((name, params) -> {
                    ObjectNode v = vectors.putObject(name);
                    v.put("size", params.size());
                    v.put("distance", params.distance().jsonName());
                    v.put("datatype", params.datatype().jsonName());
                    v.put("multivector", params.multivector());
                    if (params.onDisk() != null) {
                        v.put("on_disk", params.onDisk());
                    }
                });
                info.config().sparseVectors().forEach((name, params) ->
                        sparse.putObject(name).put("modifier", params.idf() ? "idf" : "none"));
            }
            out.write(JSON.writeValueAsString(node));
            out.write('\n');
        }
    }

    private static void dump(Path dir, Writer out) throws java.io.IOException {
        try (EdgeShard shard = EdgeShard.openReadOnly(dir)) {
            PointId offset = null;
            do {
                ScrollPage page = shard.scroll(offset, 256, true, true);
                for (Record record : page.points()) {
                    out.write(JSON.writeValueAsString(RecordJson.toJson(record)));
                    out.write('\n');
                }
                offset = page.nextOffset();
            } while (offset != null);
        }
    }

}
