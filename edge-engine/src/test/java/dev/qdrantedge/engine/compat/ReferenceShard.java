package dev.qdrantedge.engine.compat;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.stream.Stream;

/**
 * A shard the reference engine built from a scenario, and its answers about it.
 *
 * @param scenario scenario name
 * @param shardDir the shard directory as the reference engine left it; treat as read-only
 * @param referenceDir the answers
 */
public record ReferenceShard(String scenario, Path shardDir, Path referenceDir) {

    public ReferenceAnswers answers() {
        return new ReferenceAnswers(referenceDir);
    }

    /** A private copy of the shard, for tests that open it for writing or damage it. */
    public Path copyTo(Path target) {
        try (Stream<Path> files = Files.walk(shardDir)) {
            for (Path source : (Iterable<Path>) files::iterator) {
                Path dest = target.resolve(shardDir.relativize(source).toString());
                if (Files.isDirectory(source)) {
                    Files.createDirectories(dest);
                } else {
                    Files.copy(source, dest, StandardCopyOption.REPLACE_EXISTING);
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return target;
    }
}
