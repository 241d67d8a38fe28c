package dev.qdrantedge.spring.data.config;

import dev.qdrantedge.spring.data.repository.support.EdgeRepositoryFactoryBean;
import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Inherited;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import org.springframework.beans.factory.support.BeanNameGenerator;
import org.springframework.context.annotation.ComponentScan.Filter;
import org.springframework.context.annotation.Import;
import org.springframework.data.repository.config.BootstrapMode;
import org.springframework.data.repository.config.DefaultRepositoryBaseClass;
import org.springframework.data.repository.query.QueryLookupStrategy.Key;

/**
 * Creates a bean for every repository interface of an edge shard ({@link
 * dev.qdrantedge.spring.data.repository.EdgeShardRepository} or, when no other Spring Data module is present,
 * any Spring Data repository interface) in the packages scanned. The repositories use the
 * {@link dev.qdrantedge.spring.data.core.EdgeTemplate} bean named by {@link #edgeTemplateRef()}; when no bean of
 * that name exists, one is created on the context's {@link dev.qdrantedge.engine.EdgeOperations} bean.
 *
 * <p>Spring Boot applications get this without the annotation (see {@code EdgeRepositoriesAutoConfiguration});
 * declaring it replaces the automatic configuration.
 */
@Target(ElementType.TYPE)
@Retention(RetentionPolicy.RUNTIME)
@Documented
@Inherited
@Import(EdgeRepositoriesRegistrar.class)
public @interface EnableEdgeRepositories {

    /** Alias for {@link #basePackages()}. */
    String[] value() default {};

    /** Packages to scan for repository interfaces; none: the package of the annotated class. */
    String[] basePackages() default {};

    /** Classes whose packages are scanned, a type-safe alternative to {@link #basePackages()}. */
    Class<?>[] basePackageClasses() default {};

    /** Which interfaces to consider, among those scanned. */
    Filter[] includeFilters() default {};

    /** Which interfaces to leave out. */
    Filter[] excludeFilters() default {};

    /** The postfix of custom implementation classes of repository fragments. */
    String repositoryImplementationPostfix() default "Impl";

    /** Where named queries are read from (edge repositories derive every query from the method name). */
    String namedQueriesLocation() default "";

    /** How query methods become queries; edge repositories always derive them from the method name. */
    Key queryLookupStrategy() default Key.CREATE_IF_NOT_FOUND;

    /** The factory bean class of each repository. */
    Class<?> repositoryFactoryBeanClass() default EdgeRepositoryFactoryBean.class;

    /** The base class of repository implementations. */
    Class<?> repositoryBaseClass() default DefaultRepositoryBaseClass.class;

    /** The generator of repository bean names. */
    Class<? extends BeanNameGenerator> nameGenerator() default BeanNameGenerator.class;

    /** The name of the {@link dev.qdrantedge.spring.data.core.EdgeTemplate} bean the repositories use. */
    String edgeTemplateRef() default "edgeTemplate";

    /** Whether repository interfaces nested in other classes are found as well. */
    boolean considerNestedRepositories() default false;

    /** When the repositories are created. */
    BootstrapMode bootstrapMode() default BootstrapMode.DEFAULT;
}
