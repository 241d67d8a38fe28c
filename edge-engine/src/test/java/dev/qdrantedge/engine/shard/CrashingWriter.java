package dev.qdrantedge.engine.shard;

import dev.qdrantedge.engine.EdgeException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Random;
import tools.jackson.databind.node.ObjectNode;

/**
 * The child process of {@code ShardCrashIT}, run in its own JVM.
 *
 * <ul>
 *   <li>{@code write <shard-dir> <seed>}: opens the shard for writing (creating it the first time), prints
 *       {@code READY}, then writes until killed: before each update {@code BEGIN <operation JSON>}, after
 *       {@code update} returned {@code ACK <operation number>}; every few operations {@code FLUSH}, a flush,
 *       {@code FLUSHED}. Each line is flushed to stdout before the next step.</li>
 *   <li>{@code probe <shard-dir>}: tries to open the shard for writing and prints {@code OPENED} or
 *       {@code REFUSED <message>}.</li>
 * </ul>
 */
public final class CrashingWriter {

    /** A child that is never killed stops by itself after this long. */
    private static final long MAX_MILLIS = 60_000;

    private CrashingWriter() {
    }

    public static void main(String[] args) {
        PrintStream out = new PrintStream(System.out, false, StandardCharsets.UTF_8);
        Path dir = Path.of(args[1]);
        switch (args[0]) {
            case "write" -> write(dir, Long.parseLong(args[2]), out);
            case "probe" -> probe(dir, out);
            default -> throw new IllegalArgumentException("unknown mode " + args[0]);
        }
    }

    private static void write(Path dir, long seed, PrintStream out) {
        EdgeShard shard = Files.isDirectory(dir.resolve(EdgeShard.SEGMENTS_DIR)) ? EdgeShard.load(dir)
                : EdgeShard.create(dir, CrashOperations.config());
        line(out, "READY " + shard.count());
        Random random = new Random(seed);
        String tag = "child-" + seed;
        int flushEvery = 4 + random.nextInt(8);
        long deadline = System.currentTimeMillis() + MAX_MILLIS;
        for (int i = 1; System.currentTimeMillis() < deadline; i++) {
            if (i % flushEvery == 0) {
                line(out, "FLUSH");
                shard.flush();
                line(out, "FLUSHED");
                continue;
            }
            ObjectNode op = CrashOperations.next(random, tag + "-" + i);
            line(out, "BEGIN " + op);
            long opNum;
            try {
                opNum = shard.update(CrashOperations.toOperation(op));
            } catch (PointNotFoundException e) {
                opNum = e.operationNumber(); // set_payload of a missing point: applied to the others all the same
            }
            line(out, "ACK " + opNum);
        }
        shard.close();
        System.exit(3);
    }

    private static void probe(Path dir, PrintStream out) {
        try (EdgeShard shard = EdgeShard.load(dir)) {
            line(out, "OPENED " + shard.count());
        } catch (EdgeException e) {
            line(out, "REFUSED " + e.getMessage());
        }
    }

    private static void line(PrintStream out, String line) {
        out.println(line);
        out.flush();
    }
}
