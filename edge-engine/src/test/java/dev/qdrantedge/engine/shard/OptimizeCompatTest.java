package dev.qdrantedge.engine.shard;

import static dev.qdrantedge.engine.shard.ShardWriteCompatTest.assertSamePoints;
import static org.assertj.core.api.Assertions.assertThat;

import dev.qdrantedge.engine.compat.ReferenceAnswers;
import dev.qdrantedge.engine.compat.ReferenceEngine;
import dev.qdrantedge.engine.compat.SharedDatasets;
import dev.qdrantedge.engine.config.EdgeConfig;
import dev.qdrantedge.engine.config.HnswConfig;
import dev.qdrantedge.engine.config.OptimizersConfig;
import dev.qdrantedge.engine.config.VectorParams;
import dev.qdrantedge.engine.idtracker.PointId;
import dev.qdrantedge.engine.index.hnsw.build.BuildVectors;
import dev.qdrantedge.engine.index.hnsw.build.HnswBuildParams;
import dev.qdrantedge.engine.index.hnsw.build.HnswGraph;
import dev.qdrantedge.engine.index.hnsw.build.HnswGraphBuilder;
import dev.qdrantedge.engine.index.hnsw.build.HnswIndexFiles;
import dev.qdrantedge.engine.operation.DeletePoints;
import dev.qdrantedge.engine.operation.PointStruct;
import dev.qdrantedge.engine.operation.UpsertPoints;
import dev.qdrantedge.engine.optimize.OptimizeReport;
import dev.qdrantedge.engine.optimize.OptimizedSegment;
import dev.qdrantedge.engine.search.ScoredPoint;
import dev.qdrantedge.engine.search.SearchRequest;
import dev.qdrantedge.engine.segment.SegmentState;
import dev.qdrantedge.engine.vectors.DenseVector;
import dev.qdrantedge.engine.vectors.Distance;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * A shard Java wrote with the 10,000 {@code bigann10k} vectors (Euclid, 128 dimensions) is optimized by Java,
 * which builds one segment with an HNSW graph (m 16, ef_construct 100); the reference engine then loads it:
 * <ul>
 *   <li>every point equal;</li>
 *   <li>its graph search (hnsw_ef 512) over the dataset's 100 queries returns the ids of Java's exact search;</li>
 *   <li>the index files are unchanged by its load (nothing was rebuilt or converted);</li>
 *   <li>and with the links file replaced by a graph without links, the same searches return only the entry point:
 *       the reference engine searches the graph Java wrote.</li>
 * </ul>
 */
class OptimizeCompatTest {

    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final int K = 10;

    @TempDir
    Path temp;

    @Test
    void theReferenceEngineLoadsAndSearchesTheGraphJavaBuilt() throws IOException {
        ReferenceEngine engine = ReferenceEngine.require();
        Path data = SharedDatasets.require("bigann10k");
        float[][] base = fvecs(data.resolve("derived/bigann10k_base.fvecs"));
        float[][] queries = fvecs(data.resolve("derived/bigann10k_query.fvecs"));
        Path dir = temp.resolve("shard");

        List<List<PointId>> exact = new ArrayList<>();
        OptimizeReport report;
        try (EdgeShard shard = EdgeShard.create(dir, config())) {
            for (int start = 0; start < base.length; start += 1000) {
                List<PointStruct> batch = new ArrayList<>();
                for (int i = start; i < Math.min(base.length, start + 1000); i++) {
                    ObjectNode payload = JSON.createObjectNode().put("n", i).put("parity", i % 2 == 0 ? "even" : "odd");
                    batch.add(new PointStruct(PointId.of(i), Map.of("", new DenseVector(base[i])),
                            Optional.of(payload)));
                }
                shard.update(new UpsertPoints(batch));
            }
            // Every load replays the last acknowledged WAL entry, as Qdrant does; an upsert replayed there moves its
            // points out of a non-appendable segment (copy-on-write). A last operation that touches no point keeps
            // the whole data set in the optimized segment when the reference engine loads it.
            shard.update(new DeletePoints(List.of(PointId.of(1_000_000))));
            report = shard.optimize();
            for (float[] q : queries) {
                exact.add(shard.search(SearchRequest.of("", new DenseVector(q), K)).stream()
                        .map(ScoredPoint::id).toList());
            }
        }
        assertThat(report.segments()).hasSize(1);
        OptimizedSegment built = report.segments().get(0);
        assertThat(built.points()).isEqualTo(base.length);
        assertThat(built.indexedVectors()).containsExactly("");
        Path segment = dir.resolve("segments").resolve(built.segmentId());
        assertThat(SegmentState.read(segment).vectorData().get("").indexType()).isEqualTo("hnsw");
        Path index = segment.resolve("vector_index");
        Map<String, String> before = digests(index);

        Path queriesFile = temp.resolve("queries.json");
        Files.write(queriesFile, JSON.writeValueAsBytes(queries(queries)));
        ReferenceAnswers answers = engine.inspect(dir, temp.resolve("reference"), queriesFile);
        try (EdgeShard shard = EdgeShard.openReadOnly(dir)) {
            assertSamePoints(shard, answers, "the reference engine loads the optimized shard");
        }
        int agreeing = 0;
        int hits = 0;
        JsonNode searches = answers.search();
        for (int q = 0; q < queries.length; q++) {
            JsonNode found = searches.get(q).get("hits");
            assertThat(found).as("query %d", q).hasSize(K);
            for (int j = 0; j < K; j++) {
                hits++;
                if (ReferenceAnswers.toPointId(found.get(j).get("id")).equals(exact.get(q).get(j))) {
                    agreeing++;
                }
            }
        }
        double agreement = agreeing / (double) hits;
        System.out.println("[optimize-compat] reference graph search (hnsw_ef 512) equals Java's exact top 10 at "
                + agreeing + " of " + hits + " ranks (" + agreement + ")");
        assertThat(agreement).isGreaterThanOrEqualTo(0.99);
        assertThat(digests(index)).as("index files after the reference engine's load").isEqualTo(before);

        // A graph without links: the reference engine's search can only return its entry point.
        BuildVectors vectors = new BuildVectors(flatten(base), 128, Distance.EUCLID);
        HnswGraph empty = HnswGraphBuilder.build(vectors, new HnswBuildParams(1, 1, 4, 1, 2, 1L));
        for (int p = 0; p < empty.pointCount(); p++) {
            for (int l = 0; l <= empty.level(p); l++) {
                empty.setLinks(p, l, new int[0]);
            }
        }
        long fullScan = JSON.readTree(index.resolve(HnswIndexFiles.CONFIG_FILE).toFile())
                .get("full_scan_threshold").asLong();
        HnswIndexFiles.write(index, empty, fullScan, 0);
        ReferenceAnswers degraded = engine.inspect(dir, temp.resolve("degraded"), queriesFile);
        for (int q = 0; q < queries.length; q++) {
            assertThat(degraded.search().get(q).get("hits").size()).as("query %d on the graph without links", q)
                    .isLessThanOrEqualTo(1);
        }
    }

    private static EdgeConfig config() {
        Map<String, VectorParams> vectors = new LinkedHashMap<>();
        vectors.put("", new VectorParams(128, Distance.EUCLID));
        // full_scan_threshold 10 KB = 20 vectors of 512 bytes: searches use the graph
        HnswConfig hnsw = new HnswConfig(16, 100, 10, 0, null, null, null);
        OptimizersConfig optimizers = new OptimizersConfig(null, null, null, null, 100, null);
        return new EdgeConfig(vectors, Map.of(), null, hnsw, optimizers, null);
    }

    private static ObjectNode queries(float[][] queries) {
        ObjectNode root = JSON.createObjectNode();
        ArrayNode search = root.putArray("search");
        for (float[] q : queries) {
            ObjectNode s = search.addObject().put("using", "").put("limit", K).put("hnsw_ef", 512)
                    .put("with_payload", false);
            ArrayNode vector = s.putArray("vector");
            for (float v : q) {
                vector.add(v);
            }
        }
        return root;
    }

    static Map<String, String> digests(Path dir) throws IOException {
        Map<String, String> out = new LinkedHashMap<>();
        try (var files = Files.list(dir)) {
            for (Path f : files.sorted().toList()) {
                try {
                    out.put(f.getFileName().toString(), HexFormat.of().formatHex(
                            MessageDigest.getInstance("SHA-256").digest(Files.readAllBytes(f))));
                } catch (NoSuchAlgorithmException e) {
                    throw new IllegalStateException(e);
                }
            }
        }
        return out;
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
