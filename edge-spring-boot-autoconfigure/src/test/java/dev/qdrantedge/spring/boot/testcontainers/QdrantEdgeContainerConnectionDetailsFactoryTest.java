package dev.qdrantedge.spring.boot.testcontainers;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.springframework.boot.autoconfigure.service.connection.ConnectionDetailsFactory;
import org.springframework.core.io.support.SpringFactoriesLoader;

/** The factory is registered where Spring Boot looks for connection details factories, and can be instantiated. */
class QdrantEdgeContainerConnectionDetailsFactoryTest {

    @Test
    void springBootFindsTheFactory() {
        // Other modules' factories on the test classpath may need libraries it lacks (Docker Compose for the
        // metrics exporters' ones); only this module's factory must load.
        SpringFactoriesLoader.FailureHandler onlyOurs = (type, implementation, failure) -> {
            if (implementation.equals(QdrantEdgeContainerConnectionDetailsFactory.class.getName())) {
                throw new AssertionError("cannot instantiate " + implementation, failure);
            }
        };
        assertThat(SpringFactoriesLoader.forDefaultResourceLocation(getClass().getClassLoader())
                .load(ConnectionDetailsFactory.class, onlyOurs))
                .filteredOn(QdrantEdgeContainerConnectionDetailsFactory.class::isInstance)
                .hasSize(1);
    }
}
