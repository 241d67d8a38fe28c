package dev.qdrantedge.demo.web;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.extension.ConditionEvaluationResult;
import org.junit.jupiter.api.extension.ExecutionCondition;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * The system's Chromium and chromedriver (Debian's {@code chromium} and {@code chromium-driver}), and the test
 * condition that needs them: without them a test class is skipped with the reason printed, unless the
 * environment variable {@code EDGE_BROWSER_REQUIRED} is {@code true} (as in CI), where it fails.
 */
public final class SystemChromium implements ExecutionCondition {

    /** The browser; the system property {@code edge.chromium} names another. */
    public static final String CHROMIUM = System.getProperty("edge.chromium", "/usr/bin/chromium");
    /** The driver; the system property {@code edge.chromedriver} names another. */
    public static final String CHROMEDRIVER = System.getProperty("edge.chromedriver", "/usr/bin/chromedriver");

    @Override
    public ConditionEvaluationResult evaluateExecutionCondition(ExtensionContext context) {
        List<String> missing = new ArrayList<>();
        for (String path : List.of(CHROMIUM, CHROMEDRIVER)) {
            if (!Files.isExecutable(Path.of(path))) {
                missing.add(path);
            }
        }
        if (missing.isEmpty()) {
            return ConditionEvaluationResult.enabled("Chromium and chromedriver found");
        }
        String reason = String.join(" and ", missing) + " not found: install Debian's chromium and chromium-driver "
                + "packages";
        if (Boolean.parseBoolean(System.getenv("EDGE_BROWSER_REQUIRED"))) {
            throw new IllegalStateException("EDGE_BROWSER_REQUIRED is set but " + reason);
        }
        System.err.println("[browser] SKIPPED " + context.getDisplayName() + ": " + reason);
        return ConditionEvaluationResult.disabled(reason);
    }
}
