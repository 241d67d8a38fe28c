package dev.qdrantedge.engine.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.qdrantedge.engine.compat.ReferenceEngine;
import dev.qdrantedge.engine.compat.ReferenceShard;
import dev.qdrantedge.engine.compat.SharedDatasets;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.io.StringWriter;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

/**
 * The {@code params} of {@code search} and {@code query} bodies reach the search: over a shard whose segment
 * has an HNSW graph (the reference engine optimized 10,000 SIFT vectors), {@code hnsw_ef: 1} answers from the
 * graph with the narrowest beam and differs from {@code exact: true} on some queries, the same way through
 * both body shapes.
 */
class SearchParamsCliTest {

    private static final JsonMapper JSON = JsonMapper.builder().build();

    @TempDir
    Path temp;

    @Test
    void hnswEfAndExactReachTheSearch() throws IOException {
        Path dataset = SharedDatasets.require("bigann10k");
        ReferenceEngine engine = ReferenceEngine.require();
        String base = dataset.resolve("derived/bigann10k_base.fvecs").toString().replace("\\", "\\\\");
        Path scenario = Path.of("target", "hnsw-cli-scenario.json").toAbsolutePath();
        Files.createDirectories(scenario.getParent());
        Files.writeString(scenario, "{\"seed\": 1, \"config\": {\"vectors\": {\"\": {\"size\": 128, \"distance\": "
                + "\"Euclid\"}}, \"optimizers\": {\"indexing_threshold\": 100}, \"hnsw\": {\"m\": 16, "
                + "\"ef_construct\": 100, \"full_scan_threshold\": 10}}, \"operations\": [{\"op\": \"upsert_vecs\", "
                + "\"file\": \"" + base + "\", \"vectors\": [\"\"], \"batch\": 1000}, {\"op\": \"optimize\"}, "
                + "{\"op\": \"flush\"}], \"answers\": \"minimal\", \"finish\": \"close\"}");
        ReferenceShard shard = engine.buildFile(scenario, "hnsw-cli");
        float[][] queries = fvecs(dataset.resolve("derived/bigann10k_query.fvecs"));

        int differing = 0;
        for (int q = 0; q < 40; q++) {
            JsonNode vector = JSON.valueToTree(queries[q]);
            List<String> exact = ids(search(shard, "vector", vector, "{\"exact\": true}"));
            List<String> narrow = ids(search(shard, "vector", vector, "{\"hnsw_ef\": 1}"));
            List<String> narrowQuery = ids(search(shard, "query", vector, "{\"hnsw_ef\": 1}"));
            List<String> exactQuery = ids(search(shard, "query", vector, "{\"exact\": true}"));
            assertThat(exact).hasSize(10);
            assertThat(narrow).hasSize(10);
            assertThat(narrowQuery).isEqualTo(narrow);
            assertThat(exactQuery).isEqualTo(exact);
            if (!narrow.equals(exact)) {
                differing++;
            }
        }
        assertThat(differing).as("queries where hnsw_ef 1 differs from exact").isPositive();
    }

    /** Runs a {@code search} command with a body holding the vector under {@code key} and the params. */
    private JsonNode search(ReferenceShard shard, String key, JsonNode vector, String params) throws IOException {
        ObjectNode body = JSON.createObjectNode();
        body.set(key, vector);
        body.put("limit", 10);
        body.set("params", JSON.readTree(params));
        Path file = Files.createTempFile(temp, "request", ".json");
        Files.writeString(file, body.toString());
        StringWriter out = new StringWriter();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int code = EdgeCli.run(new String[] {"search", shard.shardDir().toString(), file.toString()}, out,
                new PrintStream(err, true, StandardCharsets.UTF_8));
        assertThat(code).as(err.toString(StandardCharsets.UTF_8)).isZero();
        JsonNode result = JSON.readTree(out.toString()).get("result");
        return result.has("points") ? result.get("points") : result;
    }

    private static List<String> ids(JsonNode points) {
        List<String> out = new ArrayList<>();
        for (JsonNode p : points) {
            out.add(p.get("id").toString());
        }
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
}
