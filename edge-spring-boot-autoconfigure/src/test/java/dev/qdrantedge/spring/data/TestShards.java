package dev.qdrantedge.spring.data;

import dev.qdrantedge.engine.config.EdgeConfig;
import dev.qdrantedge.engine.config.SparseVectorParams;
import dev.qdrantedge.engine.config.VectorParams;
import dev.qdrantedge.engine.shard.EdgeShard;
import dev.qdrantedge.engine.vectors.Distance;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/** Real shards for the tests, and the notes most of them store. */
public final class TestShards {

    private TestShards() {
    }

    /**
     * A new shard with the vector {@code text} (3 dimensions, Dot, so stored vectors and scores are exact) and the
     * sparse vector {@code words}.
     */
    public static EdgeShard create(Path directory) {
        return EdgeShard.create(directory, new EdgeConfig(Map.of("text", new VectorParams(3, Distance.DOT)),
                Map.of("words", new SparseVectorParams(false))));
    }

    /** Six notes; a query vector (1, 0, 0) scores them 1: 1.0, 4: 0.9, 2: 0.5, 6: 0.2, 3: 0.0; 5 has no vector. */
    public static List<Note> notes() {
        return List.of(
                new Note(1L).title("Quick brown fox").tags("java", "spring").stars(5).price(9.5).pinned(true)
                        .createdAt("2024-01-01T10:00:00Z").address("Berlin", "10115").kind(Kind.IDEA)
                        .visits(new Address("Rome", "00100")).embedding(1, 0, 0),
                new Note(2L).title("Lazy dog").tags("java").stars(3).price(20.0).pinned(false)
                        .createdAt("2024-02-01T10:00:00Z").address("Paris", "75001").kind(Kind.TODO)
                        .visits(new Address("Oslo", "0150"), new Address("Rome", "00118")).embedding(0.5f, 0.5f, 0),
                new Note(3L).title("Brown bear").tags().stars(1).price(null).pinned(false)
                        .createdAt("2024-03-01T10:00:00.5Z").address("Berlin", "10117").kind(Kind.DONE)
                        .embedding(0, 0, 1),
                new Note(4L).title("Fox hunt").tags((String[]) null).stars(4).price(5.0).pinned(true)
                        .kind(Kind.IDEA).embedding(0.9f, 0.1f, 0),
                new Note(5L).title("Old news").tags("rust").stars(2).price(12.25).pinned(false)
                        .createdAt("2023-12-31T23:59:59Z").address("Munich", "80331").kind(Kind.TODO),
                new Note(6L).title("brown Paper").tags("spring").stars(3).price(7.0).pinned(false)
                        .createdAt("2024-02-01T10:00:00Z").address("Paris", "75002").kind(Kind.DONE)
                        .embedding(0.2f, 0, 0.8f));
    }
}
