package dev.qdrantedge.spring.boot.autoconfigure;

import dev.qdrantedge.engine.shard.EdgeShard;
import dev.qdrantedge.engine.snapshot.SnapshotManifest;
import dev.qdrantedge.engine.sync.SnapshotSource;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Optional;

/**
 * Snapshots of a real shard, as a server serves them, without HTTP; fails with an {@link IOException} while
 * {@link #down} is set.
 */
final class ShardSnapshotSource implements SnapshotSource {

    private final EdgeShard shard;
    volatile boolean down;

    ShardSnapshotSource(EdgeShard shard) {
        this.shard = shard;
    }

    @Override
    public Path downloadFull(Path directory) throws IOException {
        check();
        Path archive = directory.resolve("full.tar");
        shard.createSnapshot(archive);
        return archive;
    }

    @Override
    public Optional<Path> downloadPartial(SnapshotManifest manifest, Path directory) throws IOException {
        check();
        Path archive = directory.resolve("partial.tar");
        return shard.createPartialSnapshot(manifest, archive) ? Optional.of(archive) : Optional.empty();
    }

    private void check() throws IOException {
        if (down) {
            throw new IOException("server unreachable");
        }
    }
}
