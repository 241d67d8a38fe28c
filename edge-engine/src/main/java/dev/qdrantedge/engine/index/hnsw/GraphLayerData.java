package dev.qdrantedge.engine.index.hnsw;

import dev.qdrantedge.engine.EdgeFormatException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * {@code graph.bin}: the graph's link counts and its entry points, as Qdrant serializes {@code GraphLayerData}
 * with bincode 1 (little-endian, {@code u64} lengths): {@code m}, {@code m0}, {@code ef_construct}, then the
 * entry points (one per level the graph was grown to) and the extra entry points (a bounded heap, kept as a
 * sequence, then its capacity). The file is a few hundred bytes, so it is read whole.
 *
 * @param m links per node on levels above 0
 * @param m0 links per node on level 0
 * @param efConstruct beam size used while building
 * @param entryPoints the entry points, tried in order
 * @param extraEntryPoints fallback entry points, in file order
 */
public record GraphLayerData(int m, int m0, int efConstruct, List<EntryPoint> entryPoints,
        List<EntryPoint> extraEntryPoints) {

    /** The file name inside the index directory. */
    public static final String FILE = "graph.bin";

    public GraphLayerData {
        entryPoints = List.copyOf(entryPoints);
        extraEntryPoints = List.copyOf(extraEntryPoints);
    }

    /** Reads {@code graph.bin} of an index directory. */
    public static GraphLayerData read(Path indexDir) {
        Path file = indexDir.resolve(FILE);
        byte[] bytes;
        try {
            bytes = Files.readAllBytes(file);
        } catch (NoSuchFileException e) {
            throw new EdgeFormatException(file, "file is missing", e);
        } catch (IOException e) {
            throw new EdgeFormatException(file, "cannot read: " + e.getMessage(), e);
        }
        ByteBuffer in = ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN);
        try {
            int m = count(file, in.getLong(), "m");
            int m0 = count(file, in.getLong(), "m0");
            int efConstruct = count(file, in.getLong(), "ef_construct");
            List<EntryPoint> entryPoints = entryPoints(file, in);
            List<EntryPoint> extra = entryPoints(file, in);
            long capacity = in.getLong();
            if (capacity == 0) {
                throw new EdgeFormatException(file, "the extra entry points' capacity is 0");
            }
            if (in.hasRemaining()) {
                throw new EdgeFormatException(file, in.remaining() + " unexpected bytes after the entry points");
            }
            return new GraphLayerData(m, m0, efConstruct, entryPoints, extra);
        } catch (java.nio.BufferUnderflowException e) {
            throw new EdgeFormatException(file, "truncated: " + bytes.length + " bytes end inside the graph data", e);
        }
    }

    private static List<EntryPoint> entryPoints(Path file, ByteBuffer in) {
        long n = in.getLong();
        if (n < 0 || n > in.remaining() / 12) {
            throw new EdgeFormatException(file, "entry point count " + Long.toUnsignedString(n)
                    + " does not fit the " + in.remaining() + " bytes left");
        }
        List<EntryPoint> out = new ArrayList<>((int) n);
        for (long i = 0; i < n; i++) {
            int pointId = in.getInt();
            long level = in.getLong();
            if (pointId < 0 || level < 0 || level > 1024) {
                throw new EdgeFormatException(file, "entry point " + Integer.toUnsignedString(pointId)
                        + " at level " + Long.toUnsignedString(level) + " is out of range");
            }
            out.add(new EntryPoint(pointId, (int) level));
        }
        return out;
    }

    private static int count(Path file, long value, String name) {
        if (value < 0 || value > Integer.MAX_VALUE) {
            throw new EdgeFormatException(file, name + " " + Long.toUnsignedString(value) + " is out of range");
        }
        return (int) value;
    }
}
