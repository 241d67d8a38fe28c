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
 * The query API against the reference engine on the same shard (scenario {@code query-api}: 400 points, three
 * named dense vectors (Cosine, Dot, Euclid), a rich payload with numeric and keyword indexes): fusion (RRF with the default and an
 * explicit k, DBSF, with prefetch filters, thresholds and offsets), order_by (ascending, descending,
 * start_from, ties, over prefetches), MMR (with and without prefetches), prefetches nested two levels,
 * plain nearest queries with threshold, offset and search params, and formulas (score variables, payload
 * variables, conditions, division with a default, defaults for missing values).
 */
class QueryApiCompatTest {

    @TempDir
    Path temp;

    @Test
    void everyQueryAnswersAsTheReferenceEngine() {
        ReferenceShard reference = ReferenceEngine.require().build("query-api");
        JsonNode queries = reference.answers().json("query.json");
        try (EdgeShard shard = EdgeShard.load(reference.copyTo(temp.resolve("s")))) {
            int compared = QueryApiCompat.compareAll(shard, queries);
            assertThat(compared).isEqualTo(queries.size());
        }
    }
}
