package dev.qdrantedge.spring.data.mapping;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.springframework.data.core.TypeInformation;
import org.springframework.data.mapping.MappingException;
import org.springframework.data.mapping.model.BasicPersistentEntity;

/**
 * An entity class stored in an edge shard, one point per entity. {@link #verify()} checks its
 * {@link EdgeVector} properties; {@link #getIdType()} checks what an entity stored as points needs beyond that
 * (the id), so that nested classes without an id remain valid.
 *
 * @param <T> the entity class
 */
public class EdgePersistentEntity<T> extends BasicPersistentEntity<T, EdgePersistentProperty> {

    public EdgePersistentEntity(TypeInformation<T> information) {
        super(information);
    }

    /**
     * {@inheritDoc} Also checks every {@link EdgeVector} property: a vector type, a vector name used once, and
     * not the id.
     */
    @Override
    public void verify() {
        super.verify();
        Map<String, EdgePersistentProperty> names = new HashMap<>();
        for (EdgePersistentProperty property : getVectorProperties()) {
            property.getVectorType();
            if (property.isIdProperty()) {
                throw new MappingException(property.describe() + " is both the @Id and an @EdgeVector");
            }
            EdgePersistentProperty other = names.put(property.getVectorName(), property);
            if (other != null) {
                throw new MappingException(property.describe() + " and " + other.describe()
                        + " are both mapped to the vector '" + property.getVectorName() + "'");
            }
        }
    }

    /** The {@link EdgeVector} properties, in declaration order. */
    public List<EdgePersistentProperty> getVectorProperties() {
        List<EdgePersistentProperty> vectors = new ArrayList<>();
        for (EdgePersistentProperty property : this) {
            if (property.isVector()) {
                vectors.add(property);
            }
        }
        return vectors;
    }

    /**
     * The type of the point id of this entity.
     *
     * @throws MappingException when the class has no {@code @Id} property or its type cannot be a point id
     */
    public IdType getIdType() {
        EdgePersistentProperty id = getIdProperty();
        if (id == null) {
            throw new MappingException(getType().getName() + " has no @Id property "
                    + "(org.springframework.data.annotation.Id); an entity stored as points needs one");
        }
        IdType type = IdType.of(id.getType());
        if (type == null) {
            throw new MappingException(id.describe() + " has type " + id.getType().getName()
                    + "; a point id must be a Long, long, UUID or a String holding a UUID");
        }
        return type;
    }
}
