package dev.qdrantedge.engine.query;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import dev.qdrantedge.engine.EdgeException;
import dev.qdrantedge.engine.EdgeOperations;
import dev.qdrantedge.engine.compat.ReferenceAnswers;
import dev.qdrantedge.engine.idtracker.PointId;
import dev.qdrantedge.engine.search.ScoredPoint;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import tools.jackson.databind.JsonNode;

/**
 * Compares the answers of {@link QueryExecutor} on some {@link EdgeOperations} with the reference engine's
 * answers to the same {@code /points/query} bodies ({@code query.json} of a scenario): the same number of
 * hits, the same scores (within float tolerance), the same ids in the same order where the reference's order
 * is defined (points with equal scores, or equal order values for order_by, which the reference orders
 * arbitrarily, as the same set, except a
 * last group, which the limit may have cut from a larger tie), the same payload and vectors when asked for.
 */
public final class QueryApiCompat {

    private static final double TOLERANCE = 2e-4;

    private QueryApiCompat() {
    }

    /** Runs every query of the file and returns how many were compared. */
    public static int compareAll(EdgeOperations ops, JsonNode queries) {
        int compared = 0;
        for (int i = 0; i < queries.size(); i++) {
            JsonNode entry = queries.get(i);
            JsonNode body = entry.get("body");
            String label = "query.json[" + i + "] " + body;
            QueryRequest request = RestRequests.parseQuery(body);
            if (entry.has("error")) {
                assertThatThrownBy(() -> QueryExecutor.run(ops, request)).as(label).isInstanceOf(EdgeException.class);
                continue;
            }
            List<ScoredPoint> hits = QueryExecutor.run(ops, request);
            sameHits(hits, entry.get("hits"), orderedByField(body), label);
            compared++;
        }
        return compared;
    }

    private static boolean orderedByField(JsonNode body) {
        JsonNode query = body.get("query");
        return query != null && query.isObject() && query.has("order_by");
    }

    static void sameHits(List<ScoredPoint> hits, JsonNode expected, boolean byOrderValue, String label) {
        assertThat(hits).as(label + ": number of hits").hasSize(expected.size());
        for (int i = 0; i < hits.size(); i++) {
            assertThat((double) hits.get(i).score()).as(label + ": score at " + i)
                    .isCloseTo(expected.get(i).get("score").asDouble(), within(TOLERANCE));
        }
        {
            String rank = byOrderValue ? "order_value" : "score";
            int start = 0;
            while (start < expected.size()) {
                int end = start + 1;
                double score = expected.get(start).get(rank).asDouble();
                while (end < expected.size() && Math.abs(expected.get(end).get(rank).asDouble() - score) < 1e-6) {
                    end++;
                }
                if (end < expected.size()) {
                    Set<PointId> want = new HashSet<>();
                    for (int j = start; j < end; j++) {
                        want.add(ReferenceAnswers.toPointId(expected.get(j).get("id")));
                    }
                    assertThat(new HashSet<>(ids(hits.subList(start, end))))
                            .as(label + ": ids at ranks " + start + ".." + (end - 1)).isEqualTo(want);
                }
                start = end;
            }
        }
        for (int i = 0; i < hits.size(); i++) {
            JsonNode want = expected.get(i);
            ScoredPoint hit = hits.get(i);
            if (!want.get("id").equals(RestResponses.id(hit.id()))) {
                continue; // a tie the reference orders differently: its payload is that of another point
            }
            if (want.has("payload")) {
                assertThat(hit.payload()).as(label + ": payload of " + hit.id()).isEqualTo(want.get("payload"));
            }
            if (want.has("vector")) {
                JsonNode vectors = want.get("vector");
                assertThat(hit.vectors().keySet()).as(label + ": vector names of " + hit.id())
                        .containsExactlyInAnyOrderElementsOf(() -> vectors.propertyNames().iterator());
                hit.vectors().forEach((name, value) -> {
                    JsonNode mine = RestResponses.vector(value);
                    for (int d = 0; d < mine.size(); d++) {
                        assertThat(mine.get(d).asDouble()).as(label + ": vector " + name + " of " + hit.id())
                                .isCloseTo(vectors.get(name).get(d).asDouble(), within(1e-6));
                    }
                });
            }
        }
    }

    private static List<PointId> ids(List<ScoredPoint> points) {
        List<PointId> out = new ArrayList<>();
        points.forEach(p -> out.add(p.id()));
        return out;
    }
}
