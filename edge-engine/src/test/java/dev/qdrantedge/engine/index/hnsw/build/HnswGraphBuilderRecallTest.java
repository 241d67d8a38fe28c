package dev.qdrantedge.engine.index.hnsw.build;

import static org.assertj.core.api.Assertions.assertThat;

import dev.qdrantedge.engine.compat.SharedDatasets;
import dev.qdrantedge.engine.vectors.Distance;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The builder's graph over {@code bigann10k} (10,000 SIFT vectors, Euclid) with Qdrant's default parameters
 * (m 16, ef_construct 100) finds the exact top 10 of the dataset's 100 queries with recall at least 0.95, searched
 * with ef 100 by the build package's own search; and every point keeps its level's link limit.
 */
class HnswGraphBuilderRecallTest {

    private static final int K = 10;

    @Test
    void recallAtTenOnBigannIsAtLeastNinetyFivePercent() throws IOException {
        Path dir = SharedDatasets.require("bigann10k");
        float[][] base = fvecs(dir.resolve("derived/bigann10k_base.fvecs"));
        float[][] queries = fvecs(dir.resolve("derived/bigann10k_query.fvecs"));
        BuildVectors vectors = new BuildVectors(flatten(base), base[0].length, Distance.EUCLID);

        HnswGraph graph = HnswGraphBuilder.build(vectors, HnswBuildParams.of(16, 100).withThreads(2));

        assertThat(graph.pointCount()).isEqualTo(base.length);
        for (int p = 0; p < graph.pointCount(); p++) {
            for (int l = 0; l <= graph.level(p); l++) {
                int[] links = graph.links(p, l);
                assertThat(links.length).as("links of %d on level %d", p, l).isLessThanOrEqualTo(l == 0 ? 32 : 16);
                assertThat(Arrays.stream(links).distinct().count()).isEqualTo(links.length);
                assertThat(links).doesNotContain(p);
            }
        }
        assertThat(graph.level(graph.entryPoints().get(0).pointId())).isEqualTo(graph.levelCount() - 1);

        GraphSearch search = new GraphSearch(graph, vectors);
        int found = 0;
        for (float[] query : queries) {
            int[] exact = exactTop(vectors, query);
            int[] approx = search.search(query, K, 100);
            for (int id : approx) {
                if (Arrays.stream(exact).anyMatch(e -> e == id)) {
                    found++;
                }
            }
        }
        double recall = found / (double) (queries.length * K);
        System.out.println("[hnsw-build] bigann10k recall@10 (ef 100): " + recall);
        assertThat(recall).isGreaterThanOrEqualTo(0.95);
    }

    private static int[] exactTop(BuildVectors vectors, float[] query) {
        ScoredHeap top = new ScoredHeap(false, K + 1);
        for (int p = 0; p < vectors.count(); p++) {
            long item = ScoredHeap.pack(vectors.score(query, p), p);
            if (top.size() < K) {
                top.push(item);
            } else if (item > top.peek()) {
                top.replaceTop(item);
            }
        }
        return Arrays.stream(top.sortedBestFirst()).mapToInt(ScoredHeap::point).toArray();
    }

    static float[] flatten(float[][] rows) {
        float[] flat = new float[rows.length * rows[0].length];
        for (int i = 0; i < rows.length; i++) {
            System.arraycopy(rows[i], 0, flat, i * rows[i].length, rows[i].length);
        }
        return flat;
    }

    static float[][] fvecs(Path file) throws IOException {
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
}
