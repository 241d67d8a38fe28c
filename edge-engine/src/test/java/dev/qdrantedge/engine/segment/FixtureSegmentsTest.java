package dev.qdrantedge.engine.segment;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.qdrantedge.engine.EdgeFormatException;
import dev.qdrantedge.engine.compat.SharedFixtures;
import dev.qdrantedge.engine.idtracker.IdTracker;
import dev.qdrantedge.engine.idtracker.PointId;
import dev.qdrantedge.engine.shard.EdgeShard;
import dev.qdrantedge.engine.vectors.DynamicStoredFlags;
import dev.qdrantedge.engine.vectors.VectorStorageType;
import dev.qdrantedge.engine.vectors.VectorStorages;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Every segment of every real server-written fixture: {@code segment.json}, the id tracker and the deleted
 * flags parse, and the live points add up to the counts the fixtures' catalog documents. The fixtures lack
 * their large files (vector chunks, payload pages); loading such a shard must fail with an error naming a
 * file the fixture documents as absent.
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
    void segmentsParseAndLivePointsMatchTheCatalog(String fixture, String collection, long points, int segments)
            throws IOException {
        Path shard = SharedFixtures.shard(fixture, collection, 0);

        List<Path> dirs = SegmentDirectories.scan(shard.resolve("segments"));
        assertThat(dirs).hasSize(segments);
        Set<PointId> ids = new HashSet<>();
        long live = 0;
        for (Path dir : dirs) {
            SegmentDirectories.checkVersion(dir);
            SegmentState state = SegmentState.read(dir);
            assertThat(state.vectorData().size() + state.sparseVectorData().size())
                    .as("vectors configured in %s", dir).isPositive();
            IdTracker tracker = Segment.openIdTracker(dir, state);
            for (int i = 0; i < tracker.totalPointCount(); i++) {
                if (tracker.isLive(i)) {
                    live++;
                    ids.add(tracker.externalId(i));
                    assertThat(tracker.internalId(tracker.externalId(i))).isEqualTo(i);
                }
            }
            for (var e : state.vectorData().entrySet()) {
                VectorStorageType type = e.getValue().storageType();
                if (type == VectorStorageType.CHUNKED_MMAP || type == VectorStorageType.IN_RAM_CHUNKED_MMAP) {
                    Path deleted = dir.resolve(VectorStorages.directoryName(e.getKey())).resolve(DynamicStoredFlags.DIRECTORY);
                    DynamicStoredFlags.open(deleted);
                }
            }
        }
        assertThat(live).isEqualTo(points);
        assertThat(ids).as("no point id is live in two segments").hasSize((int) points);

        Set<Path> absent = missingBlobs(fixture);
        assertThatThrownBy(() -> EdgeShard.openReadOnly(shard))
                .as("loading a fixture whose large files are absent")
                .isInstanceOfSatisfying(EdgeFormatException.class, e -> {
                    assertThat(absent).contains(e.file().toAbsolutePath().normalize());
                    assertThat(e.getMessage()).contains(e.file().getFileName().toString()).contains("missing");
                });
    }

    private static Set<Path> missingBlobs(String fixture) throws IOException {
        Path fixtureDir = SharedFixtures.require().resolve(fixture);
        try (var lines = Files.lines(fixtureDir.resolve("MISSING_BLOBS.tsv"))) {
            return lines.filter(l -> !l.isBlank() && !l.startsWith("#"))
                    .map(l -> fixtureDir.resolve(l.split("\t")[0]).toAbsolutePath().normalize())
                    .collect(Collectors.toSet());
        }
    }
}
