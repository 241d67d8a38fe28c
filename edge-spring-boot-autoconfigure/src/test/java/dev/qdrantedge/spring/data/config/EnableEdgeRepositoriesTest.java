package dev.qdrantedge.spring.data.config;

import static org.assertj.core.api.Assertions.assertThat;

import dev.qdrantedge.engine.shard.EdgeShard;
import dev.qdrantedge.spring.data.Kind;
import dev.qdrantedge.spring.data.RecordingOperations;
import dev.qdrantedge.spring.data.TestShards;
import dev.qdrantedge.spring.data.core.EdgeTemplate;
import dev.qdrantedge.spring.data.repository.NoteRepository;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.context.annotation.AnnotationConfigApplicationContext;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** {@link EnableEdgeRepositories} in a plain Spring application, without Spring Boot. */
class EnableEdgeRepositoriesTest {

    @TempDir
    static Path temp;

    @Configuration(proxyBeanMethods = false)
    @EnableEdgeRepositories(basePackageClasses = NoteRepository.class)
    static class DefaultTemplate {
        @Bean(destroyMethod = "close")
        EdgeShard shard() {
            return TestShards.create(temp.resolve("default"));
        }
    }

    @Configuration(proxyBeanMethods = false)
    @EnableEdgeRepositories(basePackageClasses = NoteRepository.class, edgeTemplateRef = "recordingTemplate")
    static class NamedTemplate {
        @Bean(destroyMethod = "close")
        EdgeShard shard() {
            return TestShards.create(temp.resolve("named"));
        }

        @Bean
        RecordingOperations recordingOperations(EdgeShard shard) {
            return new RecordingOperations(shard);
        }

        @Bean
        EdgeTemplate recordingTemplate(RecordingOperations operations) {
            return new EdgeTemplate(operations);
        }
    }

    @Test
    void theRepositoriesGetADefaultTemplateOnTheEdgeOperationsBean() {
        try (AnnotationConfigApplicationContext context = new AnnotationConfigApplicationContext(DefaultTemplate.class)) {
            NoteRepository notes = context.getBean(NoteRepository.class);
            notes.saveAll(TestShards.notes());
            assertThat(notes.countByKind(Kind.IDEA)).isEqualTo(2);
            assertThat(context.getBean("edgeTemplate", EdgeTemplate.class).getOperations())
                    .isSameAs(context.getBean(EdgeShard.class));
        }
    }

    @Test
    void edgeTemplateRefNamesTheTemplateTheRepositoriesUse() {
        try (AnnotationConfigApplicationContext context = new AnnotationConfigApplicationContext(NamedTemplate.class)) {
            assertThat(context.getBeansOfType(EdgeTemplate.class)).containsOnlyKeys("recordingTemplate");
            context.getBean(NoteRepository.class).saveAll(TestShards.notes());
            assertThat(context.getBean(RecordingOperations.class).updates()).hasSize(1);
        }
    }
}
