package dev.qdrantedge.engine.wal;

import java.nio.file.Files;
import java.nio.file.Path;

/** Finds the reference scenarios folder ({@code compat/scenarios}) from the working directory upwards. */
final class ReferenceEngineScenarios {

    private ReferenceEngineScenarios() {
    }

    static Path dir() {
        for (Path d = Path.of("").toAbsolutePath(); d != null; d = d.getParent()) {
            Path scenarios = d.resolve("compat/scenarios");
            if (Files.isDirectory(scenarios)) {
                return scenarios;
            }
        }
        throw new IllegalStateException("compat/scenarios not found");
    }
}
