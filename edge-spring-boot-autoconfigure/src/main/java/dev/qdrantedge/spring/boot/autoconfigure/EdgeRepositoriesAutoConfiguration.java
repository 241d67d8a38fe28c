package dev.qdrantedge.spring.boot.autoconfigure;

import dev.qdrantedge.engine.EdgeOperations;
import dev.qdrantedge.spring.data.config.EdgeRepositoryConfigurationExtension;
import dev.qdrantedge.spring.data.config.EnableEdgeRepositories;
import dev.qdrantedge.spring.data.core.EdgeEntityConverter;
import dev.qdrantedge.spring.data.core.EdgeTemplate;
import dev.qdrantedge.spring.data.repository.EdgeShardRepository;
import dev.qdrantedge.spring.data.repository.support.EdgeRepositoryFactoryBean;
import java.lang.annotation.Annotation;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.config.RuntimeBeanReference;
import org.springframework.beans.factory.support.BeanDefinitionBuilder;
import org.springframework.beans.factory.support.BeanDefinitionRegistry;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.data.AbstractRepositoryConfigurationSourceSupport;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Import;
import org.springframework.data.repository.config.AnnotationRepositoryConfigurationSource;
import org.springframework.data.repository.config.RepositoryConfigurationExtension;
import org.springframework.data.repository.config.RepositoryConfigurationSource;

/**
 * Spring Data repositories over the edge store: an {@link EdgeTemplate} on the {@link EdgeOperations} bean (the
 * {@code EdgeStore}, marked primary; wrapped by the {@link EdgeOperationsDecorator} beans, such as the search timer
 * of {@link EdgeActuatorAutoConfiguration}), unless the application defines one (an {@link EdgeEntityConverter}
 * bean, if any, maps the entities), and a repository bean for every {@link EdgeShardRepository} interface in the
 * application's packages (those of {@code @SpringBootApplication}), as {@link EnableEdgeRepositories} would create
 * them.
 *
 * <p>The repositories are left out when {@code qdrant.edge.repositories.enabled=false}, and when the application
 * configures them itself with {@link EnableEdgeRepositories} (or defines an {@link EdgeRepositoryFactoryBean}).
 */
@AutoConfiguration(after = EdgeStoreAutoConfiguration.class)
@ConditionalOnClass({EdgeShardRepository.class, EdgeTemplate.class})
@ConditionalOnBean(EdgeOperations.class)
public class EdgeRepositoriesAutoConfiguration {

    @Bean
    @ConditionalOnMissingBean
    public EdgeTemplate edgeTemplate(EdgeOperations operations, ObjectProvider<EdgeEntityConverter> converter,
            ObjectProvider<EdgeOperationsDecorator> decorators) {
        EdgeOperations decorated = operations;
        for (EdgeOperationsDecorator decorator : decorators.orderedStream().toList()) {
            decorated = decorator.decorate(decorated);
        }
        return new EdgeTemplate(decorated, converter.getIfAvailable(EdgeEntityConverter::new));
    }

    /** The repositories, unless disabled or configured by the application. */
    @Configuration(proxyBeanMethods = false)
    @ConditionalOnBooleanProperty(name = "qdrant.edge.repositories.enabled", matchIfMissing = true)
    @ConditionalOnMissingBean({EdgeRepositoryFactoryBean.class, EdgeRepositoryConfigurationExtension.class})
    @Import(AutoConfiguredRepositoriesRegistrar.class)
    static class RepositoriesConfiguration {
    }

    /** Registers the repositories of the auto-configuration packages, as {@link EnableEdgeRepositories} would. */
    static class AutoConfiguredRepositoriesRegistrar extends AbstractRepositoryConfigurationSourceSupport {

        @Override
        protected Class<? extends Annotation> getAnnotation() {
            return EnableEdgeRepositories.class;
        }

        @Override
        protected Class<?> getConfiguration() {
            return EnableEdgeRepositoriesConfiguration.class;
        }

        @Override
        protected RepositoryConfigurationExtension getRepositoryConfigurationExtension() {
            return new AutoConfiguredExtension();
        }

        @EnableEdgeRepositories
        private static final class EnableEdgeRepositoriesConfiguration {
        }
    }

    /**
     * The repositories use the one {@link EdgeTemplate} bean, whatever its name: this auto-configuration's or
     * the application's.
     */
    static class AutoConfiguredExtension extends EdgeRepositoryConfigurationExtension {

        @Override
        public void postProcess(BeanDefinitionBuilder builder, AnnotationRepositoryConfigurationSource config) {
            builder.addPropertyValue("edgeTemplate", new RuntimeBeanReference(EdgeTemplate.class));
        }

        @Override
        protected void registerDefaultTemplate(BeanDefinitionRegistry registry, RepositoryConfigurationSource source) {
            // edgeTemplate() above provides it
        }
    }
}
