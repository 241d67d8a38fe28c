package dev.qdrantedge.spring.boot.autoconfigure;

import dev.qdrantedge.engine.EdgeOperations;

/**
 * Wraps the {@link EdgeOperations} the auto-configured {@code EdgeTemplate} (and so every repository) works on, e.g.
 * to time searches ({@link EdgeMetrics}). Beans of this type are applied in their order, each to the result of the
 * previous one; the application's own beans are applied too.
 */
@FunctionalInterface
public interface EdgeOperationsDecorator {

    /** The operations to use instead of {@code operations}, which they delegate to. */
    EdgeOperations decorate(EdgeOperations operations);
}
