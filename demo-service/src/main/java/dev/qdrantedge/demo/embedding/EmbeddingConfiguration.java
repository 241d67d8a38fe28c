package dev.qdrantedge.demo.embedding;

import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** The application's one {@link TextEmbedder}: all-MiniLM-L6-v2 unless the application defines another. */
@Configuration(proxyBeanMethods = false)
public class EmbeddingConfiguration {

    @Bean
    @ConditionalOnMissingBean
    public TextEmbedder textEmbedder() {
        return new MiniLmTextEmbedder();
    }
}
