package dev.qdrantedge.spring.boot.autoconfigure.repositories.places;

import org.springframework.boot.autoconfigure.SpringBootApplication;

/** A Spring Boot application whose only code is {@link Place} and {@link PlaceRepository}. */
@SpringBootApplication
public class PlacesApplication {
}
