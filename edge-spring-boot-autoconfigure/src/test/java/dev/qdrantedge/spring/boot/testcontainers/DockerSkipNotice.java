package dev.qdrantedge.spring.boot.testcontainers;

import org.junit.jupiter.api.extension.ConditionEvaluationResult;
import org.junit.jupiter.api.extension.ExecutionCondition;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.testcontainers.DockerClientFactory;

/**
 * Prints why a container test is skipped when there is no Docker engine. The skipping itself is done by
 * {@code @Testcontainers(disabledWithoutDocker = true)}, which must be declared after this extension. Used by
 * the container tests of other packages too.
 */
public final class DockerSkipNotice implements ExecutionCondition {

    @Override
    public ConditionEvaluationResult evaluateExecutionCondition(ExtensionContext context) {
        if (context.getTestMethod().isEmpty() && !DockerClientFactory.instance().isDockerAvailable()) {
            System.err.println("[docker] SKIPPED " + context.getRequiredTestClass().getSimpleName()
                    + ": Testcontainers finds no Docker engine;"
                    + " it runs where one is reachable");
        }
        return ConditionEvaluationResult.enabled("reports only");
    }
}
