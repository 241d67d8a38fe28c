package dev.qdrantedge.engine.query;

import static org.assertj.core.api.Assertions.assertThat;

import dev.qdrantedge.engine.compat.ReferenceEngine;
import dev.qdrantedge.engine.compat.ReferenceShard;
import dev.qdrantedge.engine.shard.EdgeShard;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;

/**
 * Formulas with geo distances, datetimes and decays, weighted RRF and order_by from a datetime
 * {@code start_from}, against the reference engine on the same shard (scenario {@code query-formula}: 300
 * points with the varied payload, whose keys are missing, null, single values or arrays; a datetime index on
 * {@code when}). Besides same hits and scores, the queries the reference refuses (a variable without a value
 * and without a default, a null or several values where one number, geo point or datetime is expected,
 * weights not matching the prefetches) must be refused too.
 */
class QueryFormulaCompatTest {

    @TempDir
    Path temp;

    @Test
    void everyQueryAnswersAsTheReferenceEngine() {
        ReferenceShard reference = ReferenceEngine.require().build("query-formula");
        JsonNode queries = reference.answers().json("query.json");
        int refused = 0;
        for (JsonNode entry : queries) {
            refused += entry.has("error") ? 1 : 0;
        }
        assertThat(refused).as("queries the reference refuses").isBetween(5, queries.size() / 2);
        try (EdgeShard shard = EdgeShard.load(reference.copyTo(temp.resolve("s")))) {
            int compared = QueryApiCompat.compareAll(shard, queries);
            assertThat(compared).isEqualTo(queries.size() - refused);
        }
    }
}
