package dev.qdrantedge.benchmarks;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.stream.IntStream;

/**
 * A benchmark data set: base vectors (row {@code r} becomes point id {@code r + 1}), query vectors and the
 * exact nearest base rows of each query (Euclidean distance), with texmex {@code .fvecs} / {@code .ivecs}
 * reading and writing.
 *
 * @param name short name for the report and the work directory
 * @param description one line for the report: where the vectors come from
 * @param baseFile the base vectors as {@code .fvecs} (what the reference engine loads)
 * @param queries the query vectors
 * @param truth per query, the rows of the exact nearest base vectors, nearest first (at least k)
 */
record VectorSet(String name, String description, Path baseFile, float[][] queries, int[][] truth) {

    /** {@code bigann10k}: 10,000 x 128 SIFT descriptors, 100 queries and their exact 100 nearest (L2). */
    static VectorSet bigann10k(Path datasets) throws IOException {
        Path dir = datasets.resolve("bigann10k/derived");
        Path base = dir.resolve("bigann10k_base.fvecs");
        if (!Files.isRegularFile(base)) {
            throw new IllegalStateException("bigann10k not found: no " + base + " (--datasets DIR)");
        }
        return new VectorSet("bigann10k", "bigann10k: 10,000 x 128 SIFT descriptors (uint8 values as float32), "
                + "100 queries, ground truth as shipped", base, readFvecs(dir.resolve("bigann10k_query.fvecs")),
                readIvecs(dir.resolve("bigann10k_groundtruth.ivecs")));
    }

    /**
     * A deterministic clustered Gaussian set: {@code clusters} centres with standard-normal components, each
     * vector (base and query alike) a uniformly chosen centre plus standard-normal noise, all drawn from
     * {@code java.util.Random(seed)} (base first, then queries); the exact top {@code k} by Euclidean
     * distance, computed in double precision. Written to (and later read from) {@code cacheDir}.
     */
    static VectorSet synthetic(Path cacheDir, int points, int dim, int queryCount, int clusters, long seed, int k)
            throws IOException {
        String name = String.format("synthetic-%dx%d-c%d-seed%d", points, dim, clusters, seed);
        Path dir = cacheDir.resolve(name);
        Path base = dir.resolve("base.fvecs");
        Path queryFile = dir.resolve("queries-" + queryCount + ".fvecs");
        Path truthFile = dir.resolve("truth-" + queryCount + "-k" + k + ".ivecs");
        String description = String.format("synthetic: %,d x %d float32, %,d clusters (centre and noise "
                + "components standard normal, java.util.Random(%d)), %d queries from the same distribution, "
                + "exact top-%d by brute force", points, dim, clusters, seed, queryCount, k);
        if (Files.isRegularFile(base) && Files.isRegularFile(queryFile) && Files.isRegularFile(truthFile)) {
            return new VectorSet("synthetic", description, base, readFvecs(queryFile), readIvecs(truthFile));
        }
        Files.createDirectories(dir);
        Random random = new Random(seed);
        float[][] centres = new float[clusters][dim];
        for (float[] c : centres) {
            for (int i = 0; i < dim; i++) {
                c[i] = (float) random.nextGaussian();
            }
        }
        float[][] baseVectors = clustered(random, centres, points);
        float[][] queries = clustered(random, centres, queryCount);
        System.err.printf("computing the exact top-%d of %d queries over %,d vectors ...%n", k, queryCount, points);
        int[][] truth = exactTop(baseVectors, queries, k);
        writeFvecs(base, baseVectors);
        writeFvecs(queryFile, queries);
        writeIvecs(truthFile, truth);
        return new VectorSet("synthetic", description, base, queries, truth);
    }

    private static float[][] clustered(Random random, float[][] centres, int count) {
        int dim = centres[0].length;
        float[][] out = new float[count][dim];
        for (float[] v : out) {
            float[] c = centres[random.nextInt(centres.length)];
            for (int i = 0; i < dim; i++) {
                v[i] = c[i] + (float) random.nextGaussian();
            }
        }
        return out;
    }

    /** Per query, the rows of the {@code k} base vectors nearest by Euclidean distance (ties: lower row). */
    static int[][] exactTop(float[][] base, float[][] queries, int k) {
        return IntStream.range(0, queries.length).parallel().mapToObj(q -> {
            float[] query = queries[q];
            double[] best = new double[k];
            int[] rows = new int[k];
            java.util.Arrays.fill(best, Double.POSITIVE_INFINITY);
            java.util.Arrays.fill(rows, -1);
            for (int r = 0; r < base.length; r++) {
                float[] v = base[r];
                double d = 0;
                for (int i = 0; i < v.length; i++) {
                    double x = v[i] - query[i];
                    d += x * x;
                }
                if (d < best[k - 1]) {
                    int at = k - 1;
                    while (at > 0 && best[at - 1] > d) {
                        best[at] = best[at - 1];
                        rows[at] = rows[at - 1];
                        at--;
                    }
                    best[at] = d;
                    rows[at] = r;
                }
            }
            return rows;
        }).toArray(int[][]::new);
    }

    static float[][] readFvecs(Path file) throws IOException {
        ByteBuffer in = ByteBuffer.wrap(Files.readAllBytes(file)).order(ByteOrder.LITTLE_ENDIAN);
        List<float[]> rows = new ArrayList<>();
        while (in.hasRemaining()) {
            float[] row = new float[in.getInt()];
            for (int i = 0; i < row.length; i++) {
                row[i] = in.getFloat();
            }
            rows.add(row);
        }
        return rows.toArray(new float[0][]);
    }

    static int[][] readIvecs(Path file) throws IOException {
        ByteBuffer in = ByteBuffer.wrap(Files.readAllBytes(file)).order(ByteOrder.LITTLE_ENDIAN);
        List<int[]> rows = new ArrayList<>();
        while (in.hasRemaining()) {
            int[] row = new int[in.getInt()];
            for (int i = 0; i < row.length; i++) {
                row[i] = in.getInt();
            }
            rows.add(row);
        }
        return rows.toArray(new int[0][]);
    }

    static void writeFvecs(Path file, float[][] rows) throws IOException {
        ByteBuffer out = ByteBuffer.allocate(rows.length * (4 + rows[0].length * 4)).order(ByteOrder.LITTLE_ENDIAN);
        for (float[] row : rows) {
            out.putInt(row.length);
            for (float x : row) {
                out.putFloat(x);
            }
        }
        writeAtomically(file, out.array());
    }

    static void writeIvecs(Path file, int[][] rows) throws IOException {
        ByteBuffer out = ByteBuffer.allocate(rows.length * (4 + rows[0].length * 4)).order(ByteOrder.LITTLE_ENDIAN);
        for (int[] row : rows) {
            out.putInt(row.length);
            for (int x : row) {
                out.putInt(x);
            }
        }
        writeAtomically(file, out.array());
    }

    private static void writeAtomically(Path file, byte[] bytes) throws IOException {
        Path partial = file.resolveSibling(file.getFileName() + ".partial");
        Files.write(partial, bytes);
        Files.move(partial, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    }
}
