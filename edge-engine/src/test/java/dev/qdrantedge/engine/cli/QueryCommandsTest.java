package dev.qdrantedge.engine.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.qdrantedge.engine.compat.ReferenceEngine;
import dev.qdrantedge.engine.compat.ReferenceShard;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.io.StringWriter;
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

/** The search, count, scroll and facet commands against shards and answers of the reference engine. */
class QueryCommandsTest {

    private static final JsonMapper JSON = JsonMapper.builder().build();

    @TempDir
    Path temp;

    private StringWriter out = new StringWriter();
    private ByteArrayOutputStream err = new ByteArrayOutputStream();

    @Test
    void searchPrintsTheReferenceEnginesHitsInQdrantsResponseShapes() throws IOException {
        ReferenceShard reference = ReferenceEngine.require().build("search-dense");
        JsonNode entry = reference.answers().search().get(0);
        List<String> expectedIds = ids(entry.get("hits"));

        ObjectNode query = JSON.createObjectNode();
        query.set("query", entry.get("vector"));
        query.put("using", entry.get("using").asString());
        query.put("limit", entry.get("limit").asInt());
        query.put("with_payload", true);
        JsonNode response = runJson(0, "search", reference.shardDir().toString(), file(query));
        assertThat(response.get("status").asString()).isEqualTo("ok");
        JsonNode points = response.get("result").get("points");
        assertThat(ids(points)).isEqualTo(expectedIds);
        assertThat(points.get(0).get("payload").isObject()).isTrue();
        assertThat(points.get(0).has("vector")).isFalse();
        assertThat(points.get(0).get("score").doubleValue()).isCloseTo(
                entry.get("hits").get(0).get("score").doubleValue(), org.assertj.core.data.Offset.offset(1e-5));

        ObjectNode search = JSON.createObjectNode();
        search.putObject("vector").put("name", entry.get("using").asString()).set("vector", entry.get("vector"));
        search.put("top", 4);
        search.put("with_vector", true);
        out = new StringWriter();
        JsonNode list = runJson(0, "search", reference.shardDir().toString(), file(search)).get("result");
        assertThat(ids(list)).isEqualTo(expectedIds.subList(0, 4));
        assertThat(list.get(0).has("payload")).isFalse();
        assertThat(list.get(0).get("vector").get(entry.get("using").asString()).size()).isEqualTo(8);
    }

    @Test
    void queryTakesTheFullQueryBodyWithPrefetchesAndFusion() throws IOException {
        ReferenceShard reference = ReferenceEngine.require().build("query-api");
        JsonNode entry = reference.answers().json("query.json").get(2);
        assertThat(entry.get("body").get("query").get("fusion").asString()).isEqualTo("dbsf");
        ObjectNode body = (ObjectNode) entry.get("body").deepCopy();
        body.set("with_payload", JSON.createArrayNode().add("n"));
        JsonNode points = runJson(0, "query", reference.shardDir().toString(), file(body)).get("result").get("points");
        assertThat(ids(points)).isEqualTo(ids(entry.get("hits")));
        for (int i = 0; i < points.size(); i++) {
            assertThat(points.get(i).get("score").doubleValue()).isCloseTo(
                    entry.get("hits").get(i).get("score").doubleValue(), org.assertj.core.data.Offset.offset(1e-4));
            assertThat(points.get(i).get("payload").propertyNames()).containsExactly("n");
        }

        out = new StringWriter();
        assertThat(run("query", reference.shardDir().toString(),
                file(JSON.readTree("{\"query\": {\"fusion\": \"rrf\"}}")))).isEqualTo(1);
        assertThat(stderr()).contains("error: Cannot apply Fusion without prefetches");
    }

    @Test
    void countAcceptsAFilterOrACountBody() throws IOException {
        ReferenceShard reference = ReferenceEngine.require().build("filter-rich");
        JsonNode filters = reference.answers().json("filters.json");
        for (int i : new int[] {0, 7, 14}) {
            JsonNode entry = filters.get(i);
            out = new StringWriter();
            JsonNode bare = runJson(0, "count", reference.shardDir().toString(), file(entry.get("filter")));
            assertThat(bare.get("result").get("count").asLong()).isEqualTo(entry.get("count").asLong());

            ObjectNode body = JSON.createObjectNode();
            body.set("filter", entry.get("filter"));
            body.put("exact", true);
            out = new StringWriter();
            JsonNode wrapped = runJson(0, "count", reference.shardDir().toString(), file(body));
            assertThat(wrapped.get("result").get("count").asLong()).isEqualTo(entry.get("count").asLong());
        }
    }

    @Test
    void scrollPagesThroughTheFilteredPoints() throws IOException {
        ReferenceShard reference = ReferenceEngine.require().build("filter-rich");
        JsonNode entry = reference.answers().json("filters.json").get(14);
        List<String> expected = ids(entry.get("ids"));
        assertThat(expected.size()).isGreaterThan(6);

        ObjectNode body = JSON.createObjectNode();
        body.set("filter", entry.get("filter"));
        body.put("limit", 5);
        body.put("with_payload", false);
        JsonNode first = runJson(0, "scroll", reference.shardDir().toString(), file(body)).get("result");
        assertThat(ids(first.get("points"))).isEqualTo(expected.subList(0, 5));
        assertThat(first.get("points").get(0).has("payload")).isFalse();
        assertThat(first.get("next_page_offset").toString()).isEqualTo(idJson(entry.get("ids").get(5)));

        body.set("offset", first.get("next_page_offset"));
        body.put("limit", 1000);
        out = new StringWriter();
        JsonNode rest = runJson(0, "scroll", reference.shardDir().toString(), file(body)).get("result");
        assertThat(ids(rest.get("points"))).isEqualTo(expected.subList(5, expected.size()));
        assertThat(rest.get("next_page_offset").isNull()).isTrue();
    }

    @Test
    void facetPrintsHitsAndRefusesUnindexedFields() throws IOException {
        ReferenceShard reference = ReferenceEngine.require().build("facet-indexed");
        JsonNode facets = reference.answers().json("facets.json");
        JsonNode entry = facets.get(1);
        ObjectNode body = JSON.createObjectNode().put("key", entry.get("key").asString())
                .put("limit", entry.get("limit").asInt());
        JsonNode response = runJson(0, "facet", reference.shardDir().toString(), file(body));
        assertThat(response.get("result").get("hits").toString()).isEqualTo(entry.get("hits").toString());

        out = new StringWriter();
        assertThat(run("facet", reference.shardDir().toString(), file(JSON.createObjectNode().put("key", "text"))))
                .isEqualTo(1);
        assertThat(stderr()).contains("No appropriate index for faceting: `text`");
        assertThat(out.toString()).isEmpty();
    }

    @Test
    void requestErrorsNameTheJsonPathAndExitWith1() throws IOException {
        ReferenceShard reference = ReferenceEngine.require().build("search-dense");
        String shard = reference.shardDir().toString();

        assertThat(run("search", shard, file(JSON.readTree("{\"vector\": [1, 2], \"limit\": \"ten\"}")))).isEqualTo(1);
        assertThat(stderr()).contains("error: limit: expected a non-negative integer, found a string");

        err.reset();
        assertThat(run("search", shard, file(JSON.readTree(
                "{\"query\": [1, 2], \"using\": \"cos32\", \"filter\": {\"must\": [{\"key\": \"n\", \"range\": "
                        + "{\"gt\": \"x\"}}]}}")))).isEqualTo(1);
        assertThat(stderr()).contains("error: filter.must[0].range.gt:");

        err.reset();
        assertThat(run("search", shard, file(JSON.readTree("{\"query\": [1, 2], \"using\": \"cos32\"}")))).isEqualTo(1);
        assertThat(stderr()).contains("Vector dimension error: expected dim: 8, got 2");

        err.reset();
        Path broken = temp.resolve("broken.json");
        Files.writeString(broken, "{\"query\": [1, 2");
        assertThat(run("search", shard, broken.toString())).isEqualTo(1);
        assertThat(stderr()).contains("broken.json: not valid JSON");

        err.reset();
        assertThat(run("count", shard, temp.resolve("missing.json").toString())).isEqualTo(1);
        assertThat(stderr()).contains("missing.json: no such file");
        assertThat(out.toString()).isEmpty();

        err.reset();
        assertThat(run("scroll", shard)).isEqualTo(2);
        assertThat(stderr()).contains("usage:");
    }

    @Test
    void aRequestCanComeFromStandardInput() {
        ReferenceShard reference = ReferenceEngine.require().build("filter-rich");
        JsonNode entry = reference.answers().json("filters.json").get(0);
        byte[] body = entry.get("filter").toString().getBytes(StandardCharsets.UTF_8);
        int code = QueryCommands.run(new String[] {"count", reference.shardDir().toString(), "-"}, out,
                new PrintStream(err, true, StandardCharsets.UTF_8), new ByteArrayInputStream(body));
        assertThat(code).isZero();
        assertThat(JSON.readTree(out.toString()).get("result").get("count").asLong())
                .isEqualTo(entry.get("count").asLong());
    }

    private JsonNode runJson(int expectedCode, String... args) {
        int code = run(args);
        assertThat(code).as(stderr()).isEqualTo(expectedCode);
        return JSON.readTree(out.toString());
    }

    private int run(String... args) {
        return EdgeCli.run(args, out, new PrintStream(err, true, StandardCharsets.UTF_8));
    }

    private String stderr() {
        return err.toString(StandardCharsets.UTF_8);
    }

    private String file(JsonNode body) throws IOException {
        Path file = Files.createTempFile(temp, "request", ".json");
        Files.writeString(file, body.toString());
        return file.toString();
    }

    private static List<String> ids(JsonNode points) {
        List<String> out = new ArrayList<>();
        for (JsonNode p : points) {
            out.add(idJson(p.has("id") ? p.get("id") : p));
        }
        return out;
    }

    private static String idJson(JsonNode id) {
        return id.toString();
    }
}
