package dev.qdrantedge.spring.data.mapping;

import dev.qdrantedge.engine.vectors.SparseVector;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.time.OffsetDateTime;
import java.time.OffsetTime;
import java.time.Period;
import java.time.Year;
import java.time.YearMonth;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.util.Set;
import java.util.UUID;
import org.springframework.data.core.TypeInformation;
import org.springframework.data.domain.Vector;
import org.springframework.data.mapping.context.AbstractMappingContext;
import org.springframework.data.mapping.model.Property;
import org.springframework.data.mapping.model.SimpleTypeHolder;
import tools.jackson.databind.JsonNode;

/**
 * The mapping metadata of entities stored in an edge shard. Values that Jackson writes as one JSON value
 * (Java time types, UUIDs, vectors, JSON trees) are simple types here, not nested entities.
 */
public class EdgeMappingContext extends AbstractMappingContext<EdgePersistentEntity<?>, EdgePersistentProperty> {

    private static final SimpleTypeHolder SIMPLE_TYPES = new SimpleTypeHolder(Set.of(Instant.class,
            LocalDate.class, LocalDateTime.class, LocalTime.class, OffsetDateTime.class, OffsetTime.class,
            ZonedDateTime.class, Duration.class, Period.class, Year.class, YearMonth.class, ZoneId.class,
            UUID.class, Vector.class, SparseVector.class, JsonNode.class), true);

    public EdgeMappingContext() {
        setSimpleTypeHolder(SIMPLE_TYPES);
    }

    @Override
    protected <T> EdgePersistentEntity<?> createPersistentEntity(TypeInformation<T> typeInformation) {
        return new EdgePersistentEntity<>(typeInformation);
    }

    @Override
    protected EdgePersistentProperty createPersistentProperty(Property property, EdgePersistentEntity<?> owner,
            SimpleTypeHolder simpleTypeHolder) {
        return new EdgePersistentProperty(property, owner, simpleTypeHolder);
    }
}
