package dev.qdrantedge.spring.boot.autoconfigure.repositories.places;

import dev.qdrantedge.spring.data.mapping.EdgeVector;
import org.springframework.data.annotation.Id;

/** An entity of the sample application: a place with a 2-dimensional vector {@code v}. */
public record Place(@Id Long id, String name, String country, @EdgeVector("v") float[] location) {
}
