package dev.qdrantedge.engine.snapshot;

import static org.assertj.core.api.Assertions.assertThat;

import dev.qdrantedge.engine.compat.ReferenceAnswers;
import dev.qdrantedge.engine.compat.ReferenceEngine;
import dev.qdrantedge.engine.compat.ReferenceShard;
import dev.qdrantedge.engine.shard.EdgeShard;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Snapshots between this engine and the reference engine: partial snapshots built by the server's algorithm
 * applied by both to copies of the same shard end with identical points; snapshots written here unpack and
 * load in the reference engine with the same points.
 */
class SnapshotCompatTest {

    @TempDir
    Path temp;

    /**
     * snapshot-base is the shard; a copy of it evolved by snapshot-server plays the server. The partial
     * snapshot for the shard's manifest holds an unchanged segment, a changed one (with files at version 0
     * on both sides), a new one, and leaves out one the server no longer has.
     */
    @Test
    void aPartialSnapshotAppliedHereAndByTheReferenceEngineGivesTheSamePoints() throws IOException {
        ReferenceEngine engine = ReferenceEngine.require();
        ReferenceShard base = engine.build("snapshot-base");
        Path server = base.copyTo(temp.resolve("server"));
        engine.apply(server, "snapshot-server");
        Path mine = base.copyTo(temp.resolve("java"));
        Path theirs = base.copyTo(temp.resolve("reference"));

        SnapshotManifest requester = ShardManifests.of(mine);
        SnapshotManifest current = ShardManifests.of(server);
        Path archive = temp.resolve("partial.snapshot");
        ShardSnapshotWriter.writePartial(server, requester, archive);
        assertCoversEveryCase(requester, current, SnapshotTestSupport.entryNames(archive));

        try (EdgeShard shard = EdgeShard.load(mine)) {
            shard.updateFromSnapshot(archive);
            assertThat(SnapshotTestSupport.records(shard)).isEqualTo(SnapshotTestSupport.records(server));
        }
        assertThat(ShardManifests.of(mine)).isEqualTo(current);

        ReferenceAnswers byReference = engine.updateFromSnapshot(theirs, archive, temp.resolve("reference-answers"));
        ReferenceAnswers serverAnswers = engine.inspect(server, temp.resolve("server-answers"));
        ReferenceAnswers ours = engine.inspect(mine, temp.resolve("java-answers"));
        assertThat(byReference.points()).as("reference engine after its update").isEqualTo(serverAnswers.points());
        assertThat(ours.points()).as("the shard this engine updated, read by the reference engine")
                .isEqualTo(byReference.points());
    }

    private static void assertCoversEveryCase(SnapshotManifest requester, SnapshotManifest current,
            List<String> entries) {
        Set<String> sent = new TreeSet<>();
        for (String entry : entries) {
            if (entry.startsWith("segments/")) {
                sent.add(entry.split("/")[1]);
            }
        }
        List<String> unchanged = new ArrayList<>();
        List<String> changed = new ArrayList<>();
        List<String> added = new ArrayList<>();
        boolean versionZero = false;
        for (SegmentManifest segment : current.segments().values()) {
            String id = segment.segmentId();
            assertThat(sent).contains(id);
            SegmentManifest old = requester.segments().get(id);
            if (old == null) {
                added.add(id);
            } else if (old.equals(segment)) {
                unchanged.add(id);
                assertThat(entries.stream().filter(e -> e.startsWith("segments/" + id + "/")))
                        .allMatch(e -> e.endsWith("/segment_manifest.json") || e.endsWith("/segment.json")
                                || e.endsWith("/version.info"));
            } else {
                changed.add(id);
                for (Map.Entry<String, OptionalLong> f : segment.fileVersions().entrySet()) {
                    if (segment.resolvedVersion(f.getKey()).getAsLong() == 0
                            && old.resolvedVersion(f.getKey()).orElse(-1) == 0) {
                        versionZero = true;
                        assertThat(entries).contains("segments/" + id + "/files/" + f.getKey());
                    }
                }
            }
        }
        Set<String> deleted = new TreeSet<>(requester.segments().keySet());
        deleted.removeAll(current.segments().keySet());
        assertThat(unchanged).as("unchanged segments").isNotEmpty();
        assertThat(changed).as("changed segments").isNotEmpty();
        assertThat(added).as("new segments").isNotEmpty();
        assertThat(deleted).as("deleted segments").isNotEmpty().doesNotContainAnyElementsOf(sent);
        assertThat(versionZero).as("files at version 0 on both sides").isTrue();
    }

    @Test
    void aSnapshotOfAShardWrittenHereLoadsInTheReferenceEngine() throws IOException {
        ReferenceEngine engine = ReferenceEngine.require();
        Path shard = SnapshotTestSupport.javaShard(temp.resolve("shard"), 1, 150, 4);
        try (EdgeShard s = EdgeShard.load(shard)) {
            SnapshotTestSupport.delete(s, 10, 11);
        }
        Path archive = temp.resolve("java.snapshot");
        try (EdgeShard s = EdgeShard.load(shard)) {
            s.createSnapshot(archive);
        }
        ReferenceAnswers original = engine.inspect(shard, temp.resolve("original-answers"));
        ReferenceAnswers unpacked = engine.unpack(archive, temp.resolve("unpacked"), temp.resolve("unpacked-answers"));
        assertThat(unpacked.count()).isEqualTo(148);
        assertThat(unpacked.points()).isEqualTo(original.points());
    }

    @Test
    void aSnapshotOfAReferenceShardWrittenHereLoadsInTheReferenceEngine() throws IOException {
        ReferenceEngine engine = ReferenceEngine.require();
        ReferenceShard reference = engine.build("snapshot-base");
        Path shard = reference.copyTo(temp.resolve("shard"));
        Path archive = temp.resolve("reference.snapshot");
        try (EdgeShard s = EdgeShard.openReadOnly(shard)) {
            s.createSnapshot(archive);
        }
        ReferenceAnswers unpacked = engine.unpack(archive, temp.resolve("unpacked"), temp.resolve("answers"));
        assertThat(unpacked.points()).isEqualTo(reference.answers().points());
        assertThat(Files.exists(temp.resolve("unpacked").resolve("segments"))).isTrue();
    }
}
