package dev.qdrantedge.engine.facet;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.qdrantedge.engine.compat.ReferenceEngine;
import dev.qdrantedge.engine.compat.ReferenceShard;
import dev.qdrantedge.engine.query.RestRequests;
import dev.qdrantedge.engine.query.RestResponses;
import dev.qdrantedge.engine.shard.EdgeShard;
import java.nio.file.Path;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

/**
 * Every facet of the {@code facet-indexed} scenario (and of {@code filter-indexed-alt}), read as a REST body and run on the shard, returns the
 * reference engine's hits in its order, or is refused with its message when the field has no index that
 * can be faceted.
 */
class FacetReferenceCompatTest {

    private static final JsonMapper JSON = JsonMapper.builder().build();

    @TempDir
    Path temp;

    @ParameterizedTest
    @ValueSource(strings = {"facet-indexed", "filter-indexed-alt"})
    void facetsMatchTheReferenceEngine(String scenario) {
        ReferenceShard reference = ReferenceEngine.require().build(scenario);
        JsonNode facets = reference.answers().json("facets.json");
        try (EdgeShard shard = EdgeShard.load(reference.copyTo(temp.resolve("facet")))) {
            for (int i = 0; i < facets.size(); i++) {
                JsonNode entry = facets.get(i);
                ObjectNode body = (ObjectNode) entry.deepCopy();
                body.remove("hits");
                body.remove("error");
                FacetRequest request = RestRequests.parseFacet(body);
                if (entry.has("error")) {
                    assertThatThrownBy(() -> shard.facet(request)).as("facets[%d] %s", i, body)
                            .isInstanceOf(Facets.MissingIndexException.class)
                            .hasMessage(entry.get("error").asString());
                    continue;
                }
                JsonNode got = RestResponses.facetResult(shard.facet(request)).get("hits");
                assertThat(got.toString()).as("facets[%d] %s", i, body).isEqualTo(entry.get("hits").toString());
            }
        }
        assertThat(facets.size()).isGreaterThan(scenario.equals("facet-indexed") ? 10 : 4);
    }
}
