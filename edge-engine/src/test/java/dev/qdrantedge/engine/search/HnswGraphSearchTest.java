package dev.qdrantedge.engine.search;

import static org.assertj.core.api.Assertions.assertThat;

import dev.qdrantedge.engine.compat.ReferenceEngine;
import dev.qdrantedge.engine.compat.ReferenceShard;
import dev.qdrantedge.engine.compat.SharedDatasets;
import dev.qdrantedge.engine.filter.Filter;
import dev.qdrantedge.engine.filter.FilterParser;
import dev.qdrantedge.engine.idtracker.PointId;
import dev.qdrantedge.engine.index.hnsw.GraphSearch;
import dev.qdrantedge.engine.index.hnsw.HnswGraph;
import dev.qdrantedge.engine.index.hnsw.LinksFormat;
import dev.qdrantedge.engine.index.hnsw.NodeScorer;
import dev.qdrantedge.engine.segment.Segment;
import dev.qdrantedge.engine.vectors.DenseVectorBlocks;
import dev.qdrantedge.engine.shard.EdgeShard;
import dev.qdrantedge.engine.vectors.DenseVector;
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
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Search through the HNSW graphs the reference engine built ({@code optimize}) over the 10,000 SIFT vectors of
 * {@code bigann10k}, with an integer index on {@code row} and {@code payload_m} (extra sub-graph links), then
 * points deleted and moved (copy-on-write) after the graph was built. Checked against exact search on the same
 * shard and against the reference engine's own answers at the same {@code hnsw_ef}, in the compressed links
 * form (Qdrant's default). The other forms are covered by {@code GraphFilesTest} and {@code InlineGraphTest}.
 */
class HnswGraphSearchTest {

    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final int K = 10;
    private static final List<Long> DELETED_AFTER = List.of(3L, 77L, 1234L, 5000L, 9999L);
    private static final List<Long> MOVED_AFTER = List.of(10L, 11L, 12L, 4321L);

    @Test
    void compressedLinks() throws IOException {
        check("hnsw-compressed", LinksFormat.COMPRESSED);
    }

    private void check(String name, LinksFormat form) throws IOException {
        Path dataset = SharedDatasets.require("bigann10k");
        float[][] queries = fvecs(dataset.resolve("derived/bigann10k_query.fvecs"));
        ReferenceEngine engine = ReferenceEngine.require();
        ReferenceShard shard = engine.buildFile(scenario(name, dataset, queries), name);
        assertThat(linkFiles(shard.shardDir(), form)).as("HNSW segments in " + form + " form").isNotEmpty();

        checkGraphCost(shard.shardDir(), form, queries);

        try (EdgeShard edge = EdgeShard.load(shard.shardDir())) {
            assertThat(edge.count()).isEqualTo(10_000 - 4 - DELETED_AFTER.size());
            Set<Long> gone = new HashSet<>(List.of(5L, 17L, 999L, 4242L));
            gone.addAll(DELETED_AFTER);

            // unfiltered: recall at ef 128, and evidence that the graph (not a scan) answered
            double recall = 0;
            int differsAtMinimalEf = 0;
            List<List<Long>> ours128 = new ArrayList<>();
            for (float[] q : queries) {
                List<Long> exact = ids(edge.search(request(q, null, new SearchParams(true, null))));
                List<Long> graph = ids(edge.search(request(q, null, new SearchParams(false, 128))));
                List<Long> narrow = ids(edge.search(request(q, null, new SearchParams(false, 1))));
                assertThat(exact).hasSize(K);
                assertThat(graph).hasSize(K).doesNotHaveDuplicates().doesNotContainAnyElementsOf(gone);
                assertThat(narrow).hasSize(K).doesNotHaveDuplicates().doesNotContainAnyElementsOf(gone);
                recall += overlap(exact, graph) / (double) K;
                if (!narrow.equals(exact)) {
                    differsAtMinimalEf++;
                }
                ours128.add(graph);
            }
            recall /= queries.length;
            System.out.printf("[hnsw] %s: recall@10 at ef 128 = %.4f; ef=limit differs from exact on %d of %d%n",
                    name, recall, differsAtMinimalEf, queries.length);
            assertThat(recall).isGreaterThanOrEqualTo(0.99);
            assertThat(differsAtMinimalEf).as("searches at ef = limit that differ from exact").isPositive();

            // moved points are found (in their new segment), once
            for (long id : MOVED_AFTER) {
                float[] own = vectorOf(edge, id);
                List<Long> hits = ids(edge.search(request(own, null, new SearchParams(false, 64))));
                assertThat(hits.get(0)).as("nearest to point " + id + "'s own vector").isEqualTo(id);
            }

            // filters: a selective one and a broad one through the graph, a tiny one below the threshold scanned
            checkFilter(edge, queries, "{\"must\": [{\"key\": \"row\", \"range\": {\"lt\": 1000}}]}", 0, 999, 0.95,
                    true);
            checkFilter(edge, queries, "{\"must\": [{\"key\": \"row\", \"range\": {\"gte\": 2000}}]}", 2000, 9999,
                    0.95, true);
            checkFilter(edge, queries, "{\"must\": [{\"key\": \"row\", \"range\": {\"lt\": 15}}]}", 0, 14, 1.0,
                    false);

            JsonNode reference = shard.answers().search();
            int same = 0;
            int overlapSum = 0;
            for (int i = 0; i < queries.length; i++) {
                JsonNode entry = reference.get(i);
                assertThat(entry.path("hnsw_ef").asInt()).isEqualTo(128);
                List<Long> theirs = new ArrayList<>();
                for (JsonNode hit : entry.get("hits")) {
                    theirs.add(hit.get("id").asLong());
                }
                if (theirs.equals(ours128.get(i))) {
                    same++;
                }
                overlapSum += overlap(theirs, ours128.get(i));
            }
            System.out.printf("[hnsw] %s: same top 10 as qdrant-edge-py at ef 128 on %d of %d queries; "
                    + "%d of %d ids shared%n", name, same, queries.length, overlapSum, queries.length * K);
            assertThat(overlapSum).isGreaterThanOrEqualTo((int) (0.99 * queries.length * K));
        }
    }

    /**
     * The graph search scores a small part of the segment: it reads the graph, it does not build or scan.
     * Its best hit at ef 128 is the exact nearest live point of the segment.
     */
    private static void checkGraphCost(Path shardDir, LinksFormat form, float[][] queries) throws IOException {
        for (Path links : linkFiles(shardDir, form)) {
            Path segmentDir = links.getParent().getParent();
            try (Segment segment = Segment.open(segmentDir)) {
                HnswGraph graph = segment.hnswGraph("");
                assertThat(graph).isNotNull();
                assertThat(graph.links().format()).isEqualTo(form);
                DenseVectorBlocks blocks = (DenseVectorBlocks) segment.vectorStorage("");
                int points = graph.links().pointCount();
                long scoredTotal = 0;
                float[] v = new float[128];
                for (float[] q : queries) {
                    NodeScorer scorer = p -> {
                        blocks.readBlock(p, 1, v, 0);
                        float sum = 0;
                        for (int i = 0; i < v.length; i++) {
                            float d = q[i] - v[i];
                            sum += d * d;
                        }
                        return -sum;
                    };
                    GraphSearch.Result result = GraphSearch.search(graph, scorer,
                            p -> segment.idTracker().isLive(p) && blocks.hasVector(p), K, 128);
                    assertThat(result.points()).hasSize(K);
                    scoredTotal += result.scored();
                    float best = Float.NEGATIVE_INFINITY;
                    for (int p = 0; p < points; p++) {
                        if (segment.idTracker().isLive(p) && blocks.hasVector(p)) {
                            best = Math.max(best, scorer.score(p));
                        }
                    }
                    assertThat(result.scores()[0]).isEqualTo(best);
                }
                double perQuery = scoredTotal / (double) queries.length;
                System.out.printf("[hnsw] %s: a graph search at ef 128 scores %.0f of %d vectors on average%n",
                        form, perQuery, points);
                assertThat(perQuery).isLessThan(points / 4.0);
            }
        }
    }

    /** Filtered search returns only matching points, with the recall asked for against exact search. */
    private static void checkFilter(EdgeShard edge, float[][] queries, String json, int fromRow, int toRow,
            double minRecall, boolean graphExpected) {
        Filter filter = FilterParser.parse(JSON.readTree(json));
        double recall = 0;
        int differsAtMinimalEf = 0;
        for (float[] q : queries) {
            List<Long> exact = ids(edge.search(request(q, filter, new SearchParams(true, null))));
            List<Long> graph = ids(edge.search(request(q, filter, new SearchParams(false, 128))));
            List<Long> narrow = ids(edge.search(request(q, filter, new SearchParams(false, 1))));
            for (long id : graph) {
                assertThat(id).as("hit of " + json).isBetween((long) fromRow, (long) toRow);
            }
            for (long id : narrow) {
                assertThat(id).as("hit of " + json).isBetween((long) fromRow, (long) toRow);
            }
            assertThat(graph).hasSameSizeAs(exact).doesNotHaveDuplicates();
            recall += overlap(exact, graph) / (double) exact.size();
            if (!narrow.equals(exact)) {
                differsAtMinimalEf++;
            }
        }
        recall /= queries.length;
        System.out.printf("[hnsw] filter %s: recall@10 at ef 128 = %.4f; ef=limit differs from exact on %d%n", json,
                recall, differsAtMinimalEf);
        assertThat(recall).as(json).isGreaterThanOrEqualTo(minRecall);
        if (graphExpected) {
            assertThat(differsAtMinimalEf).as("graph searches at ef = limit differing from exact, " + json)
                    .isPositive();
        } else {
            assertThat(differsAtMinimalEf).as("a filter matching fewer points than full_scan_threshold scans")
                    .isZero();
        }
    }

    private static SearchRequest request(float[] q, Filter filter, SearchParams params) {
        return new SearchRequest("", new DenseVector(q), filter, K, 0, null, WithPayload.NONE, WithVector.NONE,
                params);
    }

    private static float[] vectorOf(EdgeShard edge, long id) {
        var records = edge.retrieve(List.of(new PointId.Num(id)), false, true);
        return ((DenseVector) records.get(0).vectors().get("")).values();
    }

    private static List<Long> ids(List<ScoredPoint> hits) {
        List<Long> out = new ArrayList<>();
        for (ScoredPoint hit : hits) {
            out.add(((PointId.Num) hit.id()).value());
        }
        return out;
    }

    private static int overlap(List<Long> a, List<Long> b) {
        Set<Long> set = new HashSet<>(a);
        int n = 0;
        for (Long id : b) {
            if (set.contains(id)) {
                n++;
            }
        }
        return n;
    }

    private static List<Path> linkFiles(Path shardDir, LinksFormat form) throws IOException {
        try (Stream<Path> files = Files.walk(shardDir)) {
            return files.filter(p -> p.getFileName().toString().equals(form.fileName())).toList();
        }
    }

    /**
     * Upserts the base vectors (payload {@code row}), indexes {@code row}, deletes four points, optimizes
     * (HNSW with payload_m), then deletes and moves a few points; the reference searches every query at
     * {@code hnsw_ef} 128.
     */
    private static Path scenario(String name, Path dataset, float[][] queries) throws IOException {
        StringBuilder searches = new StringBuilder();
        for (float[] q : queries) {
            if (searches.length() > 0) {
                searches.append(',');
            }
            searches.append("{\"limit\": ").append(K).append(", \"hnsw_ef\": 128, \"with_payload\": false, "
                    + "\"vector\": ").append(JSON.writeValueAsString(q)).append('}');
        }
        String base = dataset.resolve("derived/bigann10k_base.fvecs").toString().replace("\\", "\\\\");
        String json = "{\"seed\": 1, \"config\": {\"vectors\": {\"\": {\"size\": 128, \"distance\": \"Euclid\"}},"
                + " \"optimizers\": {\"indexing_threshold\": 100},"
                + " \"hnsw\": {\"m\": 16, \"ef_construct\": 100, \"full_scan_threshold\": 10, \"payload_m\": 16"
                + "}},"
                + " \"operations\": [{\"op\": \"create_field_index\", \"field\": \"row\", \"schema\": \"integer\"},"
                + " {\"op\": \"upsert_vecs\", \"file\": \"" + base + "\", \"vectors\": [\"\"], \"batch\": 1000},"
                + " {\"op\": \"delete\", \"ids\": [5, 17, 999, 4242]}, {\"op\": \"optimize\"},"
                + " {\"op\": \"delete\", \"ids\": " + DELETED_AFTER + "},"
                + " {\"op\": \"set_payload\", \"ids\": " + MOVED_AFTER + ", \"payload\": {\"moved\": true}, \"key\": null},"
                + " {\"op\": \"flush\"}],"
                + " \"queries\": {\"search\": [" + searches + "]},"
                + " \"answers\": \"minimal\", \"finish\": \"close\"}";
        Path file = Path.of("target", name + "-scenario.json").toAbsolutePath();
        Files.createDirectories(file.getParent());
        Files.writeString(file, json);
        return file;
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
}
