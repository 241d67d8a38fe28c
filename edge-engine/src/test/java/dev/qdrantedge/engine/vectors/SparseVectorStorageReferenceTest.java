package dev.qdrantedge.engine.vectors;

import static org.assertj.core.api.Assertions.assertThat;

import dev.qdrantedge.engine.compat.LivePoints;
import dev.qdrantedge.engine.compat.ReferenceAnswers;
import dev.qdrantedge.engine.compat.ReferenceEngine;
import dev.qdrantedge.engine.compat.ReferenceShard;
import dev.qdrantedge.engine.idtracker.PointId;
import dev.qdrantedge.engine.segment.Segment;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import tools.jackson.databind.JsonNode;

/** Every live point's sparse vector, read from the segment files, equals the reference engine's, bit for bit. */
class SparseVectorStorageReferenceTest {

    @ParameterizedTest
    @CsvSource({"named-all-kinds, text", "storage-sparse, text", "storage-sparse, weighted"})
    void sparseVectorsMatchTheReferenceEngine(String scenario, String name) {
        ReferenceShard shard = ReferenceEngine.require().build(scenario);
        Map<PointId, LivePoints.Location> locations = LivePoints.of(shard.shardDir());
        Map<Segment, SparseVectorStorage> open = new HashMap<>();
        int present = 0;
        int absent = 0;
        try {
            for (JsonNode point : shard.answers().points()) {
                PointId id = ReferenceAnswers.toPointId(point.get("id"));
                LivePoints.Location location = locations.get(id);
                assertThat(location).as("point %s", id).isNotNull();
                SparseVectorStorage storage = open.computeIfAbsent(location.segment(),
                        segment -> SparseVectorStorage.open(segment, name));
                SparseVector actual = storage.get(location.internalId());
                JsonNode expected = point.path("vector").path(name);
                if (expected.isMissingNode() || expected.isNull()) {
                    assertThat(actual).as("point %s has no '%s'", id, name).isNull();
                    absent++;
                    continue;
                }
                assertThat(actual).as("point %s '%s'", id, name).isEqualTo(toSparse(expected));
                present++;
            }
        } finally {
            open.values().forEach(SparseVectorStorage::close);
        }
        assertThat(present).isPositive();
        if (scenario.equals("storage-sparse")) {
            assertThat(absent).as("deleted and never-set vectors").isPositive();
        }
    }

    private static SparseVector toSparse(JsonNode json) {
        JsonNode indices = json.get("indices");
        JsonNode values = json.get("values");
        int[] i = new int[indices.size()];
        float[] v = new float[values.size()];
        for (int k = 0; k < i.length; k++) {
            i[k] = (int) indices.get(k).asLong();
        }
        for (int k = 0; k < v.length; k++) {
            v[k] = Float.intBitsToFloat(Float.floatToIntBits((float) values.get(k).doubleValue()));
        }
        return new SparseVector(i, v);
    }
}
