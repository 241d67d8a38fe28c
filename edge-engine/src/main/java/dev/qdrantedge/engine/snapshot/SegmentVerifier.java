package dev.qdrantedge.engine.snapshot;

import dev.qdrantedge.engine.EdgeException;
import dev.qdrantedge.engine.idtracker.IdTracker;
import dev.qdrantedge.engine.segment.Segment;
import dev.qdrantedge.engine.segment.SegmentDirectories;
import dev.qdrantedge.engine.segment.SegmentState;
import dev.qdrantedge.engine.snapshot.SnapshotException.Kind;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

/**
 * Checks that the segments of a shard directory about to be used load: every non-hidden directory under
 * {@code segments/} has {@code version.info} and {@code segment.json} (Qdrant would silently delete one
 * without), and every live point's vectors and payload can be read. Formats this engine cannot read count
 * as corrupt: a shard it cannot load is of no use to it.
 */
final class SegmentVerifier {

    private SegmentVerifier() {
    }

    static void verifyShard(Path shardDir) {
        Path segments = shardDir.resolve(ShardManifests.SEGMENTS_DIR);
        List<Path> dirs;
        try (Stream<Path> list = Files.list(segments)) {
            dirs = list.filter(p -> !p.getFileName().toString().startsWith(".")).sorted().toList();
        } catch (IOException e) {
            throw new SnapshotException(Kind.IO, "cannot list " + segments + ": " + e.getMessage(), e);
        }
        for (Path dir : dirs) {
            verifySegment(dir);
        }
    }

    static void verifySegment(Path dir) {
        String name = "segment " + dir.getFileName();
        if (!Files.isDirectory(dir, LinkOption.NOFOLLOW_LINKS)) {
            throw new SnapshotException(Kind.LAYOUT, name + " is not a directory");
        }
        for (String required : List.of(SegmentDirectories.VERSION_FILE, SegmentState.FILE)) {
            if (!Files.isRegularFile(dir.resolve(required), LinkOption.NOFOLLOW_LINKS)) {
                throw new SnapshotException(Kind.CORRUPT_SEGMENT, name + " has no " + required);
            }
        }
        try (Segment segment = Segment.open(dir)) {
            IdTracker tracker = segment.idTracker();
            for (int i = 0; i < tracker.totalPointCount(); i++) {
                if (tracker.isLive(i)) {
                    tracker.externalId(i);
                    segment.vectors(i).size();
                    segment.payload(i);
                }
            }
        } catch (EdgeException | IllegalArgumentException | IllegalStateException | IndexOutOfBoundsException e) {
            throw new SnapshotException(Kind.CORRUPT_SEGMENT, name + " cannot be loaded: " + e.getMessage(), e);
        }
    }
}
