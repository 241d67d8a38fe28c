package dev.qdrantedge.spring.data;

import com.fasterxml.jackson.annotation.JsonProperty;
import dev.qdrantedge.spring.data.mapping.EdgeVector;
import java.time.Instant;
import java.util.List;
import org.springframework.data.annotation.Id;

/** The mutable test entity: every kind of payload value the derived queries handle, and a dense vector. */
public class Note {

    @Id
    private Long id;
    private String title;
    private List<String> tags;
    private int stars;
    private Double price;
    private boolean pinned;
    @JsonProperty("created_at")
    private Instant createdAt;
    private Address address;
    private List<Address> visits;
    private Kind kind;
    @EdgeVector("text")
    private float[] embedding;

    public Note() {
    }

    public Note(Long id) {
        this.id = id;
    }

    public Note title(String value) {
        this.title = value;
        return this;
    }

    public Note tags(String... values) {
        this.tags = values == null ? null : List.of(values);
        return this;
    }

    public Note stars(int value) {
        this.stars = value;
        return this;
    }

    public Note price(Double value) {
        this.price = value;
        return this;
    }

    public Note pinned(boolean value) {
        this.pinned = value;
        return this;
    }

    public Note createdAt(String value) {
        this.createdAt = value == null ? null : Instant.parse(value);
        return this;
    }

    public Note address(String city, String zip) {
        this.address = new Address(city, zip);
        return this;
    }

    public Note visits(Address... values) {
        this.visits = List.of(values);
        return this;
    }

    public Note kind(Kind value) {
        this.kind = value;
        return this;
    }

    public Note embedding(float... values) {
        this.embedding = values;
        return this;
    }

    public Long getId() {
        return id;
    }

    public String getTitle() {
        return title;
    }

    public List<String> getTags() {
        return tags;
    }

    public int getStars() {
        return stars;
    }

    public Double getPrice() {
        return price;
    }

    public boolean isPinned() {
        return pinned;
    }

    public Instant getCreatedAt() {
        return createdAt;
    }

    public Address getAddress() {
        return address;
    }

    public List<Address> getVisits() {
        return visits;
    }

    public Kind getKind() {
        return kind;
    }

    public float[] getEmbedding() {
        return embedding;
    }

    @Override
    public String toString() {
        return "Note" + id;
    }
}
