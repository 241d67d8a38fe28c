package dev.qdrantedge.engine.sync;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.qdrantedge.engine.EdgeOperations;
import dev.qdrantedge.engine.compat.ReferenceEngine;
import dev.qdrantedge.engine.compat.ReferenceShard;
import dev.qdrantedge.engine.facet.FacetRequest;
import dev.qdrantedge.engine.facet.Facets;
import dev.qdrantedge.engine.idtracker.PointId;
import dev.qdrantedge.engine.operation.PointStruct;
import dev.qdrantedge.engine.operation.UpsertPoints;
import dev.qdrantedge.engine.query.RestRequests;
import dev.qdrantedge.engine.query.RestResponses;
import dev.qdrantedge.engine.query.ScrollRequest;
import dev.qdrantedge.engine.shard.Record;
import dev.qdrantedge.engine.vectors.DenseVector;
import dev.qdrantedge.engine.vectors.VectorValue;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * Facets over the merged view, on a mirror whose payload indexes the reference engine built (scenario
 * {@code facet-indexed}): with local writes that add, change and delete indexed values, every facet of the
 * scenario counts exactly what the server counts once it has received those writes, before and after the
 * refresh that reflects them.
 */
class EdgeStoreFacetCompatTest {

    @TempDir
    Path temp;

    @Test
    void mergedFacetsCountWhatTheServerCountsAfterTheWrites() throws Exception {
        ReferenceShard reference = ReferenceEngine.require().build("facet-indexed");
        JsonNode facets = reference.answers().json("facets.json");
        try (TestServer server = TestServer.load(reference.copyTo(temp.resolve("server")));
                EdgeStore store = EdgeStore.open(temp.resolve("store"), server.shard().config().orElseThrow())) {
            store.refresh(server.source());
            List<PointId> ids = new ArrayList<>();
            for (Record r : server.shard().scroll(ScrollRequest.of(null, 40)).points()) {
                ids.add(r.id());
            }
            // change indexed values of mirror points, delete some, add new points
            store.update(SyncTestSupport.setPayload("{\"s\":\"alpha\",\"tags\":[\"bravo\",\"zeta\"],\"b\":true}",
                    ids.subList(0, 6).stream().mapToLong(id -> id instanceof PointId.Num n ? n.value() : -1)
                            .filter(v -> v >= 0).toArray()));
            store.update(new dev.qdrantedge.engine.operation.DeletePoints(ids.subList(10, 18)));
            store.update(SyncTestSupport.setPayloadByFilter("{\"i\":7}",
                    "{\"must\":[{\"key\":\"s\",\"match\":{\"any\":[\"alpha\",\"Zulu\"]}}]}"));
            List<PointStruct> added = new ArrayList<>();
            for (int i = 0; i < 12; i++) {
                ObjectNode payload = SyncTestSupport.JSON.createObjectNode().put("s", i % 2 == 0 ? "alpha" : "new")
                        .put("i", i % 3).put("b", i % 2 == 1);
                payload.putArray("tags").add("zeta").add("t" + (i % 4));
                added.add(new PointStruct(PointId.of(900_000 + i), Map.<String, VectorValue>of("",
                        new DenseVector(new float[] {i, 1, 0, 0})), Optional.of(payload)));
            }
            store.update(new UpsertPoints(added));

            EdgeStoreModelTest.deliverAll(store, server);
            assertThat(store.status().localPoints()).isPositive();
            int compared = sameFacets(store, server.shard(), facets, "before the refresh");
            store.refresh(server.source());
            assertThat(store.status().localPoints()).isZero();
            sameFacets(store, server.shard(), facets, "after the refresh");
            assertThat(compared).isGreaterThan(10);
        }
    }

    private static int sameFacets(EdgeOperations store, EdgeOperations server, JsonNode facets, String at) {
        int compared = 0;
        for (int i = 0; i < facets.size(); i++) {
            ObjectNode body = (ObjectNode) facets.get(i).deepCopy();
            body.remove("hits");
            boolean refused = body.remove("error") != null;
            FacetRequest request = RestRequests.parseFacet(body);
            if (refused) {
                assertThatThrownBy(() -> store.facet(request)).as(at + ": " + body)
                        .isInstanceOf(Facets.MissingIndexException.class);
                continue;
            }
            assertThat(RestResponses.facetResult(store.facet(request)).toString()).as(at + ": " + body)
                    .isEqualTo(RestResponses.facetResult(server.facet(request)).toString());
            compared++;
        }
        return compared;
    }
}
