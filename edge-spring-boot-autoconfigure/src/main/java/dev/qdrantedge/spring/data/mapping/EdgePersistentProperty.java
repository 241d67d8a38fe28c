package dev.qdrantedge.spring.data.mapping;

import org.springframework.data.mapping.Association;
import org.springframework.data.mapping.MappingException;
import org.springframework.data.mapping.PersistentEntity;
import org.springframework.data.mapping.model.AnnotationBasedPersistentProperty;
import org.springframework.data.mapping.model.Property;
import org.springframework.data.mapping.model.SimpleTypeHolder;

/**
 * A property of an entity stored in an edge shard: the point id ({@code @Id}), one of the point's vectors
 * ({@link EdgeVector}) or a payload field (everything else).
 */
public class EdgePersistentProperty extends AnnotationBasedPersistentProperty<EdgePersistentProperty> {

    public EdgePersistentProperty(Property property, PersistentEntity<?, EdgePersistentProperty> owner,
            SimpleTypeHolder simpleTypeHolder) {
        super(property, owner, simpleTypeHolder);
    }

    /** Whether the property is annotated with {@link EdgeVector}. */
    public boolean isVector() {
        return isAnnotationPresent(EdgeVector.class);
    }

    /** The vector name of a {@link EdgeVector} property ({@code ""}: the unnamed vector). */
    public String getVectorName() {
        EdgeVector vector = findAnnotation(EdgeVector.class);
        if (vector == null) {
            throw new IllegalStateException(describe() + " is not a vector property");
        }
        return vector.value();
    }

    /**
     * The Java type of a {@link EdgeVector} property.
     *
     * @throws MappingException when the property's type cannot hold a vector
     */
    public VectorType getVectorType() {
        VectorType type = VectorType.of(getTypeInformation());
        if (type == null) {
            throw new MappingException(describe() + " is annotated with @EdgeVector but has type "
                    + getTypeInformation() + "; a vector property must be float[], List<Float>, "
                    + "org.springframework.data.domain.Vector or dev.qdrantedge.engine.vectors.SparseVector");
        }
        return type;
    }

    /** {@code Owner.property}, for messages. */
    public String describe() {
        return getOwner().getType().getSimpleName() + "." + getName();
    }

    @Override
    protected Association<EdgePersistentProperty> createAssociation() {
        return new Association<>(this, null);
    }
}
