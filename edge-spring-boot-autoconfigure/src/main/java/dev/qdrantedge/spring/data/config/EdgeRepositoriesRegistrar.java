package dev.qdrantedge.spring.data.config;

import java.lang.annotation.Annotation;
import org.springframework.data.repository.config.RepositoryBeanDefinitionRegistrarSupport;
import org.springframework.data.repository.config.RepositoryConfigurationExtension;

/** Registers the repositories that {@link EnableEdgeRepositories} asks for. */
public class EdgeRepositoriesRegistrar extends RepositoryBeanDefinitionRegistrarSupport {

    @Override
    protected Class<? extends Annotation> getAnnotation() {
        return EnableEdgeRepositories.class;
    }

    @Override
    protected RepositoryConfigurationExtension getExtension() {
        return new EdgeRepositoryConfigurationExtension();
    }
}
