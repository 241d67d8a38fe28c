package dev.qdrantedge.engine.search;

import static org.assertj.core.api.Assertions.assertThat;

import dev.qdrantedge.engine.compat.ReferenceEngine;
import dev.qdrantedge.engine.compat.ReferenceShard;
import dev.qdrantedge.engine.compat.SharedDatasets;
import dev.qdrantedge.engine.config.EdgeConfig;
import dev.qdrantedge.engine.config.VectorParams;
import dev.qdrantedge.engine.idtracker.PointId;
import dev.qdrantedge.engine.shard.EdgeShard;
import dev.qdrantedge.engine.vectors.DenseVector;
import dev.qdrantedge.engine.vectors.Distance;
import dev.qdrantedge.engine.vectors.VectorDatatype;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import org.junit.jupiter.api.Test;

/**
 * Exact search reproduces the published ground truth of {@code bigann10k} (10,000 SIFT descriptors of 128
 * bytes, 100 queries, exact L2 neighbours; see its {@code PROVENANCE.md}): for every query the top 10 are
 * the ground truth's top 10, up to points at exactly the same distance. Searched twice: over the vectors
 * in memory, and over a shard the reference engine built from them (float32 and uint8 storages).
 */
class BigannGroundTruthTest {

    private static final int K = 10;

    @Test
    void inMemoryExactSearchReproducesTheGroundTruth() throws IOException {
        Dataset data = Dataset.load(SharedDatasets.require("bigann10k"));
        MemorySource source = new MemorySource("", data.base);
        EdgeConfig config = EdgeConfig.of(new VectorParams(128, Distance.EUCLID));
        List<String> failures = check(data, q -> ExactSearch.search(source, config,
                SearchRequest.of("", new DenseVector(data.queries[q]), K)));
        assertThat(failures).isEmpty();
    }

    @Test
    void shardBuiltByTheReferenceEngineReproducesTheGroundTruth() throws IOException {
        Path dir = SharedDatasets.require("bigann10k");
        Dataset data = Dataset.load(dir);
        ReferenceEngine engine = ReferenceEngine.require();
        Path scenario = Path.of("target", "bigann10k-scenario.json").toAbsolutePath();
        Files.createDirectories(scenario.getParent());
        Files.writeString(scenario, "{\"seed\": 1, \"config\": {\"vectors\": {"
                + "\"f32\": {\"size\": 128, \"distance\": \"Euclid\"},"
                + "\"u8\": {\"size\": 128, \"distance\": \"Euclid\", \"datatype\": \"uint8\"}}},"
                + "\"operations\": [{\"op\": \"upsert_vecs\", \"file\": \""
                + dir.resolve("derived/bigann10k_base.bvecs").toString().replace("\\", "\\\\")
                + "\", \"vectors\": [\"f32\", \"u8\"], \"batch\": 1000}, {\"op\": \"flush\"}],"
                + "\"answers\": \"minimal\", \"finish\": \"close\"}");
        ReferenceShard shard = engine.buildFile(scenario, "bigann10k");
        try (EdgeShard edge = EdgeShard.load(shard.shardDir())) {
            assertThat(edge.count()).isEqualTo(data.base.length);
            for (String name : List.of("f32", "u8")) {
                List<String> failures = check(data, q -> edge.search(SearchRequest.of(name,
                        new DenseVector(data.queries[q]), K)));
                assertThat(failures).as(name).isEmpty();
            }
            assertThat(edge.config().orElseThrow().vectors().get("u8").datatype()).isEqualTo(VectorDatatype.UINT8);
        }
    }

    /** Problems found over all queries: a top 10 that is not the ground truth's, ties aside. */
    private static List<String> check(Dataset data, Function<Integer, List<ScoredPoint>> search) {
        List<String> failures = new ArrayList<>();
        for (int q = 0; q < data.queries.length; q++) {
            List<ScoredPoint> hits = search.apply(q);
            if (hits.size() != K) {
                failures.add("query " + q + ": " + hits.size() + " hits");
                continue;
            }
            Map<Long, Integer> distances = new HashMap<>(); // squared distance -> count, ground truth minus ours
            for (int j = 0; j < K; j++) {
                distances.merge(data.squaredDistance(q, data.truth[q][j]), 1, Integer::sum);
                int id = (int) ((PointId.Num) hits.get(j).id()).value();
                long d = data.squaredDistance(q, id);
                distances.merge(d, -1, Integer::sum);
                if (Math.abs(hits.get(j).score() - Math.sqrt(d)) > 1e-3) {
                    failures.add("query " + q + " rank " + j + ": score " + hits.get(j).score() + ", distance "
                            + Math.sqrt(d));
                }
                if (j > 0 && hits.get(j).score() < hits.get(j - 1).score()) {
                    failures.add("query " + q + ": scores not ascending at rank " + j);
                }
            }
            distances.values().removeIf(c -> c == 0);
            if (!distances.isEmpty()) {
                failures.add("query " + q + ": top " + K + " differs from the ground truth beyond ties: " + distances);
            }
        }
        return failures;
    }

    /** Base vectors, queries and ground truth, read from the texmex files in {@code derived/}. */
    private record Dataset(float[][] base, float[][] queries, int[][] truth) {

        static Dataset load(Path dir) throws IOException {
            return new Dataset(bvecs(dir.resolve("derived/bigann10k_base.bvecs")),
                    bvecs(dir.resolve("derived/bigann10k_query.bvecs")),
                    ivecs(dir.resolve("derived/bigann10k_groundtruth.ivecs")));
        }

        long squaredDistance(int query, int point) {
            long sum = 0;
            for (int i = 0; i < queries[query].length; i++) {
                long d = (long) queries[query][i] - (long) base[point][i];
                sum += d * d;
            }
            return sum;
        }

        private static float[][] bvecs(Path file) throws IOException {
            ByteBuffer in = ByteBuffer.wrap(Files.readAllBytes(file)).order(ByteOrder.LITTLE_ENDIAN);
            List<float[]> rows = new ArrayList<>();
            while (in.hasRemaining()) {
                float[] row = new float[in.getInt()];
                for (int i = 0; i < row.length; i++) {
                    row[i] = in.get() & 0xFF;
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
}
