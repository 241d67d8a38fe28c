package dev.qdrantedge.demo;

import java.time.Clock;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.context.annotation.Bean;

/**
 * Knowledge notes with semantic search, built on the edge starter: notes are embedded in process
 * (all-MiniLM-L6-v2) and stored in the local shard, a REST API and a web page add, search and delete them. It
 * runs on the embedded default (a local shard, no server).
 */
@SpringBootApplication
public class DemoApplication {

    public static void main(String[] args) {
        SpringApplication.run(DemoApplication.class, args);
    }

    /** The time notes are created at. */
    @Bean
    Clock clock() {
        return Clock.systemUTC();
    }
}
