package dev.qdrantedge.engine.index.hnsw;

import static org.assertj.core.api.Assertions.assertThat;

import dev.qdrantedge.engine.compat.ReferenceEngine;
import dev.qdrantedge.engine.compat.ReferenceShard;
import dev.qdrantedge.engine.compat.SharedDatasets;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * A graph the reference engine built with {@code inline_storage} (links in the compressed-with-vectors form,
 * the segment's vectors kept only inside the links file) over the 10,000 SIFT vectors of {@code bigann10k}:
 * its structure holds, the vectors stored with the nodes are the dataset's, and a search at ef 128 over it
 * finds the published ground truth's neighbours.
 */
class InlineGraphTest {

    private static final int K = 10;

    @Test
    void inlineGraphDecodesAndSearches() throws IOException {
        Path dataset = SharedDatasets.require("bigann10k");
        float[][] base = fvecs(dataset.resolve("derived/bigann10k_base.fvecs"));
        float[][] queries = fvecs(dataset.resolve("derived/bigann10k_query.fvecs"));
        int[][] truth = ivecs(dataset.resolve("derived/bigann10k_groundtruth.ivecs"));
        ReferenceEngine engine = ReferenceEngine.require();
        String file = dataset.resolve("derived/bigann10k_base.fvecs").toString().replace("\\", "\\\\");
        Path scenario = Path.of("target", "hnsw-inline-scenario.json").toAbsolutePath();
        Files.createDirectories(scenario.getParent());
        Files.writeString(scenario, "{\"seed\": 1, \"config\": {\"vectors\": {\"\": {\"size\": 128, \"distance\": "
                + "\"Euclid\"}}, \"optimizers\": {\"indexing_threshold\": 100}, \"hnsw\": {\"m\": 16, \"ef_construct\": "
                + "100, \"full_scan_threshold\": 10, \"inline_storage\": true}, \"quantization\": {\"type\": \"scalar\"}},"
                + " \"operations\": [{\"op\": \"upsert_vecs\", \"file\": \"" + file + "\", \"vectors\": [\"\"], "
                + "\"batch\": 1000}, {\"op\": \"optimize\"}, {\"op\": \"flush\"}], \"answers\": \"minimal\", "
                + "\"finish\": \"close\"}");
        ReferenceShard shard = engine.buildFile(scenario, "hnsw-inline");
        List<Path> files;
        try (Stream<Path> walk = Files.walk(shard.shardDir())) {
            files = walk.filter(p -> p.getFileName().toString().equals(LinksFormat.COMPRESSED_WITH_VECTORS.fileName()))
                    .toList();
        }
        assertThat(files).hasSize(1);
        HnswGraph graph = HnswGraph.open(files.get(0).getParent());
        assertThat(graph.links().format()).isEqualTo(LinksFormat.COMPRESSED_WITH_VECTORS);
        GraphFilesTest.checkInvariants(graph);
        HnswGraph inRam = HnswGraph.open(files.get(0).getParent(), true);
        assertThat(inRam.links().inMemory()).isTrue();
        GraphFilesTest.checkSameLists(graph.links(), inRam.links());
        int points = graph.links().pointCount();
        assertThat(points).isEqualTo(base.length);

        // the nodes' own vectors: the dataset's rows, in some order; map internal ids to rows through them
        int[] rowOf = new int[points];
        java.util.Map<String, Integer> rows = new java.util.HashMap<>();
        for (int r = 0; r < base.length; r++) {
            rows.put(java.util.Arrays.toString(base[r]), r);
        }
        float[][] stored = new float[points][];
        for (int p = 0; p < points; p++) {
            stored[p] = vector(graph.links().baseVector(p));
            Integer row = rows.get(java.util.Arrays.toString(stored[p]));
            assertThat(row).as("vector of node " + p).isNotNull();
            rowOf[p] = row;
        }

        double recall = 0;
        long scored = 0;
        for (int q = 0; q < queries.length; q++) {
            float[] query = queries[q];
            GraphSearch.Result result = GraphSearch.search(graph, p -> -squared(query, stored[p]), p -> true, K, 128);
            scored += result.scored();
            Set<Integer> expected = new HashSet<>();
            for (int j = 0; j < K; j++) {
                expected.add(truth[q][j]);
            }
            List<Integer> found = new ArrayList<>();
            for (int p : result.points()) {
                found.add(rowOf[p]);
            }
            recall += found.stream().filter(expected::contains).count() / (double) K;
        }
        recall /= queries.length;
        System.out.printf("[hnsw] inline graph: recall@10 against the ground truth at ef 128 = %.4f, %d of %d "
                + "vectors scored per query%n", recall, scored / queries.length, points);
        assertThat(recall).isGreaterThanOrEqualTo(0.99);
        assertThat(scored / queries.length).isLessThan(points / 4);
    }

    private static float squared(float[] a, float[] b) {
        float sum = 0;
        for (int i = 0; i < a.length; i++) {
            float d = a[i] - b[i];
            sum += d * d;
        }
        return sum;
    }

    private static float[] vector(ByteBuffer bytes) {
        float[] out = new float[bytes.remaining() / 4];
        bytes.order(ByteOrder.LITTLE_ENDIAN).asFloatBuffer().get(out);
        return out;
    }

    private static float[][] fvecs(Path file) throws IOException {
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

    private static int[][] ivecs(Path file) throws IOException {
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
}
