package dev.qdrantedge.engine.payload;

import java.nio.file.Files;
import java.nio.file.Path;

/** Locates scenario files of the reference-engine harness. */
final class ReferenceEngineScenarios {

    private ReferenceEngineScenarios() {
    }

    static Path file(String scenario) {
        String configured = System.getProperty("compat.dir");
        if (configured != null && !configured.isBlank() && Files.isDirectory(Path.of(configured))) {
            return Path.of(configured, "scenarios", scenario + ".json");
        }
        for (Path dir = Path.of("").toAbsolutePath(); dir != null; dir = dir.getParent()) {
            Path candidate = dir.resolve("compat/scenarios/" + scenario + ".json");
            if (Files.isRegularFile(candidate)) {
                return candidate;
            }
        }
        throw new IllegalStateException("scenario file " + scenario + ".json not found");
    }
}
