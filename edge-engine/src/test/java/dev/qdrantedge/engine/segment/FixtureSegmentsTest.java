package dev.qdrantedge.engine.segment;

import static org.assertj.core.api.Assertions.assertThat;

import dev.qdrantedge.engine.compat.SharedFixtures;
import dev.qdrantedge.engine.idtracker.PointId;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Every segment of every real server-written fixture: {@code segment.json} and the id tracker parse, and the
 * live points add up to the counts the fixtures' catalog documents.
 */
class FixtureSegmentsTest {

    @ParameterizedTest(name = "{0} {1}: {2} points in {3} segments")
    @CsvSource({
        "brigade-v1.17plus-appendable-3072, enterprise_knowledge, 712, 6",
        "skn21-v1.16-appendable+hnsw, A-TEAM, 40038, 6",
        "sov3-v1.18-empty, sov3_memory, 0, 5",
        "vnpt-v1.16-hnsw-mmap-payloadidx, vnpt_rag, 44237, 6",
        "zoomcamp2025-v1.14-named-dense+sparse, zoomcamp-rag, 948, 4",
        "zoomcamp2025-v1.14-named-dense+sparse, zoomcamp-faq, 948, 4",
        "zoomcamp2025-v1.14-named-dense+sparse, zoomcamp-hw2, 375, 4",
        "zoomcamp2025-v1.14-named-dense+sparse, zoomcamp-sparse, 948, 4",
        "zoomcamp2025-v1.14-named-dense+sparse, zoomcamp-sparse-and-dense, 948, 4",
        "zoomcamp2026-v1.17-named-dense+sparse, zoomcamp-rag, 948, 2",
        "zoomcamp2026-v1.17-named-dense+sparse, zoomcamp-sparse, 948, 2",
        "zoomcamp2026-v1.17-named-dense+sparse, zoomcamp-hybrid, 0, 2",
    })
    void segmentsParseAndLivePointsMatchTheCatalog(String fixture, String collection, long points, int segments) {
        Path shard = SharedFixtures.shard(fixture, collection, 0);

        List<Path> dirs = SegmentDirectories.scan(shard.resolve("segments"));
        assertThat(dirs).hasSize(segments);
        Set<PointId> ids = new HashSet<>();
        long live = 0;
        for (Path dir : dirs) {
            Segment segment = Segment.open(dir);
            assertThat(segment.state().vectorData().size() + segment.state().sparseVectorData().size())
                    .as("vectors configured in %s", dir).isPositive();
            var tracker = segment.idTracker();
            for (int i = 0; i < tracker.totalPointCount(); i++) {
                if (tracker.isLive(i)) {
                    live++;
                    ids.add(tracker.externalId(i));
                    assertThat(tracker.internalId(tracker.externalId(i))).isEqualTo(i);
                }
            }
        }
        assertThat(live).isEqualTo(points);
        assertThat(ids).as("no point id is live in two segments").hasSize((int) points);
    }
}
