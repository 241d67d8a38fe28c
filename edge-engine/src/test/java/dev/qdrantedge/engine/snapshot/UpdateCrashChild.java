package dev.qdrantedge.engine.snapshot;

import dev.qdrantedge.engine.shard.EdgeShard;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;

/**
 * The process {@link UpdateCrashTest} kills: opens the shard, says READY, waits for GO on standard input,
 * then updates the shard from the archive, reporting every step of the update (and pausing briefly there, so
 * that a kill lands inside it), and says DONE.
 */
public final class UpdateCrashChild {

    private UpdateCrashChild() {
    }

    public static void main(String[] args) throws Exception {
        Path shard = Path.of(args[0]);
        Path archive = Path.of(args[1]);
        PrintStream out = new PrintStream(System.out, true, StandardCharsets.UTF_8);
        BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
        ShardSwap.stepListener = step -> {
            out.println("STEP " + step);
            try {
                Thread.sleep(4);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        };
        EdgeShard edge = EdgeShard.load(shard);
        out.println("READY");
        if (!"GO".equals(in.readLine())) {
            System.exit(3);
        }
        edge.updateFromSnapshot(archive);
        out.println("DONE");
        edge.close();
        out.println("CLOSED");
        System.exit(0);
    }
}
