package dev.qdrantedge.spring.data.config;

import dev.qdrantedge.spring.data.core.EdgeTemplate;
import dev.qdrantedge.spring.data.repository.EdgeShardRepository;
import dev.qdrantedge.spring.data.repository.support.EdgeRepositoryFactoryBean;
import java.util.Collection;
import java.util.List;
import java.util.Optional;
import org.springframework.beans.factory.config.BeanDefinition;
import org.springframework.beans.factory.support.AbstractBeanDefinition;
import org.springframework.beans.factory.support.BeanDefinitionBuilder;
import org.springframework.beans.factory.support.BeanDefinitionRegistry;
import org.springframework.data.repository.config.AnnotationRepositoryConfigurationSource;
import org.springframework.data.repository.config.RepositoryConfigurationExtensionSupport;
import org.springframework.data.repository.config.RepositoryConfigurationSource;

/**
 * The edge shard module of Spring Data's repository configuration: repositories are created by
 * {@link EdgeRepositoryFactoryBean} with the template named by {@code edgeTemplateRef}; repository interfaces
 * extending {@link EdgeShardRepository} belong to this module even when other Spring Data modules are present.
 */
public class EdgeRepositoryConfigurationExtension extends RepositoryConfigurationExtensionSupport {

    /** The attribute of {@link EnableEdgeRepositories} naming the template bean. */
    static final String TEMPLATE_REF = "edgeTemplateRef";
    /** The template bean's default name. */
    public static final String DEFAULT_TEMPLATE = "edgeTemplate";

    @Override
    public String getModuleName() {
        return "Edge";
    }

    /** Required by the base class (deprecated there in favour of the module identifier, the same "edge"). */
    @Override
    @SuppressWarnings("deprecation")
    protected String getModulePrefix() {
        return getModuleIdentifier();
    }

    @Override
    public String getRepositoryFactoryBeanClassName() {
        return EdgeRepositoryFactoryBean.class.getName();
    }

    @Override
    protected Collection<Class<?>> getIdentifyingTypes() {
        return List.of(EdgeShardRepository.class);
    }

    @Override
    public void postProcess(BeanDefinitionBuilder builder, AnnotationRepositoryConfigurationSource config) {
        builder.addPropertyReference("edgeTemplate", config.getAttributes().getString(TEMPLATE_REF));
    }

    /** {@inheritDoc} Also registers the default template (see {@link #registerDefaultTemplate}). */
    @Override
    public void registerBeansForRoot(BeanDefinitionRegistry registry, RepositoryConfigurationSource source) {
        super.registerBeansForRoot(registry, source);
        registerDefaultTemplate(registry, source);
    }

    /**
     * Registers the template {@value #DEFAULT_TEMPLATE}, on the context's {@link dev.qdrantedge.engine.EdgeOperations}
     * bean (and its {@link dev.qdrantedge.spring.data.core.EdgeEntityConverter} bean, if any), when the configured
     * template name is the default one and no bean has it.
     */
    protected void registerDefaultTemplate(BeanDefinitionRegistry registry, RepositoryConfigurationSource source) {
        Optional<String> templateRef = source.getAttribute(TEMPLATE_REF);
        if (templateRef.isPresent() && DEFAULT_TEMPLATE.equals(templateRef.get())
                && !registry.containsBeanDefinition(DEFAULT_TEMPLATE) && source.getSource() != null) {
            registerIfNotAlreadyRegistered(() -> {
                AbstractBeanDefinition template = BeanDefinitionBuilder.rootBeanDefinition(EdgeTemplate.class)
                        .setAutowireMode(AbstractBeanDefinition.AUTOWIRE_CONSTRUCTOR)
                        .setRole(BeanDefinition.ROLE_SUPPORT)
                        .getBeanDefinition();
                template.setSource(source.getSource());
                return template;
            }, registry, DEFAULT_TEMPLATE, source.getSource());
        }
    }
}
