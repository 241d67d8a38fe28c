package dev.qdrantedge.spring.sync;

import dev.qdrantedge.engine.config.EdgeConfig;
import dev.qdrantedge.engine.config.VectorParams;
import dev.qdrantedge.engine.shard.FsyncPolicy;
import dev.qdrantedge.engine.shard.WriteOptions;
import dev.qdrantedge.engine.sync.Backoff;
import dev.qdrantedge.engine.sync.EdgeStoreOptions;
import dev.qdrantedge.engine.sync.PublisherOptions;
import dev.qdrantedge.engine.vectors.Distance;
import dev.qdrantedge.spring.client.QdrantSinkOptions;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/** The collection, store and delivery settings the sync tests share. */
final class SyncFixtures {

    static final String COLLECTION = "items";
    static final JsonMapper JSON = JsonMapper.builder().build();

    private SyncFixtures() {
    }

    /** Two dense vectors: {@code text} (4 dimensions, Dot: values are kept as given) and {@code w} (2, Euclid). */
    static EdgeConfig config() {
        Map<String, VectorParams> vectors = new LinkedHashMap<>();
        vectors.put("text", new VectorParams(4, Distance.DOT));
        vectors.put("w", new VectorParams(2, Distance.EUCLID));
        return new EdgeConfig(vectors);
    }

    /**
     * Store options whose WAL and outbox are forced every 50 ms rather than on every write: a write is in the
     * files when {@code update} returns, so it survives the death of the process (all these tests kill), and
     * thousands of writes take seconds rather than minutes.
     */
    static EdgeStoreOptions storeOptions() {
        return EdgeStoreOptions.defaults()
                .withWrites(WriteOptions.defaults().withFsync(FsyncPolicy.grouped(Duration.ofMillis(50))));
    }

    /** Batches of {@code batchSize}, a short linger, retries from 50 ms up to 1 s, 5 s to stop. */
    static PublisherOptions publisherOptions(int batchSize) {
        return new PublisherOptions(batchSize, Duration.ofMillis(10),
                new Backoff(Duration.ofMillis(50), 2.0, Duration.ofSeconds(1), 0.2), Duration.ofSeconds(5));
    }

    static QdrantSinkOptions sinkOptions() {
        return QdrantSinkOptions.forCollection(COLLECTION).withCallTimeout(Duration.ofSeconds(10));
    }

    static JsonNode json(String text) {
        return JSON.readTree(text.replace('\'', '"'));
    }
}
