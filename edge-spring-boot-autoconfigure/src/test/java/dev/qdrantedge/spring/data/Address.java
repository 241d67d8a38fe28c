package dev.qdrantedge.spring.data;

/** A nested payload object of {@link Note}. */
public record Address(String city, String zip) {
}
