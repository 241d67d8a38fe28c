package dev.qdrantedge.engine.cli;

import dev.qdrantedge.engine.optimize.OptimizeReport;
import dev.qdrantedge.engine.optimize.OptimizedSegment;
import dev.qdrantedge.engine.shard.EdgeShard;
import dev.qdrantedge.engine.shard.ShardInfo;
import java.io.IOException;
import java.io.Writer;
import java.nio.file.Path;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * {@code optimize <shard-dir>}: opens the shard for writing, runs its optimizers ({@link EdgeShard#optimize()})
 * and prints what they built, then the shard's counts, as one JSON object.
 */
final class OptimizeCommand {

    static final String USAGE = String.join("\n",
            "  optimize <shard-dir>                            merge small segments and build HNSW indexes as the",
            "                                                  shard's optimizer settings ask; prints what was built");

    private static final JsonMapper JSON = JsonMapper.builder().build();

    private OptimizeCommand() {
    }

    static boolean handles(String command) {
        return "optimize".equals(command);
    }

    static void run(Path dir, Writer out) throws IOException {
        try (EdgeShard shard = EdgeShard.load(dir)) {
            OptimizeReport report = shard.optimize();
            ShardInfo info = shard.info();
            out.write(JSON.writeValueAsString(toJson(report, info)));
            out.write('\n');
        }
    }

    static ObjectNode toJson(OptimizeReport report, ShardInfo info) {
        ObjectNode node = JSON.createObjectNode();
        ArrayNode built = node.putArray("optimized");
        for (OptimizedSegment s : report.segments()) {
            ObjectNode o = built.addObject();
            o.put("segment", s.segmentId());
            s.replaced().forEach(o.putArray("replaced")::add);
            o.put("points", s.points());
            s.indexedVectors().forEach(o.putArray("indexed_vectors")::add);
        }
        node.put("segments_count", info.segmentsCount());
        node.put("points_count", info.pointsCount());
        node.put("indexed_vectors_count", info.indexedVectorsCount());
        return node;
    }
}
