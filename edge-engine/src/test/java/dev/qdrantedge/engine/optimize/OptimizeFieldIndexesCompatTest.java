package dev.qdrantedge.engine.optimize;

import static org.assertj.core.api.Assertions.assertThat;

import dev.qdrantedge.engine.compat.ReferenceAnswers;
import dev.qdrantedge.engine.compat.ReferenceEngine;
import dev.qdrantedge.engine.compat.ReferenceShard;
import dev.qdrantedge.engine.facet.FacetRequest;
import dev.qdrantedge.engine.filter.Filter;
import dev.qdrantedge.engine.filter.FilterParser;
import dev.qdrantedge.engine.idtracker.PointId;
import dev.qdrantedge.engine.io.JsonFiles;
import dev.qdrantedge.engine.payload.PayloadIndexConfig;
import dev.qdrantedge.engine.query.RestRequests;
import dev.qdrantedge.engine.query.RestResponses;
import dev.qdrantedge.engine.query.ScrollRequest;
import dev.qdrantedge.engine.search.WithPayload;
import dev.qdrantedge.engine.search.WithVector;
import dev.qdrantedge.engine.shard.EdgeShard;
import dev.qdrantedge.engine.shard.Record;
import dev.qdrantedge.engine.shard.ScrollPage;
import dev.qdrantedge.engine.segment.SegmentState;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * A shard the reference engine wrote with payload indexes of every type (the {@code filter-indexed} scenario:
 * keyword, integer with and without range, float, bool, geo, datetime, uuid, full text) is optimized by Java into
 * one segment with an HNSW graph. The optimized segment lists the same indexed fields; the 378 filters of the
 * scenario (many of which the indexes answer differently from the payload) select the same points before and
 * after, in Java and in the reference engine loading the optimized shard; facets on indexed fields give the
 * reference's answers. With the index configuration stripped from the optimized shard both engines answer some
 * filters differently, so the indexes are what is in effect.
 */
class OptimizeFieldIndexesCompatTest {

    private static final JsonMapper JSON = JsonMapper.builder().build();

    /** Geo filters the reference answers from its geohash cover (see {@code FilteredReadsCompatTest}). */
    private static final Set<Integer> GEOHASH_COVER_CASES = Set.of(21, 189);

    @TempDir
    Path temp;

    @Test
    void optimizeKeepsTheSourceSegmentsFieldIndexes() throws IOException {
        ReferenceEngine engine = ReferenceEngine.require();
        ObjectNode scenario = (ObjectNode) JsonFiles.readTree(engine.scenarioFile("filter-indexed"));
        ((ObjectNode) scenario.get("config")).putObject("optimizers").put("indexing_threshold", 1)
                .put("default_segment_number", 1);
        ArrayNode facets = ((ObjectNode) scenario.get("queries")).putArray("facets");
        facets.addObject().put("key", "s");
        facets.addObject().put("key", "tags").put("limit", 20);
        facets.addObject().put("key", "items[].name").put("limit", 5);
        facets.addObject().put("key", "i").put("limit", 7);
        facets.addObject().put("key", "u").put("limit", 5);
        Path scenarioFile = temp.resolve("scenario.json");
        Files.write(scenarioFile, JSON.writeValueAsBytes(scenario));
        ReferenceShard reference = engine.buildFile(scenarioFile, "optimize-field-indexes");
        JsonNode expected = reference.answers().json("filters.json");
        JsonNode expectedFacets = reference.answers().json("facets.json");
        assertThat(expected.size()).isGreaterThan(300);

        Path dir = reference.copyTo(temp.resolve("shard"));
        JsonNode sourceFields = indexedFields(dir);
        assertThat(sourceFields.size()).as("indexed fields of the reference shard").isGreaterThanOrEqualTo(10);

        OptimizeReport report;
        List<List<PointId>> before;
        List<List<PointId>> after;
        try (EdgeShard shard = EdgeShard.load(dir)) {
            before = answers(shard, expected);
            assertThat(mismatches(before, expected, GEOHASH_COVER_CASES)).as("Java before optimize").isEmpty();
            report = shard.optimize();
            after = answers(shard, expected);
            assertFacets(shard, expectedFacets, "Java after optimize");
        }
        assertThat(report.segments()).isNotEmpty();
        OptimizedSegment built = report.segments().get(report.segments().size() - 1);
        Path segment = dir.resolve("segments").resolve(built.segmentId());
        assertThat(SegmentState.read(segment).vectorData().get("").indexType()).isEqualTo("hnsw");
        assertThat(JsonFiles.readTree(segment.resolve(PayloadIndexConfig.FILE)).get("indexed_fields"))
                .as("indexed fields of the optimized segment").isEqualTo(sourceFields);
        assertThat(after).as("Java's filtered answers after optimize equal those before").isEqualTo(before);

        // the optimized shard, stripped of its index configuration, for the negative control
        Path stripped = temp.resolve("stripped");
        copyTree(dir, stripped);
        stripIndexes(stripped);

        Path queriesFile = temp.resolve("queries.json");
        ObjectNode queries = JSON.createObjectNode();
        ArrayNode filters = queries.putArray("filters");
        expected.forEach(e -> filters.add(e.get("filter")));
        queries.set("facets", facets);
        Files.write(queriesFile, JSON.writeValueAsBytes(queries));

        ReferenceAnswers optimized = engine.inspect(dir, temp.resolve("reference-optimized"), queriesFile);
        assertThat(mismatches(referenceIds(optimized.json("filters.json")), expected, Set.of()))
                .as("the reference engine on the optimized shard").isEmpty();
        assertThat(optimized.json("facets.json").toString()).isEqualTo(expectedFacets.toString());

        ReferenceAnswers unindexed = engine.inspect(stripped, temp.resolve("reference-stripped"), queriesFile);
        assertThat(mismatches(referenceIds(unindexed.json("filters.json")), expected, Set.of()))
                .as("the reference engine without the index configuration answers some filters differently")
                .isNotEmpty();
        try (EdgeShard shard = EdgeShard.openReadOnly(stripped)) {
            assertThat(mismatches(answers(shard, expected), expected, GEOHASH_COVER_CASES))
                    .as("Java without the index configuration answers some filters differently").isNotEmpty();
        }
    }

    private static JsonNode indexedFields(Path shard) throws IOException {
        ObjectNode union = JSON.createObjectNode();
        try (Stream<Path> segments = Files.list(shard.resolve("segments"))) {
            for (Path s : segments.sorted().toList()) {
                Path config = s.resolve(PayloadIndexConfig.FILE);
                if (Files.isRegularFile(config)) {
                    JsonFiles.readTree(config).get("indexed_fields").properties()
                            .forEach(e -> union.set(e.getKey(), e.getValue()));
                }
            }
        }
        return union;
    }

    private static void stripIndexes(Path shard) throws IOException {
        try (Stream<Path> segments = Files.list(shard.resolve("segments"))) {
            for (Path s : segments.toList()) {
                Path index = s.resolve("payload_index");
                if (Files.isDirectory(index)) {
                    deleteTree(index);
                    Files.createDirectories(index);
                    Files.writeString(index.resolve("config.json"), "{\"indexed_fields\":{}}");
                }
            }
        }
    }

    private static List<List<PointId>> answers(EdgeShard shard, JsonNode expected) {
        List<List<PointId>> out = new ArrayList<>();
        for (int i = 0; i < expected.size(); i++) {
            Filter filter = FilterParser.parse(expected.get(i).get("filter"), "filters[" + i + "]");
            List<PointId> ids = scrollAll(shard, filter);
            assertThat(shard.count(filter)).as("count of filters[%d]", i).isEqualTo(ids.size());
            out.add(ids);
        }
        return out;
    }

    private static List<List<PointId>> referenceIds(JsonNode filters) {
        List<List<PointId>> out = new ArrayList<>();
        for (JsonNode entry : filters) {
            List<PointId> ids = new ArrayList<>();
            entry.get("ids").forEach(id -> ids.add(ReferenceAnswers.toPointId(id)));
            assertThat(entry.get("count").asLong()).isEqualTo(ids.size());
            out.add(ids);
        }
        return out;
    }

    private static List<String> mismatches(List<List<PointId>> got, JsonNode expected, Set<Integer> skipped) {
        assertThat(got).hasSize(expected.size());
        List<String> out = new ArrayList<>();
        for (int i = 0; i < expected.size(); i++) {
            if (skipped.contains(i)) {
                continue;
            }
            List<PointId> want = new ArrayList<>();
            expected.get(i).get("ids").forEach(id -> want.add(ReferenceAnswers.toPointId(id)));
            if (!got.get(i).equals(want)) {
                out.add("filters[" + i + "] " + expected.get(i).get("filter") + "\n  expected: " + want
                        + "\n  got:      " + got.get(i));
            }
        }
        return out;
    }

    private static void assertFacets(EdgeShard shard, JsonNode expectedFacets, String what) {
        assertThat(expectedFacets.size()).isEqualTo(5);
        for (int i = 0; i < expectedFacets.size(); i++) {
            JsonNode entry = expectedFacets.get(i);
            assertThat(entry.has("error")).as("reference facets[%d]", i).isFalse();
            ObjectNode body = (ObjectNode) entry.deepCopy();
            body.remove("hits");
            FacetRequest request = RestRequests.parseFacet(body);
            JsonNode got = RestResponses.facetResult(shard.facet(request)).get("hits");
            assertThat(got.toString()).as("%s: facets[%d] %s", what, i, body).isEqualTo(entry.get("hits").toString());
        }
    }

    private static List<PointId> scrollAll(EdgeShard shard, Filter filter) {
        List<PointId> ids = new ArrayList<>();
        ScrollRequest request = new ScrollRequest(null, 64, filter, WithPayload.NONE, WithVector.NONE);
        while (true) {
            ScrollPage page = shard.scroll(request);
            for (Record r : page.points()) {
                ids.add(r.id());
            }
            if (page.nextOffset() == null) {
                return ids;
            }
            request = request.from(page.nextOffset());
        }
    }

    private static void copyTree(Path from, Path to) throws IOException {
        try (Stream<Path> all = Files.walk(from)) {
            for (Path p : all.toList()) {
                Path target = to.resolve(from.relativize(p).toString());
                if (Files.isDirectory(p)) {
                    Files.createDirectories(target);
                } else {
                    Files.copy(p, target);
                }
            }
        }
    }

    private static void deleteTree(Path root) throws IOException {
        try (Stream<Path> all = Files.walk(root)) {
            for (Path p : all.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(p);
            }
        }
    }
}
