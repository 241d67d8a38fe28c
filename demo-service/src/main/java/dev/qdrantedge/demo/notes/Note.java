package dev.qdrantedge.demo.notes;

import dev.qdrantedge.spring.data.mapping.EdgeVector;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import org.springframework.data.annotation.Id;

/**
 * A knowledge note as stored: one point of the shard, with the embedding of its title and text as the
 * {@value #VECTOR} vector and everything else as payload ({@code title}, {@code text}, {@code tags},
 * {@code createdAt}).
 */
public class Note {

    /** The name of the shard vector that holds the notes' embeddings. */
    public static final String VECTOR = "text";

    @Id
    private UUID id;
    private String title;
    private String text;
    private List<String> tags;
    private Instant createdAt;
    @EdgeVector(VECTOR)
    private float[] embedding;

    /** For the mapping layer. */
    protected Note() {
    }

    public Note(UUID id, String title, String text, List<String> tags, Instant createdAt, float[] embedding) {
        this.id = id;
        this.title = title;
        this.text = text;
        this.tags = List.copyOf(tags);
        this.createdAt = createdAt;
        this.embedding = embedding;
    }

    public UUID getId() {
        return id;
    }

    public String getTitle() {
        return title;
    }

    public String getText() {
        return text;
    }

    public List<String> getTags() {
        return tags == null ? List.of() : tags;
    }

    public Instant getCreatedAt() {
        return createdAt;
    }

    public float[] getEmbedding() {
        return embedding;
    }
}
