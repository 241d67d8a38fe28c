package dev.qdrantedge.engine.compat;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The ANN datasets in {@code ../shared/datasets} (beside the project root; the build passes its location as
 * system property {@code shared.dir}). Tests that use one call {@link #require}, which skips the test, saying
 * why, where it is absent.
 */
public final class SharedDatasets {

    private SharedDatasets() {
    }

    /** The dataset's directory (holding {@code PROVENANCE.md}), or the test is skipped. */
    public static Path require(String dataset) {
        Path dir = locate(dataset);
        if (dir == null) {
            String reason = "dataset " + dataset + " not found (expected ../shared/datasets/" + dataset
                    + " beside the project root, or -Dshared.dir=...); test skipped";
            System.err.println("[datasets] " + reason);
            assumeTrue(false, reason);
        }
        return dir;
    }

    private static Path locate(String dataset) {
        String configured = System.getProperty("shared.dir");
        if (configured != null && Files.isDirectory(Path.of(configured, "datasets", dataset))) {
            return Path.of(configured, "datasets", dataset).toAbsolutePath().normalize();
        }
        for (Path dir = Path.of("").toAbsolutePath(); dir != null; dir = dir.getParent()) {
            if (Files.isDirectory(dir.resolve("shared/datasets").resolve(dataset))) {
                return dir.resolve("shared/datasets").resolve(dataset);
            }
        }
        return null;
    }
}
