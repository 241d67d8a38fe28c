package dev.qdrantedge.engine.compat;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The real, server-written storage directories in {@code ../shared/fixtures} (beside the project root; the
 * build passes its location as system property {@code shared.dir}). Tests that use them call
 * {@link #require()}, which skips the test, saying why, where they are absent.
 */
public final class SharedFixtures {

    private SharedFixtures() {
    }

    /** The fixtures directory, or the test is skipped. */
    public static Path require() {
        Path dir = locate();
        if (dir == null) {
            String reason = "shared fixtures not found (expected ../shared/fixtures beside the project root, "
                    + "or -Dshared.dir=...); fixture tests skipped";
            System.err.println("[fixtures] " + reason);
            assumeTrue(false, reason);
        }
        return dir;
    }

    /** The shard directory of a fixture's collection ({@code storage/collections/<c>/<shard>}). */
    public static Path shard(String fixture, String collection, int shardId) {
        Path fixtureDir = require().resolve(fixture);
        try (var storages = Files.walk(fixtureDir, 5)) {
            Path storage = storages.filter(p -> p.getFileName().toString().equals("collections"))
                    .findFirst()
                    .orElseThrow(() -> new IllegalStateException("no collections/ folder in " + fixtureDir));
            return storage.resolve(collection).resolve(Integer.toString(shardId));
        } catch (java.io.IOException e) {
            throw new IllegalStateException("cannot list " + fixtureDir, e);
        }
    }

    private static Path locate() {
        String configured = System.getProperty("shared.dir");
        if (configured != null && Files.isDirectory(Path.of(configured, "fixtures"))) {
            return Path.of(configured, "fixtures").toAbsolutePath().normalize();
        }
        for (Path dir = Path.of("").toAbsolutePath(); dir != null; dir = dir.getParent()) {
            if (Files.isDirectory(dir.resolve("shared/fixtures"))) {
                return dir.resolve("shared/fixtures");
            }
        }
        return null;
    }
}
