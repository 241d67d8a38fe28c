package dev.qdrantedge.engine.sync;

import dev.qdrantedge.engine.snapshot.SnapshotManifest;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Optional;

/**
 * Where mirror snapshots come from: a Qdrant server's shard snapshot endpoints in production. Archives are
 * written to files inside the given directory; the caller applies and then deletes them.
 */
public interface SnapshotSource {

    /** Downloads a full snapshot of the shard into a new file in {@code directory}. */
    Path downloadFull(Path directory) throws IOException;

    /**
     * Downloads a partial snapshot holding what changed relative to {@code manifest} (the mirror's current
     * manifest) into a new file in {@code directory}.
     *
     * @return the archive, or empty when the server reports nothing changed (HTTP 304)
     */
    Optional<Path> downloadPartial(SnapshotManifest manifest, Path directory) throws IOException;
}
