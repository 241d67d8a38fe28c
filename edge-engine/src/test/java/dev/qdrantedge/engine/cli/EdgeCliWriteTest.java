package dev.qdrantedge.engine.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.qdrantedge.engine.compat.ReferenceAnswers;
import dev.qdrantedge.engine.compat.ReferenceEngine;
import dev.qdrantedge.engine.idtracker.PointId;
import dev.qdrantedge.engine.payload.PayloadComparison;
import dev.qdrantedge.engine.shard.EdgeShard;
import dev.qdrantedge.engine.shard.Record;
import dev.qdrantedge.engine.vectors.DenseVector;
import dev.qdrantedge.engine.vectors.MultiDenseVector;
import dev.qdrantedge.engine.vectors.SparseVector;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/** The {@code create} and {@code upsert} commands. */
class EdgeCliWriteTest {

    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final String UUID_ID = "5c56c793-69f3-4fbf-87e6-c4bf54c28c26";

    @TempDir
    Path temp;

    private StringWriter out = new StringWriter();
    private ByteArrayOutputStream err = new ByteArrayOutputStream();

    @Test
    void createsAShardWithTheDefaultVectorAndUpsertsPointsLineByLine() throws IOException {
        Path dir = temp.resolve("shard");
        Path config = write("config.json", "{\"vectors\": {\"size\": 4, \"distance\": \"Dot\"}}");

        assertThat(run("create", dir.toString(), config.toString())).as(err()).isZero();
        JsonNode info = JSON.readTree(out.toString());
        assertThat(info.get("points_count").asLong()).isZero();
        assertThat(info.get("vectors").get("").get("size").asInt()).isEqualTo(4);
        assertThat(info.get("vectors").get("").get("distance").asString()).isEqualTo("Dot");

        Path points = write("points.jsonl", String.join("\n",
                "{\"id\": 1, \"vector\": [1, 2, 3, 4], \"payload\": {\"city\": \"Berlin\", \"n\": 1}}",
                "",
                "{\"id\": \"" + UUID_ID + "\", \"vector\": [0.5, 0.25, 0, -1]}",
                "{\"id\": 18446744073709551615, \"vector\": [1, 1, 1, 1], \"payload\": null}",
                "{\"id\": 1, \"vector\": [4, 3, 2, 1], \"payload\": {\"city\": \"Paris\"}}",
                "   "));
        reset();
        assertThat(run("upsert", dir.toString(), points.toString())).as(err()).isZero();
        JsonNode result = JSON.readTree(out.toString());
        assertThat(result.get("upserted").asLong()).isEqualTo(4);
        assertThat(result.get("operations").asLong()).as("a repeated id starts a new batch").isEqualTo(2);
        assertThat(result.get("points_count").asLong()).isEqualTo(3);

        try (EdgeShard shard = EdgeShard.openReadOnly(dir)) {
            List<Record> records = shard.retrieve(List.of(PointId.of(1), PointId.parse(UUID_ID),
                    PointId.of(-1L)), true, true);
            assertThat(records).hasSize(3);
            assertThat(((DenseVector) records.get(0).vectors().get("")).values()).containsExactly(4, 3, 2, 1);
            assertThat(records.get(0).payload()).isEqualTo(JSON.readTree("{\"city\":\"Paris\"}"));
            assertThat(((DenseVector) records.get(1).vectors().get("")).values()).containsExactly(0.5f, 0.25f, 0, -1);
            assertThat(records.get(1).payload()).isEmpty();
            assertThat(records.get(2).id()).isEqualTo(PointId.of(-1L));
        }
    }

    @Test
    void createsNamedDenseMultiAndSparseVectors() throws IOException {
        Path dir = temp.resolve("shard");
        Path config = write("config.json", "{\"vectors\": {"
                + "\"text\": {\"size\": 3, \"distance\": \"Cosine\", \"datatype\": \"float16\", \"on_disk\": true},"
                + "\"colbert\": {\"size\": 2, \"distance\": \"Dot\", \"multivector_config\": {\"comparator\": \"max_sim\"}}},"
                + "\"sparse_vectors\": {\"bm25\": {\"modifier\": \"idf\"}, \"plain\": {}}}");
        assertThat(run("create", dir.toString(), config.toString())).as(err()).isZero();
        JsonNode info = JSON.readTree(out.toString());
        assertThat(info.get("vectors").get("text").get("datatype").asString()).isEqualTo("float16");
        assertThat(info.get("vectors").get("text").get("on_disk").asBoolean()).isTrue();
        assertThat(info.get("vectors").get("colbert").get("multivector").asBoolean()).isTrue();
        assertThat(info.get("sparse_vectors").get("bm25").get("modifier").asString()).isEqualTo("idf");
        assertThat(info.get("sparse_vectors").get("plain").get("modifier").asString()).isEqualTo("none");

        Path points = write("points.jsonl", "{\"id\": 7, \"vector\": {\"colbert\": [[1, 2], [3, 4], [5, 6]],"
                + " \"bm25\": {\"indices\": [9, 2], \"values\": [0.5, 1.5]}}, \"payload\": {\"k\": [1, {\"a\": null}]}}\n"
                + "{\"id\": 8, \"vector\": {}}\n");
        reset();
        assertThat(run("upsert", dir.toString(), points.toString())).as(err()).isZero();
        try (EdgeShard shard = EdgeShard.openReadOnly(dir)) {
            Record seven = shard.retrieve(List.of(PointId.of(7)), true, true).get(0);
            assertThat(((MultiDenseVector) seven.vectors().get("colbert")).vectors()).hasNumberOfRows(3);
            SparseVector sparse = (SparseVector) seven.vectors().get("bm25");
            assertThat(sparse.indices()).containsExactly(2, 9);
            assertThat(sparse.values()).containsExactly(1.5f, 0.5f);
            assertThat(seven.vectors()).doesNotContainKeys("text", "plain");
            assertThat(seven.payload()).isEqualTo(JSON.readTree("{\"k\":[1,{\"a\":null}]}"));
            assertThat(shard.retrieve(List.of(PointId.of(8)), true, true).get(0).vectors()).isEmpty();
        }
    }

    @Test
    void largeFilesAreUpsertedInBatches() throws IOException {
        Path dir = temp.resolve("shard");
        assertThat(run("create", dir.toString(),
                write("config.json", "{\"vectors\": {\"size\": 2, \"distance\": \"Euclid\"}}").toString())).isZero();
        StringBuilder lines = new StringBuilder();
        for (int i = 0; i < 600; i++) {
            lines.append("{\"id\": ").append(i).append(", \"vector\": [").append(i).append(", 1]}\n");
        }
        reset();
        assertThat(run("upsert", dir.toString(), write("points.jsonl", lines.toString()).toString())).as(err()).isZero();
        JsonNode result = JSON.readTree(out.toString());
        assertThat(result.get("operations").asLong()).isEqualTo(3);
        assertThat(result.get("points_count").asLong()).isEqualTo(600);
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', quoteCharacter = '`', value = {
        "{\"id\": 3, \"vector\": [1, 2, 3]}|:3: point 3, vector '': expected dimension 4, got 3",
        "{\"id\": 3, \"vector\": [1, 2, 3, 4e39]}|:3: point 3, vector '': value at index 3 is Infinity",
        "{\"id\": 3, \"vector\": {\"other\": [1, 2, 3, 4]}}|:3: point 3, vector 'other': no vector named 'other'",
        "{\"id\": 3, \"vector\": [1, 2, 3, 4]|:3: not valid JSON",
        "[1, 2]|:3: expected a JSON object",
        "{\"id\": -3, \"vector\": [1, 2, 3, 4]}|:3: \"id\" -3 is not an unsigned 64-bit integer",
        "{\"id\": \"not-a-uuid\", \"vector\": [1, 2, 3, 4]}|:3: \"id\" must be an unsigned integer or a UUID string",
        "{\"vector\": [1, 2, 3, 4]}|:3: \"id\" is missing",
        "{\"id\": 3}|:3: point 3: \"vector\" is missing",
        "{\"id\": 3, \"vector\": [1, \"2\", 3, 4]}|:3: vector[1]: expected a number",
        "{\"id\": 3, \"vector\": [1, 2, 3, 4], \"payload\": [1]}|:3: point 3: \"payload\" must be an object",
        "{\"id\": 3, \"vector\": [1, 2, 3, 4], \"vectors\": {}}|:3: unknown field \"vectors\"",
        "{\"id\": 3, \"vector\": {\"\": {\"indices\": [1, 2], \"values\": [1]}}}|:3: vector.: 2 indices but 1 values"})
    void aBadLineIsAnErrorNamingItsLineAndNothingIsWritten(String badLine, String message) throws IOException {
        Path dir = temp.resolve("shard");
        assertThat(run("create", dir.toString(),
                write("config.json", "{\"vectors\": {\"size\": 4, \"distance\": \"Dot\"}}").toString())).isZero();
        Path points = write("points.jsonl", "{\"id\": 1, \"vector\": [1, 2, 3, 4]}\n"
                + "{\"id\": 2, \"vector\": [1, 2, 3, 4]}\n" + badLine + "\n{\"id\": 4, \"vector\": [1, 2, 3, 4]}\n");
        reset();

        assertThat(run("upsert", dir.toString(), points.toString())).isEqualTo(1);
        assertThat(err()).startsWith("error: " + points).contains(message);
        assertThat(out.toString()).isEmpty();
        try (EdgeShard shard = EdgeShard.openReadOnly(dir)) {
            assertThat(shard.count()).as("the good lines before were not written either").isZero();
        }
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', quoteCharacter = '`', value = {
        "{\"vectors\": {\"size\": 4, \"distance\": \"Dot\", \"hnsw_config\": {}}}|vectors.hnsw_config: unknown or unsupported field",
        "{\"vectors\": {\"size\": 0, \"distance\": \"Dot\"}}|vectors.size: expected a positive integer, got 0",
        "{\"vectors\": {\"a\": {\"size\": 4, \"distance\": \"Hamming\"}}}|vectors.a.distance: expected Cosine, Euclid, Dot or Manhattan",
        "{\"vectors\": {\"a\": {\"distance\": \"Dot\"}}}|vectors.a.size: expected a positive integer",
        "{\"vectors\": {\"a\": {\"size\": 4, \"distance\": \"Dot\", \"datatype\": \"int8\"}}}|vectors.a.datatype: expected float32, float16 or uint8",
        "{\"vectors\": {\"a\": {\"size\": 4, \"distance\": \"Dot\", \"multivector_config\": {\"comparator\": \"sum\"}}}}|vectors.a.multivector_config",
        "{\"sparse_vectors\": {\"s\": {\"modifier\": \"bm25\"}}}|sparse_vectors.s.modifier: expected \"idf\" or \"none\"",
        "{\"shard_number\": 1, \"vectors\": {\"size\": 4, \"distance\": \"Dot\"}}|shard_number: unknown or unsupported field",
        "{}|a shard needs at least one dense or sparse vector",
        "{\"vectors\": |not valid JSON"})
    void aBadConfigurationIsAnErrorNamingTheFieldAndCreatesNothing(String config, String message) throws IOException {
        Path dir = temp.resolve("shard");
        Path file = write("config.json", config);

        assertThat(run("create", dir.toString(), file.toString())).isEqualTo(1);
        assertThat(err()).startsWith("error: " + file + ": ").contains(message);
        assertThat(dir).doesNotExist();
    }

    @Test
    void createRefusesAnExistingShardAndUpsertAMissingOne() throws IOException {
        Path dir = temp.resolve("shard");
        Path config = write("config.json", "{\"vectors\": {\"size\": 2, \"distance\": \"Dot\"}}");
        assertThat(run("create", dir.toString(), config.toString())).isZero();
        reset();
        assertThat(run("create", dir.toString(), config.toString())).isEqualTo(1);
        assertThat(err()).contains("already holds segments");
        reset();
        assertThat(run("upsert", temp.resolve("nowhere").toString(),
                write("points.jsonl", "{\"id\": 1, \"vector\": [1, 2]}").toString())).isEqualTo(1);
        assertThat(err()).contains("nowhere").contains("not a directory");
        reset();
        assertThat(run("upsert", dir.toString(), temp.resolve("missing.jsonl").toString())).isEqualTo(1);
        assertThat(err()).contains("missing.jsonl: file not found");
        reset();
        assertThat(run("create", dir.toString())).isEqualTo(2);
        assertThat(err()).contains("create takes two arguments").contains("usage:");
    }

    /** A shard the command line created and filled loads in the reference engine with every point as given. */
    @Test
    void theReferenceEngineLoadsAShardTheCommandLineWrote() throws IOException {
        ReferenceEngine engine = ReferenceEngine.require();
        Path dir = temp.resolve("shard");
        Path config = write("config.json", "{\"vectors\": {\"dense\": {\"size\": 3, \"distance\": \"Euclid\"},"
                + " \"multi\": {\"size\": 2, \"distance\": \"Dot\", \"multivector_config\": {\"comparator\": \"max_sim\"}}},"
                + " \"sparse_vectors\": {\"words\": {\"modifier\": \"idf\"}}}");
        assertThat(run("create", dir.toString(), config.toString())).as(err()).isZero();
        Random random = new Random(11);
        List<ObjectNode> expected = new ArrayList<>();
        StringBuilder lines = new StringBuilder();
        for (int i = 0; i < 300; i++) {
            ObjectNode point = JSON.createObjectNode();
            if (i % 5 == 4) {
                point.put("id", new UUID(0xC11L, i).toString());
            } else {
                point.put("id", i);
            }
            ObjectNode vector = point.putObject("vector");
            vector.set("dense", floats(random, 3));
            if (i % 3 != 0) {
                ArrayNode rows = vector.putArray("multi");
                for (int r = 0; r <= i % 4; r++) {
                    rows.add(floats(random, 2));
                }
            }
            if (i % 2 == 0) {
                ObjectNode sparse = vector.putObject("words");
                sparse.putArray("indices").add(i % 7).add(100 + i);
                sparse.set("values", floats(random, 2));
            }
            if (i % 4 != 1) {
                point.putObject("payload").put("i", i).put("name", "point " + i).putArray("tags").add("x").add(i % 3);
            }
            expected.add(point);
            lines.append(point).append('\n');
        }
        reset();
        assertThat(run("upsert", dir.toString(), write("points.jsonl", lines.toString()).toString())).as(err())
                .isZero();

        ReferenceAnswers answers = engine.inspect(dir, temp.resolve("answers"));
        assertThat(answers.count()).isEqualTo(expected.size());
        Map<String, JsonNode> byId = new java.util.HashMap<>();
        answers.points().forEach(p -> byId.put(p.get("id").asString(), p));
        PayloadComparison payloads = new PayloadComparison();
        for (ObjectNode point : expected) {
            JsonNode actual = byId.get(point.get("id").asString());
            String at = "point " + point.get("id");
            assertThat(actual).as(at).isNotNull();
            assertThat(actual.get("vector")).as(at + " vectors").isEqualTo(asFloats(point.get("vector")));
            JsonNode payload = point.has("payload") ? point.get("payload") : JSON.createObjectNode();
            payloads.assertSame(actual.get("payload"), payload, at + " payload");
        }
    }

    // ---------------------------------------------------------------------------------------------

    /** Values exactly representable as floats, so the stored bits are the written ones. */
    private static ArrayNode floats(Random random, int n) {
        ArrayNode values = JSON.createArrayNode();
        for (int i = 0; i < n; i++) {
            values.add((double) (float) (0.1 + random.nextDouble()));
        }
        return values;
    }

    /** The vectors as the reference engine writes them: every number a double. */
    private static JsonNode asFloats(JsonNode node) {
        if (node.isNumber()) {
            return JSON.getNodeFactory().numberNode(node.doubleValue());
        }
        if (node.isArray()) {
            ArrayNode out = JSON.createArrayNode();
            node.forEach(n -> out.add(asFloats(n)));
            return out;
        }
        ObjectNode out = JSON.createObjectNode();
        node.properties().forEach(e -> out.set(e.getKey(), e.getKey().equals("indices") ? e.getValue()
                : asFloats(e.getValue())));
        return out;
    }

    private Path write(String name, String content) throws IOException {
        return Files.writeString(temp.resolve(name), content);
    }

    private int run(String... args) {
        return EdgeCli.run(args, out, new PrintStream(err, true, StandardCharsets.UTF_8));
    }

    private String err() {
        return err.toString(StandardCharsets.UTF_8);
    }

    private void reset() {
        out = new StringWriter();
        err = new ByteArrayOutputStream();
    }
}
