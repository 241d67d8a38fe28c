package dev.qdrantedge.engine.snapshot;

import static org.assertj.core.api.Assertions.assertThat;

import dev.qdrantedge.engine.compat.ReferenceEngine;
import dev.qdrantedge.engine.compat.ReferenceShard;
import java.io.IOException;
import java.nio.file.Path;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;
import tools.jackson.databind.JsonNode;

/**
 * The manifest computed here from a shard directory equals the reference engine's {@code snapshot_manifest()}
 * for the same directory: segment ids, segment versions and every file's version.
 */
class ManifestCompatTest {

    @TempDir
    Path temp;

    @ParameterizedTest
    @ValueSource(strings = {"snapshot-indexes", "optimized", "vectors-optimized", "named-all-kinds",
        "storage-sparse", "wal-named-vectors", "segwriter-empty", "basic"})
    void referenceShardsHaveTheReferenceManifest(String scenario) {
        ReferenceEngine engine = ReferenceEngine.require();
        ReferenceShard reference = engine.build(scenario);
        Path shard = reference.copyTo(temp.resolve("shard"));
        JsonNode expected = engine.manifest(shard, temp.resolve("manifest.json"));

        SnapshotManifest manifest = ShardManifests.of(shard);

        assertSameManifest(manifest, expected, scenario);
        assertThat(SnapshotManifest.parse(manifest.toJsonString())).isEqualTo(manifest);
    }

    /** Server-written fixtures (1.14 to 1.18) whose copies the reference engine loads. */
    @ParameterizedTest
    @CsvSource({
        "sov3-v1.18-empty, sov3_memory",
        "brigade-v1.17plus-appendable-3072, enterprise_knowledge",
        "skn21-v1.16-appendable+hnsw, A-TEAM",
        "zoomcamp2026-v1.17-named-dense+sparse, zoomcamp-sparse",
        "zoomcamp2026-v1.17-named-dense+sparse, zoomcamp-hybrid",
        "zoomcamp2025-v1.14-named-dense+sparse, zoomcamp-sparse-and-dense",
    })
    void serverFixturesHaveTheReferenceManifest(String fixture, String collection) throws IOException {
        ReferenceEngine engine = ReferenceEngine.require();
        Path shard = FixtureCopies.filledCopy(fixture, collection, temp.resolve("shard"));
        JsonNode expected = engine.manifest(shard, temp.resolve("manifest.json"));

        assertSameManifest(ShardManifests.of(shard), expected, fixture + " " + collection);
    }

    /** Compared as parsed manifests, printed with sorted keys so that a difference is easy to spot. */
    static void assertSameManifest(SnapshotManifest actual, JsonNode expected, String what) {
        SnapshotManifest reference = SnapshotManifest.parse(expected.toString());
        assertThat(actual.toJsonString().replace("},", "},\n")).as(what)
                .isEqualTo(reference.toJsonString().replace("},", "},\n"));
        assertThat(actual).isEqualTo(reference);
    }
}
