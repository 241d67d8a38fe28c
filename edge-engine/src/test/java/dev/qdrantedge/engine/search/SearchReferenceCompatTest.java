package dev.qdrantedge.engine.search;

import static org.assertj.core.api.Assertions.assertThat;

import dev.qdrantedge.engine.compat.ReferenceAnswers;
import dev.qdrantedge.engine.compat.ReferenceEngine;
import dev.qdrantedge.engine.compat.ReferenceShard;
import dev.qdrantedge.engine.idtracker.PointId;
import dev.qdrantedge.engine.payload.PayloadComparison;
import dev.qdrantedge.engine.query.QueryExecutor;
import dev.qdrantedge.engine.query.QueryRequest;
import dev.qdrantedge.engine.query.RestRequests;
import dev.qdrantedge.engine.query.RestResponses;
import dev.qdrantedge.engine.shard.EdgeShard;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

/**
 * Every search of the {@code search-*} scenarios, run through the REST request parser and the shard,
 * returns what the reference engine returned: the same points in the same order with the same versions,
 * payloads and vectors, and scores within {@value #RELATIVE} relative. Scores are compared with a
 * tolerance because summation order differs between SIMD kernels.
 *
 * <p>Points whose reference scores are equal (or within the tolerance) form a tie group. Its members must
 * match as a set; when their reference scores are exactly equal, also in order (the order Qdrant's merge
 * leaves them in). A group cut by the limit only needs the same scores: which tied points make the cut
 * may depend on Qdrant's unstable per-segment sort. Order differences are counted and printed either way.
 */
class SearchReferenceCompatTest {

    static final double RELATIVE = 1e-5;
    private static final JsonMapper JSON = JsonMapper.builder().build();

    @TempDir
    Path temp;

    @ParameterizedTest
    @ValueSource(strings = {"search-dense", "search-multi-sparse", "search-segments", "search-wal", "search-ties"})
    void everySearchMatchesTheReferenceEngine(String scenario) {
        ReferenceShard reference = ReferenceEngine.require().build(scenario);
        ReferenceAnswers answers = reference.answers();
        JsonNode searches = answers.search();
        List<String> mismatches = new ArrayList<>();
        int[] stats = new int[3]; // hits compared, tie groups, tie groups in another order
        try (EdgeShard shard = EdgeShard.load(reference.copyTo(temp.resolve(scenario)))) {
            for (int i = 0; i < searches.size(); i++) {
                JsonNode entry = searches.get(i);
                String where = scenario + " search[" + i + "] " + summary(entry);
                QueryRequest request = RestRequests.parseQuery(body(entry));
                if (entry.has("error")) {
                    try {
                        QueryExecutor.run(shard, request);
                        mismatches.add(where + ": the reference refused it (" + entry.get("error").asString()
                                + ") but Java answered");
                    } catch (InvalidSearchException expected) {
                        // refused by both
                    }
                    continue;
                }
                List<ScoredPoint> hits = QueryExecutor.run(shard, request);
                compare(where, entry, hits, mismatches, stats);
            }
        }
        System.err.printf("[search] %s: %d searches, %d hits, %d tie groups, %d in another order%n", scenario,
                searches.size(), stats[0], stats[1], stats[2]);
        assertThat(mismatches).as(scenario).isEmpty();
        assertThat(stats[0]).isGreaterThan(50);
    }

    /** The scenario's search as a {@code /points/query} body (the harness returns payloads by default). */
    static ObjectNode body(JsonNode entry) {
        ObjectNode body = JSON.createObjectNode();
        body.set("query", entry.get("vector"));
        body.put("using", entry.get("using").asString());
        body.put("limit", entry.get("limit").asInt());
        for (String key : List.of("offset", "score_threshold", "filter", "with_vector")) {
            if (entry.has(key)) {
                body.set(key, entry.get(key));
            }
        }
        body.set("with_payload", entry.has("with_payload") ? entry.get("with_payload")
                : JSON.getNodeFactory().booleanNode(true));
        if (entry.path("exact").asBoolean(false)) {
            body.putObject("params").put("exact", true);
        }
        return body;
    }

    private static void compare(String where, JsonNode entry, List<ScoredPoint> hits, List<String> mismatches,
            int[] stats) {
        JsonNode expected = entry.get("hits");
        if (hits.size() != expected.size()) {
            mismatches.add(where + ": " + hits.size() + " hits, reference " + expected.size() + "\n  java: "
                    + ids(hits) + "\n  ref:  " + expected.findValuesAsString("id"));
            return;
        }
        stats[0] += hits.size();
        int start = 0;
        while (start < expected.size()) {
            int end = start + 1;
            while (end < expected.size() && close(expected.get(end).get("score").doubleValue(),
                    expected.get(end - 1).get("score").doubleValue())) {
                end++;
            }
            Set<PointId> want = new HashSet<>();
            List<PointId> wantOrder = new ArrayList<>();
            Set<PointId> got = new HashSet<>();
            List<PointId> gotOrder = new ArrayList<>();
            for (int j = start; j < end; j++) {
                PointId id = ReferenceAnswers.toPointId(expected.get(j).get("id"));
                want.add(id);
                wantOrder.add(id);
                got.add(hits.get(j).id());
                gotOrder.add(hits.get(j).id());
                double score = hits.get(j).score();
                double ref = expected.get(j).get("score").doubleValue();
                if (!close(score, ref)) {
                    mismatches.add(where + " rank " + j + ": score " + score + ", reference " + ref);
                }
            }
            boolean cut = end == expected.size() && end - start > 1;
            boolean exactTie = expected.get(start).get("score").doubleValue()
                    == expected.get(end - 1).get("score").doubleValue();
            if (end - start > 1) {
                stats[1]++;
                if (!wantOrder.equals(gotOrder)) {
                    stats[2]++;
                }
            }
            if (!cut && exactTie && !wantOrder.equals(gotOrder)) {
                mismatches.add(where + " ranks " + start + ".." + (end - 1) + " (equal scores): java " + gotOrder
                        + ", reference " + wantOrder);
            } else if (!cut && !want.equals(got)) {
                mismatches.add(where + " ranks " + start + ".." + (end - 1) + ": java " + gotOrder + ", reference "
                        + wantOrder);
            }
            start = end;
        }
        PayloadComparison payloads = new PayloadComparison();
        for (int j = 0; j < hits.size(); j++) {
            ScoredPoint hit = hits.get(j);
            JsonNode ref = find(expected, hit.id());
            if (ref == null) {
                continue; // a tie cut by the limit: reported above if it mattered
            }
            String at = where + " id " + hit.id();
            if (hit.version() != ref.get("version").asLong()) {
                mismatches.add(at + ": version " + hit.version() + ", reference " + ref.get("version"));
            }
            if (ref.has("payload") != (hit.payload() != null)) {
                mismatches.add(at + ": payload presence differs");
            } else if (hit.payload() != null) {
                try {
                    payloads.assertSame(hit.payload(), ref.get("payload"), at + " payload");
                } catch (AssertionError e) {
                    mismatches.add(e.getMessage());
                }
            }
            if (ref.has("vector") != (hit.vectors() != null)) {
                mismatches.add(at + ": vector presence differs");
            } else if (hit.vectors() != null) {
                compareVectors(at, hit, ref.get("vector"), mismatches);
            }
        }
    }

    private static void compareVectors(String at, ScoredPoint hit, JsonNode expected, List<String> mismatches) {
        JsonNode actual = RestResponses.vectors(hit.vectors());
        // the harness always writes vectors as a map by name
        if (!actual.isObject() || hit.vectors().size() == 1 && hit.vectors().containsKey("")) {
            ObjectNode named = JSON.createObjectNode();
            named.set("", actual);
            actual = named;
        }
        if (!new HashSet<>(actual.propertyNames()).equals(new HashSet<>(expected.propertyNames()))) {
            mismatches.add(at + ": vector names " + actual.propertyNames() + ", reference "
                    + expected.propertyNames());
            return;
        }
        for (Map.Entry<String, JsonNode> e : expected.properties()) {
            List<Double> a = numbers(actual.get(e.getKey()));
            List<Double> b = numbers(e.getValue());
            if (a.size() != b.size()) {
                mismatches.add(at + ": vector " + e.getKey() + " has " + a.size() + " numbers, reference "
                        + b.size());
                continue;
            }
            for (int i = 0; i < a.size(); i++) {
                if (!a.get(i).equals(b.get(i)) && (float) a.get(i).doubleValue() != (float) b.get(i).doubleValue()) {
                    mismatches.add(at + ": vector " + e.getKey() + "[" + i + "] " + a.get(i) + ", reference "
                            + b.get(i));
                    break;
                }
            }
        }
    }

    private static List<Double> numbers(JsonNode node) {
        List<Double> out = new ArrayList<>();
        if (node.isNumber()) {
            out.add(node.doubleValue());
        } else {
            for (JsonNode child : node) {
                out.addAll(numbers(child));
            }
        }
        return out;
    }

    private static JsonNode find(JsonNode expected, PointId id) {
        for (JsonNode hit : expected) {
            if (ReferenceAnswers.toPointId(hit.get("id")).equals(id)) {
                return hit;
            }
        }
        return null;
    }

    static boolean close(double a, double b) {
        return Math.abs(a - b) <= RELATIVE * Math.max(Math.abs(a), Math.abs(b)) || Math.abs(a - b) <= 1e-6;
    }

    private static List<PointId> ids(List<ScoredPoint> hits) {
        List<PointId> out = new ArrayList<>();
        hits.forEach(h -> out.add(h.id()));
        return out;
    }

    private static String summary(JsonNode entry) {
        ObjectNode copy = (ObjectNode) entry.deepCopy();
        copy.remove("hits");
        copy.remove("vector");
        return copy.toString();
    }
}
