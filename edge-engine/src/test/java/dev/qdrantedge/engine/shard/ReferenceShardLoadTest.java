package dev.qdrantedge.engine.shard;

import static org.assertj.core.api.Assertions.assertThat;

import dev.qdrantedge.engine.compat.ReferenceAnswers;
import dev.qdrantedge.engine.compat.ReferenceEngine;
import dev.qdrantedge.engine.compat.ReferenceShard;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Shards written by the reference engine load in Java with the same live points. */
class ReferenceShardLoadTest {

    @ParameterizedTest
    @ValueSource(strings = {"basic", "named-all-kinds", "optimized"})
    void loadsTheSameLivePointsAsTheReferenceEngine(String scenario) throws IOException {
        ReferenceShard reference = ReferenceEngine.require().build(scenario);
        ReferenceAnswers answers = reference.answers();
        Map<String, String> before = fingerprint(reference.shardDir());

        try (EdgeShard shard = EdgeShard.load(reference.shardDir())) {
            assertThat(shard.count()).isEqualTo(answers.count());
            assertThat(shard.pointIds()).containsExactlyElementsOf(answers.pointIds());
            assertThat(shard.info().segmentsCount()).isEqualTo(answers.info().get("segments_count").asInt());
            assertThat(shard.info().pointsCount()).isEqualTo(answers.info().get("points_count").asLong());
        }

        assertThat(fingerprint(reference.shardDir())).as("loading writes nothing").isEqualTo(before);
    }

    private static Map<String, String> fingerprint(Path dir) throws IOException {
        Map<String, String> files = new TreeMap<>();
        try (Stream<Path> walk = Files.walk(dir)) {
            for (Path p : (Iterable<Path>) walk::iterator) {
                files.put(dir.relativize(p).toString(), Files.isDirectory(p) ? "dir"
                        : Files.size(p) + "@" + Files.getLastModifiedTime(p).toMillis());
            }
        }
        return files;
    }
}
