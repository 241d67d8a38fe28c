package dev.qdrantedge.engine.cli;

import dev.qdrantedge.engine.shard.EdgeShard;
import dev.qdrantedge.engine.snapshot.SnapshotLimits;
import dev.qdrantedge.engine.snapshot.SnapshotManifest;
import java.io.IOException;
import java.io.PrintStream;
import java.io.Writer;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

/** The snapshot subcommands of {@link EdgeCli}. */
final class SnapshotCommands {

    static final String USAGE = String.join("\n",
            "  unpack <archive> <target-dir> [limits]          unpack a shard snapshot (server or edge) into a new",
            "                                                  directory",
            "  manifest <shard-dir>                            the shard's snapshot manifest (Qdrant's JSON)",
            "  update-from-snapshot <shard-dir> <archive> [limits]",
            "                                                  apply a full or partial snapshot, atomically",
            "  create-snapshot <shard-dir> <archive>           write the shard as a Qdrant shard snapshot",
            "  limits: --max-entry-bytes N --max-total-bytes N --max-entries N");

    private static final Set<String> COMMANDS = Set.of("unpack", "manifest", "update-from-snapshot", "create-snapshot");
    private static final JsonMapper JSON = JsonMapper.builder().build();

    private SnapshotCommands() {
    }

    static boolean handles(String command) {
        return COMMANDS.contains(command);
    }

    /** Runs a snapshot command; returns the exit code, or -1 for a usage error. */
    static int run(String[] args, Writer out, PrintStream err) throws IOException {
        List<String> positional = new ArrayList<>();
        SnapshotLimits limits = SnapshotLimits.defaults();
        for (int i = 1; i < args.length; i++) {
            String arg = args[i];
            if (arg.startsWith("--")) {
                if (i + 1 == args.length) {
                    return -1;
                }
                long value;
                try {
                    value = Long.parseLong(args[++i]);
                } catch (NumberFormatException e) {
                    return -1;
                }
                switch (arg) {
                    case "--max-entry-bytes" -> limits = limits.withMaxEntryBytes(value);
                    case "--max-total-bytes" -> limits = limits.withMaxTotalBytes(value);
                    case "--max-entries" -> limits = limits.withMaxEntries(value);
                    default -> {
                        return -1;
                    }
                }
            } else {
                positional.add(arg);
            }
        }
        ObjectNode result = JSON.createObjectNode();
        switch (args[0]) {
            case "unpack" -> {
                if (positional.size() != 2) {
                    return -1;
                }
                Path target = Path.of(positional.get(1));
                EdgeShard.unpackSnapshot(Path.of(positional.get(0)), target, limits);
                result.put("unpacked", target.toString());
            }
            case "manifest" -> {
                if (positional.size() != 1) {
                    return -1;
                }
                SnapshotManifest manifest;
                try (EdgeShard shard = EdgeShard.openReadOnly(Path.of(positional.get(0)))) {
                    manifest = shard.snapshotManifest();
                }
                out.write(JSON.writeValueAsString(manifest.toJson()));
                out.write('\n');
                return 0;
            }
            case "update-from-snapshot" -> {
                if (positional.size() != 2) {
                    return -1;
                }
                try (EdgeShard shard = EdgeShard.load(Path.of(positional.get(0)))) {
                    shard.updateFromSnapshot(Path.of(positional.get(1)), limits);
                    result.put("points_count", shard.count());
                }
            }
            case "create-snapshot" -> {
                if (positional.size() != 2) {
                    return -1;
                }
                Path archive = Path.of(positional.get(1));
                try (EdgeShard shard = EdgeShard.openReadOnly(Path.of(positional.get(0)))) {
                    shard.createSnapshot(archive);
                }
                result.put("snapshot", archive.toString());
            }
            default -> {
                return -1;
            }
        }
        out.write(JSON.writeValueAsString(result));
        out.write('\n');
        return 0;
    }
}
