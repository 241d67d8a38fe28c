package dev.qdrantedge.demo.notes;

import dev.qdrantedge.spring.data.repository.EdgeShardRepository;
import java.time.Instant;
import java.util.UUID;
import org.springframework.data.domain.Limit;
import org.springframework.data.domain.SearchResults;
import org.springframework.data.domain.Vector;

/** The notes in the edge shard: CRUD, and the semantic searches filtered by creation time and tag. */
public interface NoteRepository extends EdgeShardRepository<Note, UUID> {

    /** The notes created between {@code from} and {@code to} (both inclusive) nearest to {@code vector}. */
    SearchResults<Note> searchByCreatedAtBetweenAndEmbeddingNear(Instant from, Instant to, Vector vector,
            Limit limit);

    /** As {@link #searchByCreatedAtBetweenAndEmbeddingNear}, among the notes tagged {@code tag}. */
    SearchResults<Note> searchByTagsContainingAndCreatedAtBetweenAndEmbeddingNear(String tag, Instant from,
            Instant to, Vector vector, Limit limit);
}
