package dev.qdrantedge.spring.boot.autoconfigure.repositories.cities;

import org.springframework.data.annotation.Id;

/** An entity outside the auto-configuration packages. */
public record City(@Id Long id, String name) {
}
