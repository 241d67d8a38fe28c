package dev.qdrantedge.engine.sync;

import static org.assertj.core.api.Assertions.assertThat;

import dev.qdrantedge.engine.compat.ReferenceEngine;
import dev.qdrantedge.engine.compat.ReferenceShard;
import dev.qdrantedge.engine.query.QueryApiCompat;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;

/**
 * The query API over the merged store: a store whose mirror holds the reference engine's {@code query-api}
 * shard answers every query of the scenario (fusion, order_by, MMR, nested prefetches, formulas) as the
 * reference engine does, through the same executor that runs on a shard.
 */
class EdgeStoreQueryCompatTest {

    @TempDir
    Path temp;

    @Test
    void theMergedStoreAnswersQueriesAsTheReferenceEngine() throws Exception {
        ReferenceShard reference = ReferenceEngine.require().build("query-api");
        JsonNode queries = reference.answers().json("query.json");
        try (TestServer server = TestServer.load(reference.copyTo(temp.resolve("server")));
                EdgeStore store = EdgeStore.open(temp.resolve("store"), server.shard().config().orElseThrow())) {
            store.refresh(server.source());
            assertThat(QueryApiCompat.compareAll(store, queries)).isEqualTo(queries.size());
        }
    }
}
