package dev.qdrantedge.spring.boot.testcontainers;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.springframework.boot.autoconfigure.service.connection.ConnectionDetailsFactory;
import org.springframework.core.io.support.SpringFactoriesLoader;

/** The factory is registered where Spring Boot looks for connection details factories, and can be instantiated. */
class QdrantEdgeContainerConnectionDetailsFactoryTest {

    @Test
    void springBootFindsTheFactory() {
        assertThat(SpringFactoriesLoader.forDefaultResourceLocation(getClass().getClassLoader())
                .load(ConnectionDetailsFactory.class))
                .filteredOn(QdrantEdgeContainerConnectionDetailsFactory.class::isInstance)
                .hasSize(1);
    }
}
